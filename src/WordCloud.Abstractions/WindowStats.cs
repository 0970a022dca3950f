namespace WordCloud.Abstractions;

/// <summary>A window's size and lifetime totals.</summary>
[GenerateSerializer, Immutable, Alias("WordCloud.WindowStats")]
public sealed record class WindowStats(
    [property: Id(0)] int Capacity,
    [property: Id(1)] int Count,
    [property: Id(2)] long TotalAppended,
    [property: Id(3)] long TotalEvicted,
    [property: Id(4)] int DistinctWords);
