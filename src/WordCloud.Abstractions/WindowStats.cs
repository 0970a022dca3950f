namespace WordCloud.Abstractions;

/// <summary>A window's size and lifetime totals.</summary>
/// <param name="Capacity">The most posts it holds.</param>
/// <param name="Count">Posts it holds and shows; a deleted post still takes its place until it is evicted, but is not counted here.</param>
/// <param name="TotalAppended">Posts ever accepted; they are numbered from 0 in that order.</param>
/// <param name="TotalEvicted">Posts that left to make room for newer ones.</param>
/// <param name="DistinctWords">Different words counted now.</param>
/// <param name="TotalDuplicates">Posts dropped because a post with the same id was in the window.</param>
/// <param name="TotalDeleted">Posts taken out of the window because their feed said they were deleted.</param>
[GenerateSerializer, Immutable, Alias("WordCloud.WindowStats")]
public sealed record class WindowStats(
    [property: Id(0)] int Capacity,
    [property: Id(1)] int Count,
    [property: Id(2)] long TotalAppended,
    [property: Id(3)] long TotalEvicted,
    [property: Id(4)] int DistinctWords,
    [property: Id(5)] long TotalDuplicates = 0,
    [property: Id(6)] long TotalDeleted = 0);
