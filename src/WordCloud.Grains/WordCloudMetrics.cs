using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using WordCloud.Abstractions;
using WordCloud.Grains.Windows;

namespace WordCloud.Grains;

/// <summary>
/// The project's own instruments, on the meter "WordCloud" (exported beside Orleans' "Microsoft.Orleans"): what the
/// windows of this silo did with the posts they were sent, and how full they are. Labels take a few fixed values only,
/// never a topic, so a silo with ten thousand topics exports as many series as one with one.
/// </summary>
public sealed class WordCloudMetrics
{
    public const string MeterName = "WordCloud";

    private readonly Counter<long> _appended;
    private readonly Counter<long> _evicted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _deleted;
    private readonly Counter<long> _batches;
    private readonly Counter<long> _saveFailures;
    private readonly Counter<long> _segmentPostsWritten;
    private readonly Histogram<double> _appendDuration;
    private readonly Histogram<double> _storageDuration;

    /// <summary>The windows active on this silo; read by the gauges when the metrics are collected.</summary>
    private readonly ConcurrentDictionary<PersistentWindow, byte> _windows = new();

    public WordCloudMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _appended = meter.CreateCounter<long>("wordcloud.posts.appended", "{post}", "Posts accepted into a window.");
        _evicted = meter.CreateCounter<long>("wordcloud.posts.evicted", "{post}", "Posts that left a window to make room.");
        _rejected = meter.CreateCounter<long>("wordcloud.posts.rejected", "{post}", "Posts refused as invalid.");
        _duplicates = meter.CreateCounter<long>("wordcloud.posts.duplicates", "{post}", "Posts dropped because the window holds a post with the same id.");
        _deleted = meter.CreateCounter<long>("wordcloud.posts.deleted", "{post}", "Posts taken out of a window by a deletion.");
        _batches = meter.CreateCounter<long>("wordcloud.batches", "{batch}",
            "Batches a window was sent, by outcome: applied, already_applied (a retry of an applied batch), out_of_order (deferred: an earlier batch is missing), failed (refused as invalid, or its save failed).");
        _saveFailures = meter.CreateCounter<long>("wordcloud.window.save.failures", "{append}",
            "Appends that failed because the window's save to storage failed; the window is loaded again from storage at its next call.");
        _segmentPostsWritten = meter.CreateCounter<long>("wordcloud.segments.posts.written", "{post}",
            "Posts serialised into stored segments, merges and whole-segment rewrites included; over posts appended, the write amplification.");
        // Seconds, as Prometheus asks of durations; buckets from half a millisecond (a batch in memory) to 10 s (a
        // save that waited on a storage that stopped answering).
        var buckets = new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] };
        _appendDuration = meter.CreateHistogram("wordcloud.append.duration", "s",
            "Time a window took to answer an append, its save to storage included, by outcome: applied, already_applied, out_of_order, failed.", advice: buckets);
        _storageDuration = meter.CreateHistogram("wordcloud.storage.duration", "s",
            "Time of a window's calls to its storage, by operation (read, write, delete) and outcome (ok, failed).", advice: buckets);
        meter.CreateObservableGauge("wordcloud.windows", CountWindows, "{window}",
            "Windows active on this silo, by fill: empty, below_half, half_or_more (not full) and full.");
        meter.CreateObservableGauge("wordcloud.windows.posts", () => _windows.Keys.Sum(window => (long)window.Count), "{post}",
            "Posts held by the windows active on this silo.");
        meter.CreateObservableGauge("wordcloud.windows.capacity", () => _windows.Keys.Sum(window => (long)window.Capacity), "{post}",
            "Posts the windows active on this silo can hold; over it, wordcloud.windows.posts is how full they are.");
    }

    public void Record(AppendResult result, TimeSpan duration)
    {
        var outcome = result.AlreadyApplied ? "already_applied" : result.OutOfOrder ? "out_of_order" : "applied";
        _batches.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        _appendDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
        _appended.Add(result.Accepted);
        _evicted.Add(result.Evicted);
        _rejected.Add(result.Rejected.Count);
        _duplicates.Add(result.Duplicates);
        _deleted.Add(result.Deleted);
    }

    public void RecordFailedAppend(TimeSpan duration)
    {
        _batches.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
        _appendDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", "failed"));
    }

    public void RecordSaveFailure() => _saveFailures.Add(1);

    public void RecordStorageCall(string operation, bool failed, TimeSpan duration) =>
        _storageDuration.Record(duration.TotalSeconds, new("operation", operation), new("outcome", failed ? "failed" : "ok"));

    public void RecordSegmentPostsWritten(long posts) => _segmentPostsWritten.Add(posts);

    /// <summary>Counts <paramref name="window"/> in the gauges until <see cref="WindowDeactivated"/>.</summary>
    public void WindowActivated(PersistentWindow window) => _windows.TryAdd(window, 0);

    public void WindowDeactivated(PersistentWindow window) => _windows.TryRemove(window, out _);

    private IEnumerable<Measurement<long>> CountWindows()
    {
        long empty = 0, belowHalf = 0, halfOrMore = 0, full = 0;
        foreach (var window in _windows.Keys)
        {
            // Read while the window's grain may be appending: a measurement, not an invariant.
            var (count, capacity) = (window.Count, window.Capacity);
            if (count == 0)
            {
                empty++;
            }
            else if (count >= capacity)
            {
                full++;
            }
            else if (2 * count < capacity)
            {
                belowHalf++;
            }
            else
            {
                halfOrMore++;
            }
        }

        return
        [
            new(empty, new KeyValuePair<string, object?>("fill", "empty")),
            new(belowHalf, new KeyValuePair<string, object?>("fill", "below_half")),
            new(halfOrMore, new KeyValuePair<string, object?>("fill", "half_or_more")),
            new(full, new KeyValuePair<string, object?>("fill", "full")),
        ];
    }
}
