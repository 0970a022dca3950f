using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using WordCloud.Client.Commands;
using WordCloud.Client.Sources;

namespace WordCloud.Tests.Client;

public sealed class ProducerProgressTests
{
    [Fact]
    public async Task WithoutATerminalEveryTenSecondsALogLineGivesTheFiguresAndALiveFeedsLag()
    {
        // Arrange: a live feed whose newest event is 3 s old, and a run that has sent 50,000 posts in its first 10 s.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        var feed = new QuietFeed();
        feed.Counters.SawEventAt(time.GetUtcNow() + TimeSpan.FromSeconds(7));
        feed.Counters.CountSkipped();
        var tally = new ProducerTally(Read: 50_010, Sent: 50_000, Accepted: 49_990, Duplicates: 10, Deleted: 0, Rejected: 1, Invalid: 1, Elapsed: TimeSpan.FromSeconds(10));
        var logger = new RecordingLogger();
        using var end = new CancellationTokenSource();
        var progress = new ProducerProgress(() => tally, feed, logger, time);
        var running = progress.RunAsync(live: false, end.Token);

        // Act
        time.Advance(TimeSpan.FromSeconds(9));
        var before = logger.At(LogLevel.Information).Count();
        time.Advance(TimeSpan.FromSeconds(1));
        await WaitForAsync(() => logger.At(LogLevel.Information).Any());
        await end.CancelAsync();
        await running;

        // Assert
        Assert.Equal(0, before);
        Assert.Equal("Progress: 50010 read, 50000 sent, 10 duplicates, 2 skipped, 5000 posts/s, lag 3.0 s", Assert.Single(logger.At(LogLevel.Information)));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "no progress line within 10 s");
            await Task.Delay(10);
        }
    }

    /// <summary>A live feed that says what it has seen and yields nothing.</summary>
    private sealed class QuietFeed : IPostSource
    {
        public string Description => "a quiet feed";

        public FeedCounters Counters { get; } = new();

        public async IAsyncEnumerable<SourcedPost> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            yield break;
        }
    }
}
