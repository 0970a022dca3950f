using WordCloud.Abstractions;

namespace WordCloud.ClusterTests;

/// <summary>Reads of a whole window, as the scanner makes them, for tests that compare every post.</summary>
public static class WholeWindow
{
    /// <summary>Every post <paramref name="window"/> holds, oldest first (<see cref="WordWindowGrainExtensions.ReadWholeWindowAsync"/>).</summary>
    public static async Task<IReadOnlyList<Post>> ReadAllPostsAsync(this IWordWindowGrain window) => (await ReadAsync(window, WindowLimits.MaxTop)).Posts;

    /// <summary>
    /// The window's stats and <paramref name="top"/> words, and every post it held at that instant; fails the test if
    /// posts kept being evicted faster than it read.
    /// </summary>
    public static async Task<(WholeWindowRead Cloud, IReadOnlyList<Post> Posts)> ReadAsync(IWordWindowGrain window, int top)
    {
        var (stats, words, posts, _) = Assert.NotNull(await window.ReadWholeWindowAsync(top));
        return (new WholeWindowRead(window.GetPrimaryKeyString(), stats, words), posts);
    }
}

/// <summary>What a whole-window read says of the window besides its posts.</summary>
public sealed record WholeWindowRead(string Topic, WindowStats Stats, IReadOnlyList<WordCount> Words);
