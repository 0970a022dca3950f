namespace WordCloud.Grains.Windows;

/// <summary>
/// How a window ranks its rising words: a word's count in the newer half of the posts held against its baseline, its
/// count in the older half scaled to the newer half's size. docs/rising.md gives the formula with a worked example.
/// </summary>
public static class RisingScore
{
    /// <summary>
    /// Added under the square root: the score of a word with few mentions in both halves is not blown up by dividing by
    /// almost nothing.
    /// </summary>
    public const double Prior = 2;

    /// <summary>Fewest occurrences in the newer half for a word to be listed: one or two mentions are not a trend.</summary>
    public const int MinSupport = 3;

    /// <summary>
    /// Lowest score listed: three standard deviations of the difference between the halves. A word that was steady all
    /// along differs between the halves by chance alone; at 3 hardly any such word is listed, while a new word needs
    /// 12 mentions in the newer half (docs/rising.md, "Why these constants").
    /// </summary>
    public const double MinScore = 3;

    /// <summary>
    /// A word's count in the older half (<paramref name="older"/>) scaled to the newer half's size: what it would have
    /// in <paramref name="newerPosts"/> posts at the rate it had in <paramref name="olderPosts"/>; 0 with no older posts.
    /// </summary>
    public static double Baseline(int older, int newerPosts, int olderPosts) =>
        olderPosts == 0 ? 0 : (double)older * newerPosts / olderPosts;

    /// <summary>
    /// How far <paramref name="recent"/> occurrences rose above <paramref name="baseline"/>, in standard deviations of
    /// their difference: both are counts that vary by chance (about as much as their size, as counts of rare events do),
    /// and the baseline is the older half's count scaled by newer posts over older posts, which scales its variance by
    /// that ratio squared. So the variance of the difference is about recent + baseline × newer / older.
    /// </summary>
    public static double Of(int recent, double baseline, int newerPosts, int olderPosts) =>
        (recent - baseline) / Math.Sqrt(recent + (olderPosts == 0 ? 0 : baseline * newerPosts / olderPosts) + Prior);

    /// <summary>True when a word with this count in the newer half and this score is listed.</summary>
    public static bool IsRising(int recent, double score) => recent >= MinSupport && score >= MinScore;
}
