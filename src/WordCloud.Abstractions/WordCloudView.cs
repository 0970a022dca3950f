namespace WordCloud.Abstractions;

/// <summary>What the word cloud page shows of a window: its stats, top words, rising words, newest posts and rate, read at one instant.</summary>
/// <param name="Topic">The window's topic.</param>
/// <param name="Stats">Its size and lifetime totals.</param>
/// <param name="Words">The top words: count descending, then word in ordinal order.</param>
/// <param name="NewestPosts">The newest posts, oldest of them first.</param>
/// <param name="PostsPerSecond">Posts accepted per second over the last minute (or since the window was activated, if later).</param>
/// <param name="At">When the window was read; of two views with the same totals, the later one has the newer rate.</param>
/// <param name="Rising">
/// The rising words, score descending (<see cref="RisingWord"/>), up to <see cref="WindowLimits.MaxRising"/>; null
/// from a silo of the version before rising words (read it through <see cref="RisingOrNone"/>).
/// </param>
[GenerateSerializer, Immutable, Alias("WordCloud.WordCloudView")]
public sealed record class WordCloudView(
    [property: Id(0)] string Topic,
    [property: Id(1)] WindowStats Stats,
    [property: Id(2)] IReadOnlyList<WordCount> Words,
    [property: Id(3)] IReadOnlyList<Post> NewestPosts,
    [property: Id(4)] double PostsPerSecond = 0,
    [property: Id(5)] DateTimeOffset At = default,
    [property: Id(6)] IReadOnlyList<RisingWord>? Rising = null)
{
    /// <summary>The rising words; none from a silo of the version before them.</summary>
    public IReadOnlyList<RisingWord> RisingOrNone => Rising ?? [];

    /// <summary>
    /// The first <paramref name="top"/> words and newest <paramref name="newestPosts"/> posts of this view (all it has
    /// when it has fewer), checked as <see cref="IWordWindowGrain.GetCloudAsync"/> checks them.
    /// </summary>
    public WordCloudView Take(int top, int newestPosts)
    {
        if (WindowLimits.ValidateTop(top) is { } topError)
        {
            throw new ArgumentOutOfRangeException(nameof(top), top, topError);
        }

        if (WindowLimits.ValidateNewestPosts(newestPosts) is { } postsError)
        {
            throw new ArgumentOutOfRangeException(nameof(newestPosts), newestPosts, postsError);
        }

        return top >= Words.Count && newestPosts >= NewestPosts.Count
            ? this
            : this with { Words = [.. Words.Take(top)], NewestPosts = [.. NewestPosts.Skip(Math.Max(0, NewestPosts.Count - newestPosts))] };
    }

    /// <summary>True when this view is of a later moment of the window than <paramref name="other"/>.</summary>
    public bool IsNewerThan(WordCloudView? other) =>
        other is null
        || Stats.TotalAppended > other.Stats.TotalAppended
        || (Stats.TotalAppended == other.Stats.TotalAppended && At > other.At);
}
