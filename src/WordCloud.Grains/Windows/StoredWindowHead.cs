namespace WordCloud.Grains.Windows;

/// <summary>
/// The small part of a window's stored state, written with every save: which posts it holds and which of them were deleted, its
/// lifetime totals, the producers' last batches, the keys of the <see cref="StoredSegment"/>s that hold its posts, and the newest posts that
/// no segment holds yet. Word counts are rebuilt from the posts on load.
/// </summary>
/// <remarks>
/// Stored: never renumber the members; 4 was the number of a member since removed. Never changed once made, but not
/// marked immutable: the in-memory store then keeps heads serialised, which measured faster than keeping them as
/// objects (BENCHMARKS.md, "Why the code is as it is").
/// </remarks>
[GenerateSerializer, Alias("WordCloud.WordWindowHead")]
public sealed class StoredWindowHead
{
    /// <summary>The head of a window that has never been saved.</summary>
    public static StoredWindowHead Empty { get; } = new();

    /// <summary>The number of the oldest post held (posts are numbered from 0 in arrival order).</summary>
    [Id(0)]
    public long First { get; init; }

    /// <summary>Posts ever accepted; the newest held is number <c>TotalAppended - 1</c>.</summary>
    [Id(1)]
    public long TotalAppended { get; init; }

    [Id(2)]
    public long TotalEvicted { get; init; }

    /// <summary>The last batch applied for each recent producer, so a retried batch is not counted twice.</summary>
    [Id(3)]
    public ProducerProgress[] Producers { get; init; } = [];

    /// <summary>
    /// The storage keys of the segments holding the posts, in post order: one or a few per segment number (a whole
    /// segment, or deltas not yet merged), none overlapping. A key is written once and never rewritten: a save writes
    /// its new segments under new keys and then this head, so a save that fails half-way leaves the previous head and
    /// every segment it names untouched.
    /// </summary>
    [Id(5)]
    public string[] SegmentKeys { get; init; } = [];

    /// <summary>Posts per segment number when the head was written; a different setting now means every held post is rewritten.</summary>
    [Id(6)]
    public int SegmentSize { get; init; }

    /// <summary>The number of the first post in <see cref="Tail"/>; meaningless while the tail is empty.</summary>
    [Id(7)]
    public long TailFirst { get; init; }

    /// <summary>
    /// The newest posts, from <see cref="TailFirst"/> to the newest held, that no segment holds yet: kept inside the head
    /// so that a save of a small batch is one write, until there are more than <c>WordWindow:InlinePosts</c> of them
    /// and they are written as a segment. Null when there are none.
    /// </summary>
    [Id(8)]
    public StoredPosts? Tail { get; init; }

    /// <summary>The numbers of the held posts that were deleted, lowest first: they come back deleted on load.</summary>
    [Id(9)]
    public long[] Deleted { get; init; } = [];

    /// <summary>Posts dropped as duplicates, in the window's lifetime.</summary>
    [Id(10)]
    public long TotalDuplicates { get; init; }

    /// <summary>Posts deleted while held, in the window's lifetime.</summary>
    [Id(11)]
    public long TotalDeleted { get; init; }

    /// <summary>How many posts <see cref="Tail"/> holds.</summary>
    public int TailCount => Tail?.Count ?? 0;

    /// <summary>Posts numbered below this are in segments; the tail, if any, holds the rest.</summary>
    public long SegmentsEnd => TailCount > 0 ? TailFirst : TotalAppended;
}
