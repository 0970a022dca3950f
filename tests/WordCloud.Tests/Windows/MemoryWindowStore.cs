using System.Globalization;
using Orleans.Storage;
using WordCloud.Grains.Windows;

namespace WordCloud.Tests.Windows;

/// <summary>
/// A window's storage kept in memory for tests: a head and segments, every call asynchronous. It fails the test if a
/// segment key is written twice or a key it does not hold is deleted, and on demand it fails or holds the next call of a
/// kind until the test releases it. Like the real stores, it refuses a head write unless the stored head is the one it
/// last read or wrote (none, for a first head), with an <see cref="InconsistentStateException"/>.
/// </summary>
public sealed class MemoryWindowStore : IWindowStore
{
    private readonly Dictionary<string, StoredSegment> _segments = new(StringComparer.Ordinal);
    private readonly HashSet<string> _everWritten = new(StringComparer.Ordinal);
    private readonly Dictionary<StoreCall, Queue<PlannedCall>> _planned = [];
    private readonly HashSet<string> _lost = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Bumped by each head write; 0 while there is no head. The ETag of the stored head, in effect.</summary>
    private long _headVersion;

    /// <summary>The head version this store last read or wrote: a head write must find it stored.</summary>
    private long _expectedHeadVersion;

    /// <summary>The kinds of call the test can fail or hold.</summary>
    public enum StoreCall
    {
        ReadHead,
        WriteHead,
        ReadSegment,
        WriteSegment,
        DeleteSegment,
    }

    public StoredWindowHead? Head { get; private set; }

    public int HeadWrites { get; private set; }

    public int SegmentWrites { get; private set; }

    public int SegmentReads { get; private set; }

    public IReadOnlyCollection<string> SegmentKeys
    {
        get
        {
            lock (_lock)
            {
                return [.. _segments.Keys];
            }
        }
    }

    public StoredSegment[] Segments(IEnumerable<string> keys)
    {
        lock (_lock)
        {
            return [.. keys.Select(key => _segments[key])];
        }
    }

    /// <summary>The next call of this kind fails with <paramref name="failure"/> (by default an IOException naming it).</summary>
    public void FailNext(StoreCall call, Exception? failure = null) =>
        Plan(call).Fail(failure ?? new IOException($"{call} failed, as the test asked"));

    /// <summary>The next call of this kind waits, once it arrives, until the test releases or fails it.</summary>
    public PlannedCall HoldNext(StoreCall call) => Plan(call);

    /// <summary>Removes a segment behind the window's back, as lost storage would.</summary>
    public void Lose(string key)
    {
        lock (_lock)
        {
            _segments.Remove(key);
        }
    }

    /// <summary>Loses the head and every segment, as a store lost with its silo (or a Redis without persistence restarting) would.</summary>
    public void LoseEverything()
    {
        lock (_lock)
        {
            _lost.UnionWith(_segments.Keys);
            _segments.Clear();
            Head = null;
            _headVersion = 0;
        }
    }

    public async Task<StoredWindowHead?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        await ArriveAsync(StoreCall.ReadHead);
        lock (_lock)
        {
            _expectedHeadVersion = _headVersion;
            return Head;
        }
    }

    public async Task WriteHeadAsync(StoredWindowHead head)
    {
        await ArriveAsync(StoreCall.WriteHead);
        lock (_lock)
        {
            if (_headVersion != _expectedHeadVersion)
            {
                throw new InconsistentStateException(
                    $"head write refused: it expects version {_expectedHeadVersion} but the stored head has {_headVersion}",
                    _headVersion.ToString(CultureInfo.InvariantCulture),
                    _expectedHeadVersion.ToString(CultureInfo.InvariantCulture));
            }

            Head = head;
            _expectedHeadVersion = ++_headVersion;
            HeadWrites++;
        }
    }

    public async Task<StoredSegment?> ReadSegmentAsync(string key, CancellationToken cancellationToken)
    {
        await ArriveAsync(StoreCall.ReadSegment);
        lock (_lock)
        {
            SegmentReads++;
            return _segments.GetValueOrDefault(key);
        }
    }

    public async Task WriteSegmentAsync(string key, StoredSegment segment)
    {
        await ArriveAsync(StoreCall.WriteSegment);
        lock (_lock)
        {
            Assert.True(_everWritten.Add(key), $"segment {key} written twice");
            _segments[key] = segment;
            SegmentWrites++;
        }
    }

    public async Task DeleteSegmentAsync(string key)
    {
        await ArriveAsync(StoreCall.DeleteSegment);
        lock (_lock)
        {
            // A segment storage lost has nothing to delete, as in the real stores.
            Assert.True(_segments.Remove(key) || _lost.Contains(key), $"segment {key} deleted but not stored");
        }
    }

    private PlannedCall Plan(StoreCall call)
    {
        var planned = new PlannedCall();
        lock (_lock)
        {
            if (!_planned.TryGetValue(call, out var queue))
            {
                _planned[call] = queue = new Queue<PlannedCall>();
            }

            queue.Enqueue(planned);
        }

        return planned;
    }

    /// <summary>Every call yields first, as real storage does; a planned call then waits for, or fails with, what the test planned.</summary>
    private async Task ArriveAsync(StoreCall call)
    {
        await Task.Yield();
        PlannedCall? planned = null;
        lock (_lock)
        {
            if (_planned.TryGetValue(call, out var queue) && queue.Count > 0)
            {
                planned = queue.Dequeue();
            }
        }

        if (planned is not null)
        {
            await planned.ArriveAsync();
        }
    }

    /// <summary>A call the test decides the outcome of: it goes on once released, or fails.</summary>
    public sealed class PlannedCall
    {
        private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the call reaches the store.</summary>
        public Task Arrived => _arrived.Task;

        public void Release() => _outcome.SetResult();

        public void Fail(Exception failure) => _outcome.SetException(failure);

        internal Task ArriveAsync()
        {
            _arrived.TrySetResult();
            return _outcome.Task;
        }
    }
}
