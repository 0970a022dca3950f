using WordCloud.Abstractions;

namespace WordCloud.Client.Sources;

/// <summary>
/// One item read from a source: a post, the deletion of a post sent earlier, or why that piece of input is neither.
/// </summary>
/// <param name="Post">The post; null for a deletion or when <paramref name="Error"/> says why there is none.</param>
/// <param name="Origin">Where it came from, for messages: "posts.jsonl line 12", "demo post 3", "jetstream event 812".</param>
/// <param name="Error">Why the input is not a post, naming the value and the rule.</param>
/// <param name="DeletedId">For a deletion: the id of the post the feed says was deleted.</param>
/// <param name="Resume">
/// Where the source resumes after this item (a live feed's cursor), in a form only the source reads back; null for a
/// source that cannot resume. The producer keeps the one of the last item the window acknowledged (<c>--state-file</c>).
/// </param>
public readonly record struct SourcedPost(Post? Post, string Origin, string? Error, string? DeletedId = null, string? Resume = null)
{
    public static SourcedPost Valid(Post post, string origin, string? resume = null) => new(post, origin, null, null, resume);

    public static SourcedPost Invalid(string origin, string error, string? resume = null) => new(null, origin, error, null, resume);

    public static SourcedPost Deletion(string id, string origin, string? resume = null) => new(null, origin, null, id, resume);

    public bool IsDeletion => DeletedId is not null;
}

/// <summary>Where the producer's posts come from.</summary>
public interface IPostSource
{
    /// <summary>Names the source in logs: "demo feed", "file posts.jsonl (JSON lines)", "Bluesky Jetstream wss://…".</summary>
    string Description { get; }

    /// <summary>
    /// The pause between posts when the user gives no <c>--every</c>: the demo feed's, which makes up posts as fast as
    /// asked and is meant to be watched. Null, the default, sends posts as they come in batches, for a file as for a
    /// live feed, whose pace is the feed's own.
    /// </summary>
    TimeSpan? DefaultPace => null;

    /// <summary>What the source has seen so far; for progress and metrics. Read from any thread.</summary>
    FeedCounters Counters { get; }

    IAsyncEnumerable<SourcedPost> ReadAsync(CancellationToken cancellationToken);
}
