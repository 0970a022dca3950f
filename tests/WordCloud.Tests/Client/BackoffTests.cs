using WordCloud.Client.Sources;

namespace WordCloud.Tests.Client;

public sealed class BackoffTests
{
    [Fact]
    public void DelaysDoubleUpToTheCapEachBetweenHalfAndAllOfItsStep()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1000), new Random(7));
        double[] steps = [100, 200, 400, 800, 1000, 1000, 1000];

        foreach (var step in steps)
        {
            var delay = backoff.Next().TotalMilliseconds;
            Assert.InRange(delay, step / 2, step);
        }

        Assert.Equal(steps.Length, backoff.Failures);
    }

    [Fact]
    public void ResetStartsAgainFromTheFirstDelay()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(60), new Random(7));
        for (var failure = 0; failure < 10; failure++)
        {
            backoff.Next();
        }

        backoff.Reset();

        Assert.Equal(0, backoff.Failures);
        Assert.InRange(backoff.Next().TotalMilliseconds, 50, 100);
    }

    [Fact]
    public void JitterSpreadsTheDelaysOfOneStep()
    {
        var random = new Random(11);
        var delays = Enumerable.Range(0, 20).Select(_ => new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), random).Next()).Distinct().Count();

        Assert.True(delays > 10, $"20 first delays took only {delays} distinct values");
    }

    [Fact]
    public void AMaximumBelowTheFirstDelayIsRefusedByName()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));

        Assert.Contains("at least the first", error.Message);
    }
}
