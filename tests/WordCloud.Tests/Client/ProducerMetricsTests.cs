using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using WordCloud.Client.Commands;
using WordCloud.Client.Sources;

namespace WordCloud.Tests.Client;

public sealed class ProducerMetricsTests
{
    [Fact]
    public void TheInstrumentsReportTheFeedsCountersTheTallyAndTheLag()
    {
        // Arrange
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-03T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var feed = new FeedCounters();
        for (var seen = 0; seen < 5; seen++)
        {
            feed.CountSeen();
        }

        feed.CountMatched();
        feed.CountSkipped();
        feed.CountMalformed();
        feed.CountReconnect();
        feed.SawEventAt(time.GetUtcNow() - TimeSpan.FromSeconds(3));
        var tally = new ProducerTally(Read: 4, Sent: 3, Accepted: 2, Duplicates: 1, Deleted: 0, Rejected: 1, Invalid: 1, TimeSpan.FromSeconds(1));
        using var meter = new Meter($"{ProducerMetrics.MeterName}.Test.{Guid.NewGuid():N}");
        ProducerMetrics.Register(meter, feed, () => tally, time);
        var measured = new Dictionary<string, double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listening) =>
            {
                if (instrument.Meter == meter)
                {
                    listening.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => measured[instrument.Name] = value);
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => measured[instrument.Name] = value);
        listener.Start();

        // Act
        listener.RecordObservableInstruments();

        // Assert
        Assert.Equal(
            new Dictionary<string, double>
            {
                ["wordcloud.producer.posts.seen"] = 5,
                ["wordcloud.producer.posts.matched"] = 1,
                ["wordcloud.producer.posts.skipped"] = 1,
                ["wordcloud.producer.posts.malformed"] = 1,
                ["wordcloud.producer.reconnects"] = 1,
                ["wordcloud.producer.posts.sent"] = 3,
                ["wordcloud.producer.posts.accepted"] = 2,
                ["wordcloud.producer.posts.duplicate"] = 1,
                ["wordcloud.producer.lag"] = 3,
            },
            measured);
    }
}
