namespace WordCloud.Grains.Windows;

/// <summary>
/// How a window ranks its rising words: a word's count in the newer half of the posts held against its baseline, its
/// count in the older half scaled to the newer half's size. docs/rising.md gives the formula with a worked example.
/// </summary>
public static class RisingScore
{
    /// <summary>
    /// Added to the baseline under the square root: a word new to the window (baseline 0) needs several mentions, not
    /// one, to rank high, and the score of a word with a small baseline is not blown up by dividing by almost nothing.
    /// </summary>
    public const double Prior = 2;

    /// <summary>Fewest occurrences in the newer half for a word to be listed: one or two mentions are not a trend.</summary>
    public const int MinSupport = 3;

    /// <summary>
    /// Lowest score listed: about one standard deviation above the baseline if counts were Poisson, so that the
    /// wobble of words that are always there stays off the list.
    /// </summary>
    public const double MinScore = 1;

    /// <summary>
    /// A word's count in the older half (<paramref name="older"/>) scaled to the newer half's size: what it would have
    /// in <paramref name="newerPosts"/> posts at the rate it had in <paramref name="olderPosts"/>; 0 with no older posts.
    /// </summary>
    public static double Baseline(int older, int newerPosts, int olderPosts) =>
        olderPosts == 0 ? 0 : (double)older * newerPosts / olderPosts;

    /// <summary>How far <paramref name="recent"/> occurrences rose above <paramref name="baseline"/>.</summary>
    public static double Of(int recent, double baseline) => (recent - baseline) / Math.Sqrt(baseline + Prior);

    /// <summary>True when a word with this count in the newer half and this score is listed.</summary>
    public static bool IsRising(int recent, double score) => recent >= MinSupport && score >= MinScore;
}
