using WordCloud.Client.Sources;

namespace WordCloud.Tests.Client;

public sealed class LanguageFilterTests
{
    [Theory]
    [InlineData("en")]
    [InlineData("EN")]
    [InlineData("en-US")]
    [InlineData("en-gb")]
    [InlineData("en_US")]
    public void WantedTagTakesItsLanguageAndItsRegions(string language)
    {
        var filter = new LanguageFilter(["en"]);

        Assert.True(filter.Accepts(language));
    }

    [Theory]
    [InlineData("de")]
    [InlineData("eng")]
    [InlineData("e")]
    [InlineData("")]
    public void OtherLanguagesAreRejected(string language)
    {
        var filter = new LanguageFilter(["en"]);

        Assert.False(filter.Accepts(language));
    }

    [Fact]
    public void RegionTagTakesOnlyThatRegion()
    {
        var filter = new LanguageFilter(["pt-BR"]);

        Assert.True(filter.Accepts("pt-br"));
        Assert.False(filter.Accepts("pt"));
        Assert.False(filter.Accepts("pt-PT"));
    }

    [Fact]
    public void NoWantedTagAcceptsEverythingEvenNoLanguage()
    {
        var filter = new LanguageFilter([]);

        Assert.True(filter.AcceptsAll);
        Assert.True(filter.Accepts((string?)null));
        Assert.True(filter.Accepts((IEnumerable<string>?)null));
        Assert.True(filter.Accepts("ja"));
    }

    [Fact]
    public void WantedTagRejectsAPostWithoutLanguage()
    {
        var filter = new LanguageFilter(["en"]);

        Assert.False(filter.Accepts((string?)null));
        Assert.False(filter.Accepts(Array.Empty<string>()));
    }

    [Fact]
    public void AnyOfSeveralLanguagesOfAPostMayMatchAnyWantedTag()
    {
        var filter = new LanguageFilter(["de", "fr"]);

        Assert.True(filter.Accepts(["ja", "fr-CA"]));
        Assert.False(filter.Accepts(["ja", "en"]));
    }

    [Theory]
    [InlineData("en", true)]
    [InlineData("pt-BR", true)]
    [InlineData("zh-Hant", true)]
    [InlineData("en_US", true)]
    [InlineData("", false)]
    [InlineData("en-", false)]
    [InlineData("e1", false)]
    [InlineData("englishes", false)]
    [InlineData("en-subtaglong", false)]
    public void TagsAreValidatedByTheirShape(string tag, bool valid)
    {
        Assert.Equal(valid, LanguageFilter.IsValidTag(tag));
    }
}
