using System.Text.Json;
using System.Text.Json.Serialization;
using WordCloud.Abstractions;

namespace WordCloud.Silo.Api;

/// <summary>The JSON of the HTTP API: snake_case names, the same post fields the producer's JSON lines use.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

public sealed record TopicSummary(string Topic, int Count, int Capacity, long TotalAppended)
{
    public static TopicSummary From(TopicListing listing) => new(listing.Topic, listing.Count, listing.Capacity, listing.TotalAppended);
}

public sealed record WordEntry(string Word, int Count)
{
    public static WordEntry[] From(IReadOnlyList<WordCount> words, int top) =>
        [.. words.Take(top).Select(word => new WordEntry(word.Word, word.Count))];
}

/// <summary>A rising word: its count in the newer half of the window, its baseline from the older half, and its score (docs/rising.md).</summary>
public sealed record RisingEntry(string Word, int Count, double Baseline, double Score)
{
    /// <summary>The first <paramref name="top"/> rising words, baseline and score to three decimals.</summary>
    public static RisingEntry[] From(IReadOnlyList<RisingWord> words, int top) =>
        [.. words.Take(top).Select(word => new RisingEntry(word.Word, word.Count, Math.Round(word.Baseline, 3), Math.Round(word.Score, 3)))];
}

public sealed record CloudResponse(string Topic, int Capacity, int Count, long TotalAppended, int DistinctWords, IReadOnlyList<WordEntry> Words, IReadOnlyList<RisingEntry> Rising)
{
    /// <summary>The first <paramref name="top"/> words and <paramref name="rising"/> rising words of <paramref name="cloud"/>, with its stats.</summary>
    public static CloudResponse From(WordCloudView cloud, int top, int rising) =>
        new(cloud.Topic, cloud.Stats.Capacity, cloud.Stats.Count, cloud.Stats.TotalAppended, cloud.Stats.DistinctWords, WordEntry.From(cloud.Words, top),
            RisingEntry.From(cloud.RisingOrNone, rising));
}

/// <summary>A topic's rising words, highest score first.</summary>
public sealed record RisingResponse(string Topic, IReadOnlyList<RisingEntry> Words)
{
    public static RisingResponse From(WordCloudView cloud, int top) => new(cloud.Topic, RisingEntry.From(cloud.RisingOrNone, top));
}

/// <summary>A post as JSON: <c>{"text","id","author","created_at","source"}</c>; only text is required.</summary>
public sealed record PostJson(string? Text, string? Id = null, string? Author = null, DateTimeOffset? CreatedAt = null, string? Source = null)
{
    public static PostJson From(Post post) => new(post.Text, post.Id, post.Author, post.CreatedAt, post.Source);

    // A missing text stays null here; the window rejects it by index with its reason rather than failing the request.
    public Post ToPost() => new(Text!, Id, Author, CreatedAt, Source ?? "api");
}

public sealed record RejectionJson(int Index, string Reason);

/// <summary>What became of a POST's posts; <see cref="AlreadyApplied"/> is true (and otherwise left out) on a retry with the same Idempotency-Key.</summary>
public sealed record AppendResponse(int Accepted, int Rejected, int Evicted, IReadOnlyList<RejectionJson> Rejections, int Duplicates, bool? AlreadyApplied = null);

/// <summary>One push to the page: the cloud and its rising words, the window's fill and rate (posts per second over the last minute), and its newest posts.</summary>
public sealed record CloudEvent(
    string Topic,
    int Capacity,
    int Count,
    long TotalAppended,
    int DistinctWords,
    double PostsPerSecond,
    IReadOnlyList<WordEntry> Words,
    IReadOnlyList<PostJson> NewestPosts,
    IReadOnlyList<RisingEntry> Rising)
{
    /// <summary>The first <paramref name="top"/> words, <paramref name="rising"/> rising words and newest <paramref name="newestPosts"/> posts of <paramref name="cloud"/>.</summary>
    public static CloudEvent From(WordCloudView cloud, int top, int rising, int newestPosts) =>
        new(cloud.Topic, cloud.Stats.Capacity, cloud.Stats.Count, cloud.Stats.TotalAppended, cloud.Stats.DistinctWords, Math.Round(cloud.PostsPerSecond, 3),
            WordEntry.From(cloud.Words, top), [.. cloud.NewestPosts.Skip(Math.Max(0, cloud.NewestPosts.Count - newestPosts)).Select(PostJson.From)],
            RisingEntry.From(cloud.RisingOrNone, rising));
}
