using System.Diagnostics.Metrics;
using WordCloud.Client.Sources;

namespace WordCloud.Client.Commands;

/// <summary>
/// The producer's instruments, on the meter <see cref="MeterName"/> that the client's telemetry exports: what the
/// source saw (from its <see cref="FeedCounters"/>), what the window made of it (from the producer's tally) and how far
/// behind a live feed the source is. All are observed when a reader collects, so the run's hot path pays nothing.
/// </summary>
internal static class ProducerMetrics
{
    public const string MeterName = "WordCloud.Producer";

    public static void Register(Meter meter, FeedCounters feed, Func<ProducerTally> tally, TimeProvider time)
    {
        meter.CreateObservableCounter("wordcloud.producer.posts.seen", () => feed.Seen, "{event}", "Events or records read from the source, whatever they were.");
        meter.CreateObservableCounter("wordcloud.producer.posts.matched", () => feed.Matched, "{post}", "Posts and deletions the source passed on to the producer.");
        meter.CreateObservableCounter("wordcloud.producer.posts.skipped", () => feed.Skipped, "{event}", "Events not for this topic: other kinds, collections, operations, languages.");
        meter.CreateObservableCounter("wordcloud.producer.posts.malformed", () => feed.Malformed, "{event}", "Events or records that could not be read.");
        meter.CreateObservableCounter("wordcloud.producer.reconnects", () => feed.Reconnects, "{reconnect}", "Connections or polls of the source that failed and were tried again.");
        meter.CreateObservableCounter("wordcloud.producer.posts.sent", () => tally().Sent, "{post}", "Posts and deletions in batches the window acknowledged.");
        meter.CreateObservableCounter("wordcloud.producer.posts.accepted", () => tally().Accepted, "{post}", "Posts the window took.");
        meter.CreateObservableCounter("wordcloud.producer.posts.duplicate", () => tally().Duplicates, "{post}", "Posts the window dropped because it held one with the same id.");
        meter.CreateObservableGauge("wordcloud.producer.lag", () => Lag(feed, time), "s", "How far behind the feed the source reads: now minus the newest event's time.");
    }

    private static IEnumerable<Measurement<double>> Lag(FeedCounters feed, TimeProvider time) =>
        feed.LagAt(time.GetUtcNow()) is { } lag ? [new Measurement<double>(lag.TotalSeconds)] : [];
}
