using WordCloud.Abstractions;

namespace WordCloud.Client.Sources;

/// <summary>A post read from a source, or why that piece of input is not a post.</summary>
/// <param name="Post">The post; null when <paramref name="Error"/> says why there is none.</param>
/// <param name="Origin">Where it came from, for messages: "posts.jsonl line 12", "demo post 3".</param>
/// <param name="Error">Why the input is not a post, naming the value and the rule.</param>
public readonly record struct SourcedPost(Post? Post, string Origin, string? Error)
{
    public static SourcedPost Valid(Post post, string origin) => new(post, origin, null);

    public static SourcedPost Invalid(string origin, string error) => new(null, origin, error);
}

/// <summary>Where the producer's posts come from.</summary>
public interface IPostSource
{
    /// <summary>Names the source in logs: "demo feed", "file posts.jsonl (JSON lines)".</summary>
    string Description { get; }

    /// <summary>True for a feed that paces itself as a stream of one post per period by default.</summary>
    bool IsLiveFeed { get; }

    IAsyncEnumerable<SourcedPost> ReadAsync(CancellationToken cancellationToken);
}
