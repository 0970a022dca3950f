using System.Numerics;
using WordCloud.Abstractions;

namespace WordCloud.Grains.Windows;

/// <summary>
/// Keeps a window's posts as segments, each stored under a key of its own (<see cref="IWindowStore"/>) that is written
/// once and never rewritten. Posts are numbered from 0 in arrival order and segment number n spans the posts from n × size to
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
/// every held post anew, segment number by segment number; so does the save after storage lost the window's records
/// (<see cref="PersistentWindow"/>).
/// </para>
/// <para>
/// With <c>inlinePosts</c> above 0, the newest posts not yet in a segment travel inside the head (its tail) while there
/// are at most that many: a save of a small batch is then a single write, the head, and only every few saves are they
/// written out as a segment (and merged as above). Storage calls per batch fall from about three (segment, head, clear
/// of a merged segment) to about one and a half, at the cost of rewriting the tail with each head.
/// </para>
/// <para>Single-threaded, like the grain: <see cref="PersistentWindow"/> runs one save at a time.</para>
/// </remarks>
public sealed class WindowSegments(IWindowStore store, int segmentSize, int inlinePosts)
{
    /// <summary>
    /// The range of each segment read or written by this activation, by key. Keeping the segments would hold a second
    /// copy of every post the window holds.
    /// </summary>
    private readonly Dictionary<string, (long First, int Count)> _known = new(StringComparer.Ordinal);

    /// <summary>The most keys one segment number lists; equal batches never need more.</summary>
    private readonly int _maxKeysPerSegment = BitOperations.Log2((uint)segmentSize) + 1;

    /// <summary>Posts written into segments by this activation's saves, merges and whole rewrites included.</summary>
    public long PostsWritten { get; private set; }

    private long SegmentOf(long postNumber) => postNumber / segmentSize;

    /// <summary>
    /// The posts the head says are held, oldest first, as slices of the segments it names and of its tail. Segments are
    /// taken in the order the head lists them and each post by the number its segment gives it, so how the posts were
    /// cut into segments does not matter; a post number already read is not read twice, and a gap ends the reading (the
    /// caller finds the count short and refuses to go on).
    /// </summary>
    public async Task<List<StoredPosts>> ReadHeldAsync(StoredWindowHead head, CancellationToken cancellationToken)
    {
        var held = new List<StoredPosts>(head.SegmentKeys.Length + 1);
        var next = head.First;
        foreach (var key in head.SegmentKeys)
        {
            if (await store.ReadSegmentAsync(key, cancellationToken) is not { } segment)
            {
                // Nothing to clear later, and no range known: the next save writes every held post anew.
                continue;
            }

            _known[key] = (segment.First, segment.Count);
            if (!TryTake(segment.Posts, segment.First, head.TotalAppended, held, ref next))
            {
                return held;
            }
        }

        if (head.Tail is { } tail)
        {
            TryTake(tail, head.TailFirst, head.TotalAppended, held, ref next);
        }

        return held;
    }

    /// <summary>
    /// Adds the posts of <paramref name="posts"/> (the first numbered <paramref name="first"/>) from <paramref name="next"/>
    /// on and before <paramref name="end"/>; false when they start after <paramref name="next"/> (a gap).
    /// </summary>
    private static bool TryTake(StoredPosts posts, long first, long end, List<StoredPosts> held, ref long next)
    {
        var from = Math.Max(next, first);
        var to = Math.Min(first + posts.Count, end);
        if (from >= to)
        {
            return true;
        }

        if (from != next)
        {
            return false;
        }

        held.Add(posts.Slice((int)(from - first), (int)(to - from)));
        next = to;
        return true;
    }

    /// <summary>
    /// The post number below which every post <paramref name="head"/> holds is in a stored segment this activation
    /// knows the range of, and will never be written again: the segment numbers before the one the newest segmented post
    /// is in (saves write only newer posts, and merge only within the newest segment number). 0 when a save would
    /// write every held post anew (the segment size changed, or a listed segment's range is unknown).
    /// </summary>
    public long StoredWholeBefore(StoredWindowHead head)
    {
        if (head.SegmentSize != segmentSize || !head.SegmentKeys.All(_known.ContainsKey))
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
    public async Task<(long First, List<Post> Posts)> ReadRangeAsync(StoredWindowHead head, long from, long to, CancellationToken cancellationToken)
    {
        // The ranges are taken before the first await: a save may forget keys meanwhile.
        var keys = head.SegmentKeys.Where(key => _known.TryGetValue(key, out var known) && known.First < to && known.First + known.Count > from).ToList();

        var posts = new List<Post>((int)Math.Max(0, Math.Min(to - from, 100_000)));
        long? first = null;
        var next = from;
        foreach (var key in keys)
        {
            if (await store.ReadSegmentAsync(key, cancellationToken) is not { } segment)
            {
                if (first is null)
                {
                    continue;
                }

                break;
            }

            var start = Math.Max(next, segment.First);
            if (first is not null && start != next)
            {
                break;
            }

            var end = Math.Min(segment.First + segment.Count, to);
            if (start < end)
            {
                posts.AddRange(segment.Posts.Slice((int)(start - segment.First), (int)(end - start)).ReadAll());
            }

            first ??= start;
            next = segment.First + segment.Count;
        }

        return (first ?? from, posts);
    }

    /// <summary>
    /// Captures, now, what a save writes: the posts not in a segment yet (those after the stored head's segments end,
    /// <see cref="StoredWindowHead.SegmentsEnd"/>), either as the head's tail or as segments merged as the type
    /// describes, under new keys; and the keys the next head names, in post order. The caller writes the segments with
    /// <see cref="SegmentSave.WriteAsync"/>, then the head (with the tail), and once the head is stored calls
    /// <see cref="ForgetAsync"/> with the keys the previous head named that the new one does not.
    /// </summary>
    /// <param name="window">The window whose posts are saved.</param>
    /// <param name="saved">The head storage holds.</param>
    /// <param name="rewriteAll">
    /// Write every held post anew, as if storage held none of them: after storage lost the window's records.
    /// </param>
    public SegmentSave Capture(WordWindow window, StoredWindowHead saved, bool rewriteAll = false)
    {
        var firstHeld = window.First;
        var listed = new List<(string Key, long First, int Count)>(saved.SegmentKeys.Length + 2);
        var from = Math.Max(saved.SegmentsEnd, firstHeld);
        if (rewriteAll || saved.SegmentSize != segmentSize || !TryAddRanges(saved.SegmentKeys, listed))
        {
            // The stored segments are cut for another size, or their ranges are unknown: write every held post anew.
            listed.Clear();
            from = firstHeld;
        }

        listed.RemoveAll(segment => segment.First + segment.Count <= firstHeld);
        if (window.TotalAppended - from <= inlinePosts)
        {
            // Few enough posts outside the segments: they go in the head; no segment is written.
            var tail = window.GetStoredFrom(from, (int)(window.TotalAppended - from));
            return new SegmentSave(KeysOf(listed), tail.Count, () => Task.CompletedTask, from, tail.Count > 0 ? tail : null);
        }

        var writes = new List<(string Key, StoredSegment Segment)>();
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
            writes.Add((key, new StoredSegment(first, window.GetStoredFrom(first, count))));
            postsWritten += count;
            start = end;
        }

        return new SegmentSave(KeysOf(listed), postsWritten, async () =>
        {
            foreach (var (key, segment) in writes)
            {
                await store.WriteSegmentAsync(key, segment);
                _known[key] = (segment.First, segment.Count);
                PostsWritten += segment.Count;
            }
        }, window.TotalAppended, null);
    }

    /// <summary>
    /// Deletes the segments the stored head no longer names. Returns how many it could not delete (they are garbage
    /// only, and stay out of every head).
    /// </summary>
    public async Task<int> ForgetAsync(IEnumerable<string> keys)
    {
        var failed = 0;
        foreach (var key in keys)
        {
            if (!_known.Remove(key))
            {
                continue;
            }

            try
            {
                await store.DeleteSegmentAsync(key);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                failed++;
            }
        }

        return failed;
    }

    private static string[] KeysOf(List<(string Key, long First, int Count)> segments) => [.. segments.Select(segment => segment.Key)];

    /// <summary>Adds each key's range, as its stored segment records it; false if one is not known.</summary>
    private bool TryAddRanges(string[] keys, List<(string Key, long First, int Count)> ranges)
    {
        foreach (var key in keys)
        {
            if (!_known.TryGetValue(key, out var segment))
            {
                return false;
            }

            ranges.Add((key, segment.First, segment.Count));
        }

        return true;
    }
}
