using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Placement;
using Orleans.Storage;
using WordCloud.Abstractions;
using WordCloud.Grains.Storage;
using WordCloud.Grains.Text;
using WordCloud.Grains.Windows;

namespace WordCloud.Grains;

/// <summary>
/// One topic's window of recent posts: Orleans glue around a <see cref="PersistentWindow"/>, which holds the window,
/// saves it and answers reads. The grain checks the topic key, loads the window on activation, lets silos watch its
/// cloud (<see cref="CloudWatchers"/>), lists its topic, and records metrics and logs.
/// </summary>
/// <remarks>
/// Reentrant for group commit: an append changes the window in one synchronous step, then awaits its save, so appends
/// arriving while a save runs are applied in arrival order and share the next one, and reads are not queued behind
/// saves. Placed on the silo whose gateway brought the call that activated it: an Orleans client sends every call for
/// one grain through the same gateway, so a producer's batches then reach the window without a second hop.
/// </remarks>
[Reentrant]
[PreferLocalPlacement]
public sealed class WordWindowGrain(
    [FromKeyedServices(WordWindowGrain.StorageName)] IGrainStorage storage,
    IOptions<WordWindowOptions> options,
    Tokenizer tokenizer,
    WordCloudMetrics metrics,
    TimeProvider time,
    ILogger<WordWindowGrain> logger) : Grain, IWordWindowGrain
{
    /// <summary>The grain storage provider the silo must register for windows.</summary>
    public const string StorageName = "WordWindows";

    private PersistentWindow? _window;
    private CloudWatchers? _watchers;
    private string? _topicError;
    private long _segmentPostsReported;
    private bool _registered;

    private string Topic => this.GetPrimaryKeyString();

    private PersistentWindow Window => _topicError is null ? _window! : throw new ArgumentException(_topicError);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!TopicName.IsNormalized(Topic))
        {
            // Callers normalise topics before asking for a grain; a raw key is refused on every call, not activated.
            _topicError = $"invalid topic key '{Topic}': {TopicName.Rule}; normalise it with TopicName.Normalize";
            WordWindowLog.InvalidTopic(logger, Topic);
            return;
        }

        try
        {
            _window = await PersistentWindow.LoadAsync(Topic, options.Value, tokenizer, new GrainStorageWindowStore(storage, this.GetGrainId()), time, logger, cancellationToken);
        }
        catch (InvalidDataException damaged)
        {
            WordWindowLog.Damaged(logger, Topic, damaged.Message);
            throw;
        }

        _watchers = new CloudWatchers(this, _window, time, logger);
        var stats = await _window.ReadStatsAsync();
        WordWindowLog.Activated(logger, Topic, stats.Capacity, stats.Count, stats.TotalAppended);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        WordWindowLog.Deactivated(logger, Topic, reason.ReasonCode.ToString(), _window?.Count ?? 0);
        if (_window is not null)
        {
            // Callers of a failed save have their exception already; this only keeps the save from being cut off.
            await _window.Idle.WaitAsync(cancellationToken);
        }
    }

    public async Task<AppendResult> AppendAsync(PostBatch batch)
    {
        using (batch)
        {
            var window = Window;
            AppendResult result;
            try
            {
                result = await window.AppendAsync(batch);
            }
            catch (Exception failure) when (window.HasFailed)
            {
                // Memory is ahead of storage: the next call loads the window again from what storage really holds.
                WordWindowLog.SaveFailed(logger, Topic, failure.GetType().Name, failure.Message);
                DeactivateOnIdle();
                throw;
            }

            Report(batch, result);
            if (result.Accepted > 0)
            {
                _watchers!.Changed();
                await RegisterTopicAsync();
            }

            return result;
        }
    }

    public Task<WindowStats> GetStatsAsync() => Window.ReadStatsAsync();

    public async Task<WordCloudView> GetCloudAsync(int top, int newestPosts) => (await Window.ReadCloudAsync()).Take(top, newestPosts);

    public Task<PostPage> GetPostPageAsync(long first, int maxPosts, int top) => Window.ReadPageAsync(first, maxPosts, top);

    public Task<WordCloudView> WatchAsync(ICloudWatcher watcher)
    {
        var window = Window;
        _watchers!.Watch(watcher);
        return window.ReadCloudAsync();
    }

    public Task UnwatchAsync(ICloudWatcher watcher)
    {
        _watchers?.Unwatch(watcher);
        return Task.CompletedTask;
    }

    private void Report(PostBatch batch, AppendResult result)
    {
        metrics.Record(result.Accepted, result.Evicted, result.Rejected.Count);
        var written = Window.SegmentPostsWritten;
        metrics.RecordSegmentPostsWritten(written - _segmentPostsReported);
        _segmentPostsReported = written;
        WordWindowLog.Outcome(logger, Topic, batch, result);
    }

    /// <summary>
    /// Lists the topic in the directory, once per activation (the directory ignores topics it knows). The posts are
    /// already saved, so a failure here only delays the listing to the next append; it does not fail the append.
    /// </summary>
    private async Task RegisterTopicAsync()
    {
        if (_registered)
        {
            return;
        }

        try
        {
            await GrainFactory.GetGrain<ITopicDirectoryGrain>(ITopicDirectoryGrain.Key).RegisterAsync(Topic);
            _registered = true;
        }
        catch (Exception failure) when (failure is OrleansException or TimeoutException)
        {
            WordWindowLog.RegistrationFailed(logger, Topic, failure.Message);
        }
    }
}
