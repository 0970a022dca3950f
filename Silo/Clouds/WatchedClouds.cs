using System.Collections.Concurrent;
using WordCloud.Abstractions;

namespace WordCloud.Silo.Clouds;

/// <summary>
/// The latest cloud of every topic this silo serves, as the topics' windows push it (<see cref="ICloudWatcher"/>): the
/// JSON API, the event streams and the page read it here, never from the window, so however many pages are open a silo
/// watches each topic once and a read does not wait for the window.
/// </summary>
/// <remarks>
/// The first read of a topic starts watching it: it asks the window for its cloud and to push every change. Every
/// <see cref="RenewEvery"/> the silo renews each watch, which also fetches the cloud afresh (a window that moved to
/// another silo, or whose push was lost, is found again within that time). A topic nobody read for
/// <see cref="Linger"/> is no longer watched. Pushes and reads see only what the window has stored.
/// </remarks>
public sealed partial class WatchedClouds(IGrainFactory grains, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<WatchedClouds> logger)
    : BackgroundService, ICloudWatcher
{
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan Linger = TimeSpan.FromMinutes(1);

    /// <summary>How many times a read fetches the cloud again when it comes back older than a total already acknowledged.</summary>
    private const int CatchUpAttempts = 3;

    private readonly ConcurrentDictionary<string, WatchedTopic> _topics = new(StringComparer.Ordinal);

    /// <summary>Topics the directory lists: a topic once listed stays listed, so the directory is asked once per topic.</summary>
    private readonly ConcurrentDictionary<string, bool> _listed = new(StringComparer.Ordinal);
    private ICloudWatcher? _self;

    /// <summary>This silo as a watcher, made on first use (the silo is up by then).</summary>
    private ICloudWatcher Self => LazyInitializer.EnsureInitialized(ref _self, () => grains.CreateObjectReference<ICloudWatcher>(this));

    /// <summary>
    /// Whether the topic has a window worth reading, by the topic directory: a read of a topic that never had posts
    /// must not make it a window. Asked of the directory until the topic is listed, then remembered.
    /// </summary>
    public async Task<bool> HasPostsAsync(string topic)
    {
        if (_listed.ContainsKey(topic) || _topics.ContainsKey(topic))
        {
            return true;
        }

        if (!await grains.GetGrain<ITopicDirectoryGrain>(ITopicDirectoryGrain.Key).ContainsAsync(topic))
        {
            return false;
        }

        _listed.TryAdd(topic, true);
        return true;
    }

    /// <summary>The topic's latest cloud; the first read of a topic (or one that must see a newer total) asks its window.</summary>
    public async Task<WordCloudView> GetAsync(string topic, CancellationToken cancellationToken)
    {
        var watched = Watched(topic);
        for (var attempt = 1; !watched.IsCurrent && attempt <= CatchUpAttempts; attempt++)
        {
            await watched.Refresh(WatchAsync).WaitAsync(cancellationToken);
        }

        return watched.Latest ?? await watched.Refresh(WatchAsync).WaitAsync(cancellationToken);
    }

    /// <summary>Completes once the topic's cloud is other than <paramref name="seen"/>.</summary>
    public Task WhenChanged(string topic, WordCloudView seen) => Watched(topic).WhenChanged(seen);

    /// <summary>An append through this silo left the topic's window at <paramref name="totalAppended"/>: reads from now on show at least that.</summary>
    public void Appended(string topic, long totalAppended)
    {
        // A topic nobody reads here is not watched for it: its first read fetches the cloud afresh.
        if (_topics.TryGetValue(topic, out var watched))
        {
            watched.AtLeast(totalAppended);
        }
    }

    Task ICloudWatcher.CloudChangedAsync(WordCloudView cloud)
    {
        if (_topics.TryGetValue(cloud.Topic, out var watched))
        {
            watched.Offer(cloud);
        }

        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Renewals stop as soon as the silo starts to stop, before Orleans does: a renewal then could only fail.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        using var timer = new PeriodicTimer(RenewEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token))
            {
                await Task.WhenAll(_topics.Values.Select(RenewAsync));
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The silo is stopping; the windows drop this silo's watches when their leases run out.
        }
    }

    private WatchedTopic Watched(string topic)
    {
        var watched = _topics.GetOrAdd(topic, static (name, time) => new WatchedTopic(name, time), time);
        watched.Want();
        return watched;
    }

    private async Task RenewAsync(WatchedTopic watched)
    {
        if (watched.Unwanted > Linger)
        {
            _topics.TryRemove(new KeyValuePair<string, WatchedTopic>(watched.Topic, watched));
            LogUnwatched(logger, watched.Topic, Linger.TotalSeconds);
            try
            {
                await grains.GetGrain<IWordWindowGrain>(watched.Topic).UnwatchAsync(Self);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                // The window drops the watch anyway once its lease runs out.
                LogUnwatchFailed(logger, watched.Topic, failure.Message);
            }

            return;
        }

        try
        {
            await watched.Refresh(WatchAsync);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            // Whatever the window's trouble (a silo lost, storage failing, a window that does not load), the silo goes
            // on serving the last cloud and tries again; a renewal must never stop the silo.
            LogRenewFailed(logger, watched.Topic, RenewEvery.TotalSeconds, failure.Message);
        }
    }

    private async Task<WordCloudView> WatchAsync(WatchedTopic watched)
    {
        var first = watched.Latest is null;
        var cloud = await grains.GetGrain<IWordWindowGrain>(watched.Topic).WatchAsync(Self);
        if (first)
        {
            LogWatching(logger, watched.Topic, _topics.Count);
        }

        return cloud;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Watching the window of {Topic}: its cloud is pushed to this silo as it changes ({Count} topics watched)")]
    private static partial void LogWatching(ILogger logger, string topic, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "No longer watching {Topic}: nobody read it for {Seconds} s")]
    private static partial void LogUnwatched(ILogger logger, string topic, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the watch of {Topic} failed, trying again in {Seconds} s; its last cloud is served meanwhile: {Reason}")]
    private static partial void LogRenewFailed(ILogger logger, string topic, double seconds, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Unwatching {Topic} failed (its lease runs out instead): {Reason}")]
    private static partial void LogUnwatchFailed(ILogger logger, string topic, string reason);
}
