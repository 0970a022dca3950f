using Orleans.Storage;
using WordCloud.Abstractions;

namespace WordCloud.Grains.Windows;

/// <summary>
/// Reads and writes a window's posts as segments of <c>segmentSize</c> posts, each its own state ("segment-N") in the
/// grain storage, so that saving a batch writes the segment it landed in (and the next, when it crossed over), not
/// the whole window. Segments that fall wholly out of the window are cleared.
/// </summary>
/// <remarks>Single-threaded, like the grain: the grain's <see cref="CoalescingWriter"/> runs one save at a time.</remarks>
public sealed class SegmentStore(IGrainStorage storage, GrainId grainId, int segmentSize)
{
    private readonly Dictionary<long, GrainState<WindowSegment>> _segments = [];

    public int SegmentSize => segmentSize;

    /// <summary>Posts numbered <paramref name="first"/> to <paramref name="end"/> - 1, oldest first; missing ones are skipped.</summary>
    public async Task<List<Post>> ReadAsync(long first, long end, CancellationToken cancellationToken)
    {
        var posts = new List<Post>((int)Math.Max(0, end - first));
        for (var number = SegmentOf(first); first < end && number <= SegmentOf(end - 1); number++)
        {
            var segment = new GrainState<WindowSegment>();
            await storage.ReadStateAsync(Name(number), grainId, segment, cancellationToken);
            _segments[number] = segment;
            if (segment.RecordExists && segment.State is { } stored)
            {
                for (var index = 0; index < stored.Posts.Length; index++)
                {
                    var postNumber = stored.First + index;
                    if (postNumber >= first && postNumber < end)
                    {
                        posts.Add(stored.Posts[index]);
                    }
                }
            }
        }

        return posts;
    }

    /// <summary>
    /// Takes, now, the contents of every segment holding posts numbered <paramref name="changedFrom"/> or later, and
    /// returns the write of them; the caller awaits it before writing the head that points at them.
    /// </summary>
    public Func<CancellationToken, Task> Capture(WordWindow window, long changedFrom)
    {
        var firstHeld = window.TotalAppended - window.Count;
        var from = Math.Max(changedFrom, firstHeld);
        var writes = new List<(string Name, GrainState<WindowSegment> State)>();
        for (var number = SegmentOf(from); from < window.TotalAppended && number <= SegmentOf(window.TotalAppended - 1); number++)
        {
            var start = Math.Max(number * segmentSize, firstHeld);
            var end = Math.Min((number + 1) * segmentSize, window.TotalAppended);
            var posts = window.GetPostsFrom(start, (int)(end - start), int.MaxValue, out _);
            if (!_segments.TryGetValue(number, out var segment))
            {
                segment = new GrainState<WindowSegment>();
                _segments[number] = segment;
            }

            segment.State = new WindowSegment(start, posts);
            writes.Add((Name(number), segment));
        }

        return async cancellationToken =>
        {
            foreach (var (name, segment) in writes)
            {
                await storage.WriteStateAsync(name, grainId, segment, cancellationToken);
            }
        };
    }

    /// <summary>Clears the stored segments numbered <paramref name="from"/> up to the one before <paramref name="firstHeld"/>'s.</summary>
    public async Task<long> ClearBeforeAsync(long from, long firstHeld, CancellationToken cancellationToken)
    {
        var keep = SegmentOf(firstHeld);
        for (var number = from; number < keep; number++)
        {
            if (!_segments.TryGetValue(number, out var segment))
            {
                // Written by an earlier activation: read it first, so the clear carries its current ETag.
                segment = new GrainState<WindowSegment>();
                await storage.ReadStateAsync(Name(number), grainId, segment, cancellationToken);
            }

            if (segment.RecordExists)
            {
                await storage.ClearStateAsync(Name(number), grainId, segment, cancellationToken);
            }

            _segments.Remove(number);
        }

        return Math.Max(from, keep);
    }

    public long SegmentOf(long postNumber) => postNumber / segmentSize;

    private static string Name(long number) => $"segment-{number}";
}
