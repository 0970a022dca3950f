using Orleans.Storage;
using WordCloud.Abstractions;

namespace WordCloud.Grains.Windows;

/// <summary>
/// Keeps a window's posts as segments of <c>segmentSize</c> posts, each a grain-storage state of its own. Segments are
/// written once: a save writes the segments that changed under new keys, then the head that names them; only after
/// the head is stored are the segments it no longer names cleared. So a save that fails or crashes half-way leaves
/// the previous head and all its segments as they were, and a second activation writing at the same time can only
/// leave unreferenced segments behind, never change one the stored head names.
/// </summary>
/// <remarks>Single-threaded, like the grain: its <see cref="CoalescingWriter"/> runs one save at a time.</remarks>
public sealed class SegmentStore(IGrainStorage storage, GrainId grainId, int segmentSize)
{
    /// <summary>The segments the stored head names, by key, with their ETags.</summary>
    private readonly Dictionary<string, GrainState<WindowSegment>> _stored = new(StringComparer.Ordinal);

    public long SegmentOf(long postNumber) => postNumber / segmentSize;

    /// <summary>The posts the head says are held, oldest first, read from the segments it names.</summary>
    public async Task<List<Post>> ReadAsync(WordWindowHead head, CancellationToken cancellationToken)
    {
        var posts = new List<Post>((int)Math.Max(0, head.TotalAppended - head.First));
        foreach (var key in head.SegmentKeys)
        {
            var segment = new GrainState<WindowSegment>();
            await storage.ReadStateAsync(key, grainId, segment, cancellationToken);
            _stored[key] = segment;
            if (!segment.RecordExists || segment.State is not { } stored)
            {
                continue;
            }

            for (var index = 0; index < stored.Posts.Length; index++)
            {
                var number = stored.First + index;
                if (number >= head.First && number < head.TotalAppended)
                {
                    posts.Add(stored.Posts[index]);
                }
            }
        }

        return posts;
    }

    /// <summary>
    /// Captures, now, the segments that changed since <paramref name="savedTotal"/> posts were saved, under new keys,
    /// and the keys the next head names. The returned save writes those segments; the caller then writes the head
    /// and, once it is stored, calls <see cref="ForgetAsync"/> with the keys the previous head named.
    /// </summary>
    public (string[] Keys, long FirstSegment, Func<Task> WriteSegmentsAsync) Capture(WordWindow window, WordWindowHead saved, long savedTotal)
    {
        var firstHeld = window.TotalAppended - window.Count;
        var firstSegment = SegmentOf(firstHeld);
        var lastSegment = window.Count == 0 ? firstSegment - 1 : SegmentOf(window.TotalAppended - 1);
        // After WordWindow:SegmentSize changed, the stored segments are cut differently: write all of them anew.
        var changedFrom = saved.SegmentSize == segmentSize ? SegmentOf(Math.Max(savedTotal, firstHeld)) : firstSegment;
        var keys = new List<string>();
        var writes = new List<(string Key, GrainState<WindowSegment> State)>();
        for (var number = firstSegment; number <= lastSegment; number++)
        {
            var previous = number - saved.FirstSegment;
            if (number < changedFrom && previous >= 0 && previous < saved.SegmentKeys.Length)
            {
                // Unchanged since the last save, and still named by the stored head: keep its key.
                keys.Add(saved.SegmentKeys[previous]);
                continue;
            }

            var start = Math.Max(number * segmentSize, firstHeld);
            var end = Math.Min((number + 1) * segmentSize, window.TotalAppended);
            var key = $"segment-{number}-{Guid.NewGuid():N}";
            keys.Add(key);
            writes.Add((key, new GrainState<WindowSegment> { State = new WindowSegment(start, window.GetPostsFrom(start, (int)(end - start), int.MaxValue, out _)) }));
        }

        return ([.. keys], firstSegment, async () =>
        {
            foreach (var (key, segment) in writes)
            {
                await storage.WriteStateAsync(key, grainId, segment, CancellationToken.None);
                _stored[key] = segment;
            }
        });
    }

    /// <summary>
    /// Clears the segments the stored head no longer names. Returns the keys it could not clear (they are garbage only,
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
                await storage.ClearStateAsync(key, grainId, segment, cancellationToken);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                failed++;
            }
        }

        return failed;
    }
}
