using WordCloud.Client;

namespace WordCloud.Tests.Client;

public sealed class DurationTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("2s", 2_000)]
    [InlineData("1.5m", 90_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("24h", 86_400_000)]
    [InlineData("0.5s", 500)]
    [InlineData("2S", 2_000)]
    [InlineData(" 10s ", 10_000)]
    [InlineData("1MS", 1)]
    public void NumberAndUnitParse(string text, int milliseconds)
    {
        var ok = Duration.TryParse(text, out var duration);

        Assert.True(ok);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("abc")]
    [InlineData("s")]
    [InlineData("ms")]
    [InlineData("10")]
    [InlineData("10d")]
    [InlineData("-1s")]
    [InlineData("0s")]
    [InlineData("0ms")]
    [InlineData("0.0h")]
    [InlineData("25h")]
    [InlineData("1441m")]
    [InlineData("1,5m")]
    [InlineData("1e3ms")]
    [InlineData("2 s")]
    [InlineData("NaNs")]
    [InlineData("Infinityms")]
    [InlineData("0.00001ms")]
    public void MalformedNonPositiveOrTooLongDurationsAreRejected(string? text)
    {
        var ok = Duration.TryParse(text, out var duration);

        Assert.False(ok);
        Assert.Equal(TimeSpan.Zero, duration);
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData(" 0 ", true)]
    [InlineData("0", false)]
    public void BareZeroParsesOnlyWhenZeroIsAllowed(string text, bool allowZero)
    {
        var ok = Duration.TryParse(text, out var duration, allowZero);

        Assert.Equal(allowZero, ok);
        Assert.Equal(TimeSpan.Zero, duration);
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("-1s")]
    [InlineData("")]
    public void AllowingZeroStillRejectsOtherNonPositiveValues(string text)
    {
        var ok = Duration.TryParse(text, out _, allowZero: true);

        Assert.False(ok);
    }

    [Theory]
    [InlineData(500, "500ms")]
    [InlineData(1.5, "1.5ms")]
    [InlineData(1_000, "1s")]
    [InlineData(1_500, "1.5s")]
    [InlineData(90_000, "90s")]
    public void FormatWritesMillisecondsBelowOneSecondElseSeconds(double milliseconds, string expected)
    {
        var text = Duration.Format(TimeSpan.FromMilliseconds(milliseconds));

        Assert.Equal(expected, text);
    }

    [Theory]
    [InlineData("500ms")]
    [InlineData("2s")]
    [InlineData("90s")]
    public void FormattedDurationParsesBackToItself(string text)
    {
        Duration.TryParse(text, out var duration);

        var ok = Duration.TryParse(Duration.Format(duration), out var again);

        Assert.True(ok);
        Assert.Equal(duration, again);
    }
}
