using Orleans.Concurrency;

namespace WordCloud.Abstractions;

/// <summary>
/// Receives a window's cloud as it changes (<see cref="IWordWindowGrain.WatchAsync"/>): each silo that serves a topic's
/// page and API watches its window once, however many pages are open there.
/// </summary>
[Alias("WordCloud.ICloudWatcher")]
public interface ICloudWatcher : IGrainObserver
{
    /// <summary>How long a watch lasts unless renewed; a watcher that stopped renewing (its silo died) is dropped.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(20);

    /// <summary>The window's cloud has changed to <paramref name="cloud"/>; sent without waiting for an answer.</summary>
    [OneWay]
    [Alias("CloudChanged")]
    Task CloudChangedAsync(WordCloudView cloud);
}
