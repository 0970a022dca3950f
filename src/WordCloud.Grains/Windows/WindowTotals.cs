namespace WordCloud.Grains.Windows;

/// <summary>A window's lifetime totals, as a save keeps them and a load gives them back.</summary>
/// <param name="TotalAppended">Posts ever accepted.</param>
/// <param name="TotalEvicted">Posts that left to make room.</param>
/// <param name="TotalDuplicates">Posts dropped as duplicates of a held post's id.</param>
/// <param name="TotalDeleted">Posts deleted while held.</param>
public readonly record struct WindowTotals(long TotalAppended, long TotalEvicted, long TotalDuplicates = 0, long TotalDeleted = 0);
