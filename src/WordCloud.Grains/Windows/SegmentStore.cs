using System.Numerics;
using Orleans.Storage;
using WordCloud.Abstractions;

namespace WordCloud.Grains.Windows;

/// <summary>
/// Keeps a window's posts as segments, each a grain-storage state of its own under a key that is written once and
/// never rewritten. Posts are numbered from 0 in arrival order and segment number n spans the posts from n × size to
/// (n + 1) × size − 1; a stored segment holds consecutive posts of one segment number and records the first of them.
/// </summary>
/// <remarks>
/// <para>
/// A save writes only the posts new since the last successful save, as a delta segment per segment number they fall
/// in. To keep the keys the head lists few, a delta is merged, binary-counter style, with the deltas before it of the
/// same segment number: while the last of them is no larger than what is being written, one segment covering both is
/// written instead (and while the segment number would still list more than ⌊log2 size⌋ + 1 keys, which only batches
/// of ever-shrinking sizes reach). Once the last post of a segment number is saved, the held posts of that number are
/// written as one whole segment, replacing its deltas. So each post is written once as a delta, in at most about
/// log2(size / batch) merges, and once whole: with batches of a tenth of a segment, about 3 times in all.
/// </para>
/// <para>
/// The new segments are written first, then the head that names them; only after the head is stored are the segments
/// it no longer names (merged, replaced by a whole segment, or entirely older than the oldest post held) cleared. So
/// a save that fails or crashes half-way leaves the previous head and all its segments as they were, and a second
/// activation writing at the same time can only leave unreferenced segments behind, never change one the stored head
/// names. After the segment size setting changed, or when the range of a listed segment is not known, a save writes
/// every held post anew, segment number by segment number.
/// </para>
/// <para>
/// With <c>inlinePosts</c> above 0, the newest posts not yet in a segment travel inside the head (its tail) while there
/// are at most that many: a save of a small batch is then a single write, the head, and only every few saves are they
/// written out as a segment (and merged as above). Storage calls per batch fall from about three (segment, head, clear
/// of a merged segment) to about one and a half, at the cost of rewriting the tail with each head.
/// </para>
/// <para>Single-threaded, like the grain: its <see cref="CoalescingWriter"/> runs one save at a time.</para>
/// </remarks>
public sealed class SegmentStore(IGrainStorage storage, GrainId grainId, int segmentSize, int inlinePosts = 0)
{
    /// <summary>
    /// The segments read or written by this activation, by key: their ETags and ranges only. Keeping the states would
    /// hold a second, decoded copy of every post the window holds.
    /// </summary>
    private readonly Dictionary<string, StoredSegment> _stored = new(StringComparer.Ordinal);

    /// <summary>The most keys one segment number lists; equal batches never need more.</summary>
    private readonly int _maxKeysPerSegment = BitOperations.Log2((uint)segmentSize) + 1;

    /// <summary>Posts serialised into segments by this activation's saves, merges and whole rewrites included.</summary>
    public long PostsWritten { get; private set; }

    public long SegmentOf(long postNumber) => postNumber / segmentSize;

    /// <summary>
    /// The posts the head says are held, oldest first, read from the segments it names and then its tail. Segments are taken in the order
    /// the head lists them and each post by the number its segment gives it, so how the posts were cut into segments
    /// does not matter; a post number already read is not read twice, and a gap ends the reading (the caller finds the
    /// count short and refuses to go on).
    /// </summary>
    public async Task<List<Post>> ReadAsync(WordWindowHead head, CancellationToken cancellationToken)
    {
        var posts = new List<Post>((int)Math.Max(0, head.TotalAppended - head.First));
        var next = head.First;
        foreach (var key in head.SegmentKeys)
        {
            var segment = new GrainState<WindowSegment>();
            await storage.ReadStateAsync(key, grainId, segment, cancellationToken);
            if (!segment.RecordExists || segment.State is not { } stored)
            {
                // Nothing to clear later, and no range known: the next save writes every held post anew.
                continue;
            }

            _stored[key] = new StoredSegment(segment.ETag, stored.First, stored.Count);
            var held = stored.ReadPosts();
            for (var number = Math.Max(next, stored.First); number < stored.First + held.Length && number < head.TotalAppended; number++)
            {
                if (number != next)
                {
                    return posts;
                }

                posts.Add(held[number - stored.First]);
                next++;
            }
        }

        var tail = head.Tail is { } packed ? PostLog.Unpack(packed) : [];
        for (var number = Math.Max(next, head.TailFirst); number < head.TailFirst + tail.Length && number < head.TotalAppended; number++)
        {
            if (number != next)
            {
                return posts;
            }

            posts.Add(tail[number - head.TailFirst]);
            next++;
        }

        return posts;
    }

    /// <summary>
    /// The post number below which every post <paramref name="head"/> holds is in a stored segment this activation
    /// knows the range of, and will never be written again: the segment numbers before the one the newest segmented post
    /// is in (saves write only newer posts, and merge only within the newest segment number). 0 when a save would
    /// write every held post anew (the segment size changed, or a listed segment's range is unknown).
    /// </summary>
    public long StoredWholeBefore(WordWindowHead head)
    {
        if (head.SegmentSize != segmentSize || !head.SegmentKeys.All(_stored.ContainsKey))
        {
            return 0;
        }

        return SegmentOf(head.SegmentsEnd) * segmentSize;
    }

    /// <summary>
    /// Reads the held posts numbered <paramref name="from"/> to <paramref name="to"/> − 1 from the segments
    /// <paramref name="head"/> names, for posts whose text the window no longer keeps. Returns the number of the first
    /// post read and the consecutive posts from there: a segment cleared meanwhile (all its posts left the window while
    /// this read waited) is skipped at the front, and the reading stops at a gap after it.
    /// </summary>
    public async Task<(long First, List<Post> Posts)> ReadRangeAsync(WordWindowHead head, long from, long to, CancellationToken cancellationToken)
    {
        // The ranges are taken before the first await: a save may forget keys meanwhile.
        var keys = head.SegmentKeys.Where(key => _stored.TryGetValue(key, out var known) && known.First < to && known.First + known.Count > from).ToList();

        var posts = new List<Post>((int)Math.Max(0, Math.Min(to - from, 100_000)));
        long? first = null;
        var next = from;
        foreach (var key in keys)
        {
            var segment = new GrainState<WindowSegment>();
            await storage.ReadStateAsync(key, grainId, segment, cancellationToken);
            if (!segment.RecordExists || segment.State is not { } stored)
            {
                if (first is null)
                {
                    continue;
                }

                break;
            }

            var held = stored.ReadPosts();
            var start = Math.Max(next, stored.First);
            if (first is not null && start != next)
            {
                break;
            }

            for (var number = start; number < stored.First + held.Length && number < to; number++)
            {
                posts.Add(held[number - stored.First]);
            }

            first ??= start;
            next = stored.First + held.Length;
        }

        return (first ?? from, posts);
    }

    /// <summary>
    /// Captures, now, what a save writes: the posts not in a segment yet (those after the stored head's segments end,
    /// <see cref="WordWindowHead.SegmentsEnd"/>), either as the head's tail or as segments merged as the type
    /// describes, under new keys; and the keys the next head names, in post order. The caller writes the segments with
    /// <see cref="SegmentSave.WriteAsync"/>, then the head (with the tail), and once the head is stored calls
    /// <see cref="ForgetAsync"/> with the keys the previous head named that the new one does not.
    /// </summary>
    public SegmentSave Capture(WordWindow window, WordWindowHead saved)
    {
        var firstHeld = window.TotalAppended - window.Count;
        var listed = new List<(string Key, long First, int Count)>(saved.SegmentKeys.Length + 2);
        var from = Math.Max(saved.SegmentsEnd, firstHeld);
        if (saved.SegmentSize != segmentSize || !TryAddRanges(saved.SegmentKeys, listed))
        {
            // The stored segments are cut for another size, or their ranges are unknown: write every held post anew.
            listed.Clear();
            from = firstHeld;
        }

        listed.RemoveAll(segment => segment.First + segment.Count <= firstHeld);
        SegmentSave Save(long postsToWrite, Func<Task> writeAsync, long tailFirst, PackedPosts? tail) =>
            new([.. listed.Select(segment => segment.Key)], listed.Count > 0 ? SegmentOf(listed[0].First) : SegmentOf(firstHeld),
                postsToWrite, writeAsync, tailFirst, tail);

        if (window.TotalAppended - from <= inlinePosts)
        {
            // Few enough posts outside the segments: they go in the head; no segment is written.
            var tail = window.GetPackedFrom(from, (int)(window.TotalAppended - from));
            return Save(tail.Count, () => Task.CompletedTask, from, tail.Count > 0 ? tail : null);
        }

        var writes = new List<(string Key, GrainState<WindowSegment> State, int Count)>();
        var postsWritten = 0L;
        for (var start = from; start < window.TotalAppended;)
        {
            var number = SegmentOf(start);
            var segmentEnd = (number + 1) * segmentSize;
            var end = Math.Min(segmentEnd, window.TotalAppended);
            var first = start;
            var keysOfNumber = listed.Count(segment => SegmentOf(segment.First) == number);
            while (listed.Count > 0 && listed[^1] is var last && SegmentOf(last.First) == number
                && (end == segmentEnd || last.Count <= end - first || keysOfNumber >= _maxKeysPerSegment))
            {
                first = last.First;
                listed.RemoveAt(listed.Count - 1);
                keysOfNumber--;
            }

            first = Math.Max(first, firstHeld);
            var count = (int)(end - first);
            var key = $"segment-{number}-{Guid.NewGuid():N}";
            listed.Add((key, first, count));
            writes.Add((key, new GrainState<WindowSegment> { State = new WindowSegment(first, [], window.GetPackedFrom(first, count)) }, count));
            postsWritten += count;
            start = end;
        }

        return Save(postsWritten, async () =>
        {
            foreach (var (key, segment, count) in writes)
            {
                await storage.WriteStateAsync(key, grainId, segment, CancellationToken.None);
                _stored[key] = new StoredSegment(segment.ETag, segment.State!.First, count);
                PostsWritten += count;
            }
        }, window.TotalAppended, null);
    }

    /// <summary>
    /// Clears the segments the stored head no longer names. Returns how many it could not clear (they are garbage only,
    /// and stay out of every head).
    /// </summary>
    public async Task<int> ForgetAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var failed = 0;
        foreach (var key in keys)
        {
            if (!_stored.Remove(key, out var segment))
            {
                continue;
            }

            try
            {
                var state = new GrainState<WindowSegment> { ETag = segment.ETag, RecordExists = true };
                await storage.ClearStateAsync(key, grainId, state, cancellationToken);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                failed++;
            }
        }

        return failed;
    }

    /// <summary>Adds each key's range, as its stored segment records it; false if one is not known.</summary>
    private bool TryAddRanges(string[] keys, List<(string Key, long First, int Count)> ranges)
    {
        foreach (var key in keys)
        {
            if (!_stored.TryGetValue(key, out var segment))
            {
                return false;
            }

            ranges.Add((key, segment.First, segment.Count));
        }

        return true;
    }
}

/// <summary>What a window remembers of a stored segment: the ETag to clear it with, and the posts it holds.</summary>
internal readonly record struct StoredSegment(string? ETag, long First, int Count);

/// <summary>One save's segments, captured before its first await.</summary>
/// <param name="Keys">The keys the next head names, in post order.</param>
/// <param name="FirstSegment">The segment number of the first of them.</param>
/// <param name="PostsToWrite">Posts the save serialises, into its new segments or into the head's tail.</param>
/// <param name="WriteAsync">Writes the new segments; the head naming them is written after it succeeds.</param>
/// <param name="TailFirst">The number of the first post of <paramref name="Tail"/>.</param>
/// <param name="Tail">The posts the next head carries itself (<see cref="WordWindowHead.Tail"/>); null when none.</param>
public sealed record class SegmentSave(string[] Keys, long FirstSegment, long PostsToWrite, Func<Task> WriteAsync, long TailFirst, PackedPosts? Tail);
