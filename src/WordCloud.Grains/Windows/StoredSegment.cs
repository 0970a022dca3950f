namespace WordCloud.Grains.Windows;

/// <summary>
/// Consecutive posts of a window, all of one segment number n (posts n × size to (n + 1) × size − 1), the first of them
/// numbered <see cref="First"/>: a delta (the posts one save added, perhaps merged with earlier deltas) or the whole
/// segment number, fewer at the front when older posts had left the window. See <see cref="WindowSegments"/>.
/// </summary>
/// <remarks>Stored: never renumber the members; 1 was the number of a member since removed.</remarks>
[GenerateSerializer, Immutable, Alias("WordCloud.WindowSegment")]
public sealed record class StoredSegment([property: Id(0)] long First, [property: Id(2)] StoredPosts Posts)
{
    /// <summary>How many posts the segment holds.</summary>
    public int Count => Posts.Count;
}
