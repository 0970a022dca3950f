using Microsoft.Extensions.Logging;
using Orleans.Utilities;
using WordCloud.Abstractions;
using WordCloud.Grains.Windows;

namespace WordCloud.Grains;

/// <summary>
/// The silos watching one window (<see cref="IWordWindowGrain.WatchAsync"/>), and the pushes of its cloud to them: at
/// once after a quiet spell, then at most every <see cref="PushInterval"/> while it keeps changing. A watcher that stops
/// renewing its lease (its silo died) is dropped.
/// </summary>
/// <remarks>Runs on its grain's scheduler: the pushes are one-shot grain timers, interleaving with the grain's calls.</remarks>
internal sealed class CloudWatchers(IGrainBase grain, PersistentWindow window, TimeProvider time, ILogger logger)
{
    /// <summary>Watchers get the cloud at most this often, so a busy window costs them a few messages a second.</summary>
    public static readonly TimeSpan PushInterval = TimeSpan.FromMilliseconds(250);

    private readonly ObserverManager<ICloudWatcher> _watchers = new(ICloudWatcher.Lease, logger) { GetDateTime = () => time.GetUtcNow().UtcDateTime };
    private IGrainTimer? _push;
    private long _lastPush;

    /// <summary>Starts or renews <paramref name="watcher"/>'s lease.</summary>
    public void Watch(ICloudWatcher watcher) => _watchers.Subscribe(watcher, watcher);

    public void Unwatch(ICloudWatcher watcher) => _watchers.Unsubscribe(watcher);

    /// <summary>The window changed: its cloud goes to the watchers now, or once <see cref="PushInterval"/> has passed since the last push.</summary>
    public void Changed()
    {
        if (_watchers.Count == 0 || _push is not null)
        {
            return;
        }

        var wait = PushInterval - time.GetElapsedTime(_lastPush);
        _push = grain.RegisterGrainTimer(PushAsync, new GrainTimerCreationOptions(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan) { Interleave = true });
    }

    private async Task PushAsync()
    {
        _push?.Dispose();
        _push = null;
        _lastPush = time.GetTimestamp();
        WordCloudView cloud;
        try
        {
            cloud = await window.ReadCloudAsync();
        }
        catch (Exception failure) when (window.HasFailed)
        {
            // The append whose save failed has logged it; watchers find the window again when they renew.
            WordWindowLog.PushSkipped(logger, window.Topic, failure.Message);
            return;
        }

        await _watchers.Notify(watcher => watcher.CloudChangedAsync(cloud));
    }
}
