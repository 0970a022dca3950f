namespace WordCloud.Abstractions;

/// <summary>
/// A run of consecutive posts of a window. Posts are numbered from 0 in the order the window accepted them, so the
/// window holds numbers <c>TotalAppended - Count</c> to <c>TotalAppended - 1</c>.
/// </summary>
/// <param name="First">The number of <c>Posts[0]</c>; later than asked when the asked ones have been evicted.</param>
/// <param name="Posts">Consecutive posts, oldest first.</param>
/// <param name="Stats">The window when the page was read.</param>
/// <param name="Words">The window's top words when the page was read, as many as asked for (none unless asked).</param>
[GenerateSerializer, Immutable, Alias("WordCloud.PostPage")]
public sealed record class PostPage(
    [property: Id(0)] long First,
    [property: Id(1)] IReadOnlyList<Post> Posts,
    [property: Id(2)] WindowStats Stats,
    [property: Id(3)] IReadOnlyList<WordCount> Words)
{
    /// <summary>Most posts in one page.</summary>
    public const int MaxPosts = 50_000;

    /// <summary>A page stops once its texts reach this many characters, well inside Orleans' message size limit.</summary>
    public const int MaxChars = 4_000_000;
}
