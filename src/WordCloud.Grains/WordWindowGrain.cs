using System.Diagnostics;
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
/// cloud (<see cref="CloudWatchers"/>), has its topic listed (and refused beyond the cluster's topic limit), tells the
/// topic list what it holds, and records metrics and logs.
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

    /// <summary>How long after a change the window tells the topic directory what it holds: changes meanwhile share it.</summary>
    public static readonly TimeSpan ListingDelay = TimeSpan.FromSeconds(2);

    private PersistentWindow? _window;
    private CloudWatchers? _watchers;
    private string? _topicError;
    private long _segmentPostsReported;
    private bool _admitted;
    private IGrainTimer? _listing;

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
            _window = await PersistentWindow.LoadAsync(Topic, options.Value, tokenizer, new GrainStorageWindowStore(storage, this.GetGrainId(), metrics, logger), time, logger, cancellationToken);
        }
        catch (InvalidDataException damaged)
        {
            WordWindowLog.Damaged(logger, Topic, damaged.Message);
            throw;
        }

        _watchers = new CloudWatchers(this, _window, time, logger);
        var stats = await _window.ReadStatsAsync();
        // Last: Orleans deactivates (and so unregisters) only an activation that finished activating.
        metrics.WindowActivated(_window);
        WordWindowLog.Activated(logger, Topic, stats.Capacity, stats.Count, stats.TotalAppended);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        WordWindowLog.Deactivated(logger, Topic, reason.ReasonCode.ToString(), _window?.Count ?? 0);
        if (_window is not null)
        {
            metrics.WindowDeactivated(_window);
            // Callers of a failed save have their exception already; this only keeps the save from being cut off.
            await _window.Idle.WaitAsync(cancellationToken);
        }
    }

    public async Task<AppendResult> AppendAsync(PostBatch batch)
    {
        using (batch)
        {
            var window = Window;
            var listed = _admitted;
            var started = Stopwatch.GetTimestamp();
            AppendResult result;
            try
            {
                await AdmitTopicAsync(window);
                result = await window.AppendAsync(batch);
            }
            catch (Exception failure)
            {
                metrics.RecordFailedAppend(Stopwatch.GetElapsedTime(started));
                if (window.HasFailed)
                {
                    // Memory is ahead of storage: the next call loads the window again from what storage really holds.
                    WordWindowLog.SaveFailed(logger, Topic, failure.GetType().Name, failure.Message);
                    metrics.RecordSaveFailure();
                    DeactivateOnIdle();
                }

                throw;
            }

            Report(batch, result, Stopwatch.GetElapsedTime(started));
            if (result.Accepted > 0 || result.Deleted > 0)
            {
                _watchers!.Changed();
                // At once the first time (a new topic shows in the list with its posts), then at most every ListingDelay.
                _listing ??= this.RegisterGrainTimer(ReportListingAsync, new GrainTimerCreationOptions(listed ? ListingDelay : TimeSpan.Zero, Timeout.InfiniteTimeSpan) { Interleave = true });
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

    private void Report(PostBatch batch, AppendResult result, TimeSpan duration)
    {
        metrics.Record(result, duration);
        var written = Window.SegmentPostsWritten;
        metrics.RecordSegmentPostsWritten(written - _segmentPostsReported);
        _segmentPostsReported = written;
        WordWindowLog.Outcome(logger, Topic, batch, result);
    }

    /// <summary>
    /// Has the topic directory list the topic before the window takes its first post, once per activation. A new topic
    /// beyond the cluster's limit is refused; a topic that has had posts keeps taking them whatever the directory says
    /// (a directory that lost its state lists it again), and a directory that cannot be reached only delays the listing.
    /// </summary>
    /// <exception cref="ArgumentException">The topic is new and the cluster keeps windows for as many topics as it may.</exception>
    private async Task AdmitTopicAsync(PersistentWindow window)
    {
        if (_admitted)
        {
            return;
        }

        var isNew = window.TotalAppended == 0;
        try
        {
            _admitted = await GrainFactory.GetGrain<ITopicDirectoryGrain>(ITopicDirectoryGrain.Key).AdmitAsync(Topic);
        }
        catch (Exception failure) when (!isNew && failure is OrleansException or TimeoutException)
        {
            WordWindowLog.RegistrationFailed(logger, Topic, failure.Message);
            return;
        }

        if (!_admitted && isNew)
        {
            var limit = options.Value.MaxTopics;
            throw new ArgumentException($"topic {Topic} is new, and the cluster keeps windows for at most {limit} topics ({WordWindowOptions.SectionName}:{nameof(WordWindowOptions.MaxTopics)}); post to a topic that has posts, or raise the limit");
        }
    }

    /// <summary>Tells the topic directory what the window holds now, for the topic list (which never wakes a window).</summary>
    private async Task ReportListingAsync(CancellationToken cancellationToken)
    {
        _listing?.Dispose();
        _listing = null;
        var stats = await Window.ReadStatsAsync();
        await GrainFactory.GetGrain<ITopicDirectoryGrain>(ITopicDirectoryGrain.Key).ReportAsync(new TopicListing(Topic, stats.Count, stats.Capacity, stats.TotalAppended));
    }
}
