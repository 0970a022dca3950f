using WordCloud.Abstractions;

namespace WordCloud.Tests.Abstractions;

public sealed class TopicNameTests
{
    [Theory]
    [InlineData("beer", "beer")]
    [InlineData("#beer", "beer")]
    [InlineData("#Beer", "beer")]
    [InlineData("BEER", "beer")]
    [InlineData("craft_beer_2024", "craft_beer_2024")]
    [InlineData("_", "_")]
    [InlineData("7", "7")]
    [InlineData("  beer  ", "beer")]
    public void ValidTopicsAreNormalized(string raw, string expected)
    {
        var ok = TopicName.TryNormalize(raw, out var topic, out var error);

        Assert.True(ok, error);
        Assert.Equal(expected, topic);
        Assert.Null(error);
    }

    [Fact]
    public void TopicOfSixtyFourCharactersIsAcceptedWithOrWithoutHash()
    {
        var longest = new string('a', TopicName.MaxLength);

        Assert.Equal(longest, TopicName.Normalize(longest));
        Assert.Equal(longest, TopicName.Normalize("#" + longest));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("#")]
    [InlineData("##beer")]
    [InlineData("craft beer")]
    [InlineData("craft-beer")]
    [InlineData("beer!")]
    [InlineData("café")]
    [InlineData("пиво")]
    [InlineData("beer#")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void InvalidTopicsAreRejectedNamingTheValueAndTheRule(string? raw)
    {
        var ok = TopicName.TryNormalize(raw, out var topic, out var error);

        Assert.False(ok);
        Assert.Null(topic);
        Assert.NotNull(error);
        Assert.Contains($"'{raw}'", error, StringComparison.Ordinal);
        Assert.Contains(TopicName.Rule, error, StringComparison.Ordinal);
    }

    [Fact]
    public void NormalizeThrowsAnArgumentExceptionNamingTheValue()
    {
        var failure = Assert.Throws<ArgumentException>(() => TopicName.Normalize("craft beer"));

        Assert.Contains("'craft beer'", failure.Message, StringComparison.Ordinal);
        Assert.Contains(TopicName.Rule, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("beer", true)]
    [InlineData("craft_beer_2024", true)]
    [InlineData("#beer", false)]
    [InlineData("Beer", false)]
    [InlineData(" beer", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    public void IsNormalizedAcceptsOnlyGrainKeys(string? key, bool expected)
    {
        var normalized = TopicName.IsNormalized(key);

        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("#Beer")]
    [InlineData("COFFEE_2")]
    [InlineData("x")]
    public void NormalizedTopicIsAGrainKeyAndNormalizesToItself(string raw)
    {
        var topic = TopicName.Normalize(raw);

        Assert.True(TopicName.IsNormalized(topic));
        Assert.Equal(topic, TopicName.Normalize(topic));
    }
}
