using WordCloud.Abstractions;

namespace WordCloud.Silo.Clouds;

/// <summary>
/// One topic this silo watches (<see cref="WatchedClouds"/>): the newest cloud its window sent, when someone last
/// wanted it, and the least total a reader may be shown. Thread-safe: pushes, renewals and requests arrive on any thread.
/// </summary>
public sealed class WatchedTopic(string topic, TimeProvider time)
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WordCloudView? _latest;
    private long _minimumTotal;
    private long _wanted = time.GetTimestamp();
    private Task<WordCloudView>? _refreshing;

    public string Topic => topic;

    /// <summary>The newest cloud received, or null before the first.</summary>
    public WordCloudView? Latest => Volatile.Read(ref _latest);

    /// <summary>True when <see cref="Latest"/> may be shown: it exists and holds every post a caller of this silo was told is stored.</summary>
    public bool IsCurrent => Latest is { } latest && latest.Stats.TotalAppended >= Interlocked.Read(ref _minimumTotal);

    /// <summary>How long since someone last wanted this topic's cloud.</summary>
    public TimeSpan Unwanted => time.GetElapsedTime(Interlocked.Read(ref _wanted));

    /// <summary>Someone wants the cloud now: the topic stays watched a while longer.</summary>
    public void Want() => Interlocked.Exchange(ref _wanted, time.GetTimestamp());

    /// <summary>An append through this silo left the window at <paramref name="totalAppended"/>: no older cloud is shown from now on.</summary>
    public void AtLeast(long totalAppended)
    {
        lock (_lock)
        {
            _minimumTotal = Math.Max(_minimumTotal, totalAppended);
        }
    }

    /// <summary>Keeps <paramref name="cloud"/> if it is newer than <see cref="Latest"/> and wakes whoever waits for a change.</summary>
    public void Offer(WordCloudView cloud)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            if (!cloud.IsNewerThan(_latest))
            {
                return;
            }

            Volatile.Write(ref _latest, cloud);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>Completes once a cloud other than <paramref name="seen"/> is the latest (at once if it already is).</summary>
    public Task WhenChanged(WordCloudView seen)
    {
        lock (_lock)
        {
            return ReferenceEquals(_latest, seen) ? _changed.Task : Task.CompletedTask;
        }
    }

    /// <summary>Runs <paramref name="watch"/> unless a call of it is under way already, whose result is shared.</summary>
    public Task<WordCloudView> Refresh(Func<WatchedTopic, Task<WordCloudView>> watch)
    {
        lock (_lock)
        {
            return _refreshing ??= RefreshAsync(watch);
        }
    }

    private async Task<WordCloudView> RefreshAsync(Func<WatchedTopic, Task<WordCloudView>> watch)
    {
        try
        {
            // Yield first, so that the lock is released before the call starts and the task is stored before it ends.
            await Task.Yield();
            var cloud = await watch(this);
            Offer(cloud);
            return Latest!;
        }
        finally
        {
            lock (_lock)
            {
                _refreshing = null;
            }
        }
    }
}
