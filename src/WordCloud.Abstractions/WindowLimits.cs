namespace WordCloud.Abstractions;

/// <summary>Bounds shared by the silo's settings, the grain and the clients.</summary>
public static class WindowLimits
{
    public const int MinCapacity = 1;
    public const int MaxCapacity = 1_000_000;
    public const int DefaultCapacity = 1000;

    public const int MinTop = 1;
    public const int MaxTop = 1000;

    public const int MaxNewestPosts = 100;

    public const int MinRising = 1;

    /// <summary>Most rising words a window lists: a short list of what changed, read beside the cloud.</summary>
    public const int MaxRising = 100;

    /// <summary>Most posts in one append call (producer batch or HTTP request).</summary>
    public const int MaxBatch = 10_000;

    /// <summary>Returns null when <paramref name="top"/> is a valid number of top words, else why not, naming it <paramref name="name"/>.</summary>
    public static string? ValidateTop(int top, string name = "top-words count") =>
        top is >= MinTop and <= MaxTop ? null : $"invalid {name} {top}: it must be between {MinTop} and {MaxTop}";

    /// <summary>Returns null when <paramref name="rising"/> is a valid number of rising words, else why not, naming it <paramref name="name"/>.</summary>
    public static string? ValidateRising(int rising, string name = "rising-words count") =>
        rising is >= MinRising and <= MaxRising ? null : $"invalid {name} {rising}: it must be between {MinRising} and {MaxRising}";

    /// <summary>Returns null when <paramref name="count"/> is a valid number of newest posts, else why not.</summary>
    public static string? ValidateNewestPosts(int count) =>
        count is >= 0 and <= MaxNewestPosts ? null : $"invalid newest-posts count {count}: it must be between 0 and {MaxNewestPosts}";
}
