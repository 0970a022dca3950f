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

    /// <summary>The number of the first segment in <see cref="SegmentKeys"/>.</summary>
    [Id(4)]
    public long FirstSegment { get; set; }

    /// <summary>
    /// The storage key of each segment from <see cref="FirstSegment"/> on. A segment is never rewritten in place: a
    /// save writes changed segments under new keys and then this head, so a save that fails half-way leaves the
    /// previous head and every segment it names untouched.
    /// </summary>
    [Id(5)]
    public string[] SegmentKeys { get; set; } = [];

    /// <summary>Posts per segment when the head was written; a different setting now means every segment is rewritten.</summary>
    [Id(6)]
    public int SegmentSize { get; set; }
}

/// <summary>
/// Consecutive posts of a window: segment n holds the posts numbered from n × size, fewer at the front when older
/// ones have left the window. A save writes only the segments that changed, so it costs the batch, not the window.
/// </summary>
/// <remarks>Persisted: never renumber the members.</remarks>
[GenerateSerializer, Immutable, Alias("WordCloud.WindowSegment")]
public sealed record class WindowSegment([property: Id(0)] long First, [property: Id(1)] Post[] Posts);
