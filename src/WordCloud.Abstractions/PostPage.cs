namespace WordCloud.Abstractions;

/// <summary>
/// A run of consecutive posts of a window: those numbered <see cref="First"/> to <see cref="Next"/> − 1 but the ones
/// deleted since they arrived. Posts are numbered from 0 in the order the window accepted them.
/// </summary>
/// <param name="First">The first number the page covers; later than asked when the asked ones have been evicted.</param>
/// <param name="Posts">The posts of the numbers covered, oldest first, deleted ones left out.</param>
/// <param name="Stats">The window when the page was read.</param>
/// <param name="Words">The window's top words when the page was read, as many as asked for (none unless asked).</param>
/// <param name="Next">The number after the last one the page covers: where the next page starts.</param>
/// <param name="Rising">
/// When top words were asked for, the window's rising words of the same instant, up to
/// <see cref="WindowLimits.MaxRising"/>; otherwise, or from a silo of the version before rising words, null.
/// </param>
[GenerateSerializer, Immutable, Alias("WordCloud.PostPage")]
public sealed record class PostPage(
    [property: Id(0)] long First,
    [property: Id(1)] IReadOnlyList<Post> Posts,
    [property: Id(2)] WindowStats Stats,
    [property: Id(3)] IReadOnlyList<WordCount> Words,
    [property: Id(4)] long Next,
    [property: Id(5)] IReadOnlyList<RisingWord>? Rising = null)
{
    /// <summary>Most posts in one page.</summary>
    public const int MaxPosts = 50_000;

    /// <summary>A page stops once its texts reach this many characters, well inside Orleans' message size limit.</summary>
    public const int MaxChars = 4_000_000;
}
