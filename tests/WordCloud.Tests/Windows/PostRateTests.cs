using Microsoft.Extensions.Time.Testing;
using WordCloud.Grains.Windows;

namespace WordCloud.Tests.Windows;

public sealed class PostRateTests
{
    [Fact]
    public void ASlowFeedReadsAsItsRateNotAsZero()
    {
        // Arrange: one post every 5 s for three minutes.
        var time = new FakeTimeProvider();
        var rate = new PostRate(time);

        // Act
        for (var post = 0; post < 36; post++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            rate.Add(1);
        }

        // Assert: 12 posts in the last minute.
        Assert.Equal(0.2, rate.PerSecond(), precision: 3);
    }

    [Fact]
    public void BeforeAMinuteHasPassedTheRateIsOverTheTimeSinceItStarted()
    {
        var time = new FakeTimeProvider();
        var rate = new PostRate(time);

        rate.Add(30);
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(3, rate.PerSecond(), precision: 3);
    }

    [Fact]
    public void PostsOlderThanAMinuteNoLongerCount()
    {
        var time = new FakeTimeProvider();
        var rate = new PostRate(time);
        rate.Add(600);
        time.Advance(TimeSpan.FromSeconds(30));
        rate.Add(60);

        time.Advance(TimeSpan.FromSeconds(31));
        var afterFirstLeft = rate.PerSecond();
        time.Advance(TimeSpan.FromMinutes(10));
        var quiet = rate.PerSecond();

        Assert.Equal(1, afterFirstLeft, precision: 3);
        Assert.Equal(0, quiet);
    }
}
