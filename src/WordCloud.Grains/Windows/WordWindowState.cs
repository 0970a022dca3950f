using WordCloud.Abstractions;

namespace WordCloud.Grains.Windows;

/// <summary>
/// The small part of a window's saved state, written with every batch: which posts it holds, its lifetime totals and
/// the producers' last batches. The posts themselves are in <see cref="WindowSegment"/>s. Word counts are rebuilt
/// from the posts on load.
/// </summary>
/// <remarks>Persisted: never renumber the members.</remarks>
[GenerateSerializer, Alias("WordCloud.WordWindowHead")]
public sealed class WordWindowHead
{
    /// <summary>The number of the oldest post held (posts are numbered from 0 in arrival order).</summary>
    [Id(0)]
    public long First { get; set; }

    /// <summary>Posts ever accepted; the newest held is number <c>TotalAppended - 1</c>.</summary>
    [Id(1)]
    public long TotalAppended { get; set; }

    [Id(2)]
    public long TotalEvicted { get; set; }

    /// <summary>The last batch applied for each recent producer, so a retried batch is not counted twice.</summary>
    [Id(3)]
    public ProducerProgress[] Producers { get; set; } = [];

    /// <summary>The segment number of the first segment in <see cref="SegmentKeys"/> (informational: each segment records its own range).</summary>
    [Id(4)]
    public long FirstSegment { get; set; }

    /// <summary>
    /// The storage keys of the segments holding the posts, in post order: one or a few per segment number (a whole
    /// segment, or deltas not yet merged), none overlapping. Heads written before deltas listed exactly one key per
    /// segment number from <see cref="FirstSegment"/> on, which reads the same way. A key is written once and never
    /// rewritten: a save writes its new segments under new keys and then this head, so a save that fails half-way
    /// leaves the previous head and every segment it names untouched.
    /// </summary>
    [Id(5)]
    public string[] SegmentKeys { get; set; } = [];

    /// <summary>Posts per segment number when the head was written; a different setting now means every held post is rewritten.</summary>
    [Id(6)]
    public int SegmentSize { get; set; }

    /// <summary>The number of the first post in <see cref="Tail"/>; meaningless while the tail is empty.</summary>
    [Id(7)]
    public long TailFirst { get; set; }

    /// <summary>
    /// The newest posts, from <see cref="TailFirst"/> to the newest held, that no segment holds yet, packed as the
    /// window holds them: kept inside the head so that a save of a small batch is one write, until there are more than
    /// <c>WordWindow:InlinePosts</c> of them and they are written as a segment. Null in heads without a tail.
    /// </summary>
    [Id(8)]
    public PackedPosts? Tail { get; set; }

    /// <summary>How many posts <see cref="Tail"/> holds.</summary>
    public int TailCount => Tail?.Count ?? 0;

    /// <summary>Posts numbered below this are in segments; the tail, if any, holds the rest.</summary>
    public long SegmentsEnd => TailCount > 0 ? TailFirst : TotalAppended;
}

/// <summary>
/// Consecutive posts of a window, all of one segment number n (posts n × size to (n + 1) × size − 1), the first of
/// them numbered <see cref="First"/>: a delta (the posts one save added, perhaps merged with earlier deltas) or the
/// whole segment number, fewer at the front when older posts had left the window. A save writes only new posts and
/// merges, so it costs about the batch, not the window (see <see cref="SegmentStore"/>).
/// </summary>
/// <remarks>
/// Persisted: never renumber the members. Segments are written with <see cref="Packed"/> (the bytes the window holds,
/// copied as they are) and <see cref="Posts"/> empty; segments written before packing existed have only Posts.
/// </remarks>
[GenerateSerializer, Immutable, Alias("WordCloud.WindowSegment")]
public sealed record class WindowSegment([property: Id(0)] long First, [property: Id(1)] Post[] Posts, [property: Id(2)] PackedPosts? Packed = null)
{
    /// <summary>How many posts the segment holds.</summary>
    public int Count => Packed?.Count ?? Posts.Length;

    /// <summary>The posts, unpacked when they are packed.</summary>
    public Post[] ReadPosts() => Packed is { } packed ? PostLog.Unpack(packed) : Posts;
}
