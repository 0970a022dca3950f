using System.Collections.Frozen;
using WordCloud.Grains.Text;

namespace WordCloud.Tests.Text;

public sealed class StopWordsTests
{
    [Theory]
    [InlineData("the")]
    [InlineData("and")]
    [InlineData("because")]
    [InlineData("don't")]
    [InlineData("i'm")]
    [InlineData("cannot")]
    public void EnglishListHoldsFunctionWordsAndContractions(string word)
    {
        var english = StopWords.English;

        Assert.True(english.Contains(word), $"'{word}' is missing from the English stop words");
    }

    [Theory]
    [InlineData("beer")]
    [InlineData("coffee")]
    [InlineData("#")]
    [InlineData("")]
    public void EnglishListHoldsNoContentWordsCommentsOrBlanks(string word)
    {
        var english = StopWords.English;

        Assert.False(english.Contains(word), $"'{word}' should not be an English stop word");
    }

    [Fact]
    public void EnglishListIsLowerCaseWithAsciiApostrophes()
    {
        var english = StopWords.English;

        Assert.NotEmpty(english);
        Assert.All(english, word =>
        {
            Assert.Equal(word.ToLowerInvariant(), word);
            Assert.DoesNotContain('\u2019', word);
            Assert.Equal(word.Trim(), word);
        });
    }

    [Fact]
    public void EveryEnglishStopWordLongEnoughToCountIsATokenTheTokenizerProduces()
    {
        // A stop word the tokenizer can never produce (say one holding a hyphen) would silently filter nothing.
        var tokenizer = new Tokenizer(FrozenSet<string>.Empty);
        var words = StopWords.English.Where(word => word.Length >= 2).ToArray();

        var unreachable = words.Where(word => !tokenizer.Tokenize(word).SequenceEqual([word])).ToArray();

        Assert.NotEmpty(words);
        Assert.Empty(unreachable);
    }

    [Fact]
    public void ParseSkipsCommentsAndBlankLinesAndTrimsWords()
    {
        var list = "# a comment\n\n  stout  \n\t\nporter\n   # indented comment\n";

        var words = StopWords.Parse(new StringReader(list));

        Assert.Equal(["porter", "stout"], words.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ParseLowerCasesWordsAndWritesTypographicApostrophesAsAscii()
    {
        var list = "Don\u2019t\nSTOUT\n";

        var words = StopWords.Parse(new StringReader(list));

        Assert.Equal(["don't", "stout"], words.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ParsedSetComparesOrdinally()
    {
        var words = StopWords.Parse(new StringReader("stout\n"));

        IReadOnlySet<string> set = words;
        Assert.Contains("stout", set);
        Assert.DoesNotContain("Stout", set);
    }
}
