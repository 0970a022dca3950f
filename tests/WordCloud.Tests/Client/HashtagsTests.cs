using CsCheck;
using WordCloud.Client.Sources;

namespace WordCloud.Tests.Client;

public sealed class HashtagsTests
{
    [Theory]
    [InlineData("#beer", true)]
    [InlineData("#Beer!", true)]
    [InlineData("#BEER", true)]
    [InlineData("#beer.", true)]
    [InlineData("#beer,", true)]
    [InlineData("(#beer)", true)]
    [InlineData("\"#beer\"", true)]
    [InlineData("Friday night #beer", true)]
    [InlineData("#beer at the pub", true)]
    [InlineData("line one\n#beer\nline three", true)]
    [InlineData("#ipa #beer", true)]
    [InlineData("#beer#ipa", true)]
    [InlineData("#beer-lover", true)]
    [InlineData("#beer🍺", true)]
    [InlineData("🍺#beer", true)]
    [InlineData("＃beer", true)]
    [InlineData("#beers", false)]
    [InlineData("#beer_lover", false)]
    [InlineData("#beer2", false)]
    [InlineData("#craftbeer", false)]
    [InlineData("beer", false)]
    [InlineData("I like beer", false)]
    [InlineData("a#beer", false)]
    [InlineData("4#beer", false)]
    [InlineData("_#beer", false)]
    [InlineData("é#beer", false)]
    [InlineData("# beer", false)]
    [InlineData("#", false)]
    [InlineData("", false)]
    [InlineData("#bee", false)]
    [InlineData("#beér", false)]
    [InlineData("#beer\u0301", false)]
    public void HashtagMatchesTheTopicOnlyAsAWholeTagNotPrecededByATagCharacter(string text, bool expected)
    {
        Assert.Equal(expected, Hashtags.Contains(text, "beer"));
    }

    [Fact]
    public void AnEmptyTagNeverMatches()
    {
        Assert.False(Hashtags.Contains("# #", string.Empty));
    }

    [Fact]
    public void TextWithoutAHashSignHoldsNoHashtag()
    {
        Gen.String.Where(text => !text.Contains('#') && !text.Contains('＃'))
            .Sample(text => !Hashtags.Contains(text, "beer"));
    }

    [Fact]
    public void TheHashtagBetweenSpacesIsFoundInAnyText()
    {
        Gen.Select(Gen.String, Gen.String)
            .Sample((before, after) => Hashtags.Contains($"{before} #Beer {after}", "beer"));
    }

    [Fact]
    public void AHashtagFollowedByALetterOrDigitIsAnotherTag()
    {
        Gen.Char.AlphaNumeric
            .Sample(next => !Hashtags.Contains($"#beer{next}", "beer"));
    }
}
