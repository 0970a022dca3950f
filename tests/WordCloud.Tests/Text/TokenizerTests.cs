using WordCloud.Grains.Text;

namespace WordCloud.Tests.Text;

public sealed class TokenizerTests
{
    private static readonly Tokenizer Tokenizer = Tokenizer.English;

    [Theory]
    [InlineData("great beer http://example.org/beer/ipa tonight")]
    [InlineData("great beer https://example.org/beer/ipa tonight")]
    [InlineData("great beer www.example.org/beer tonight")]
    [InlineData("great beer HTTPS://Example.org/Beer tonight")]
    [InlineData("great beer Www.Example.Org tonight")]
    [InlineData("great beer HtTp://example.org/path?q=hoppy tonight")]
    public void UrlChunksAreDroppedWhole(string text)
    {
        var tokens = Tokenizer.Tokenize(text);

        Assert.Equal(["great", "beer", "tonight"], tokens);
    }

    [Theory]
    [InlineData("cheers @brewer_bob for the stout", new[] { "cheers", "stout" })]
    [InlineData("@Brewery's new stout", new[] { "new", "stout" })]
    [InlineData("stout with @hoppy-friend tonight", new[] { "stout", "tonight" })]
    public void MentionsAreDroppedWhole(string text, string[] expected)
    {
        var tokens = Tokenizer.Tokenize(text);

        Assert.Equal(expected, tokens);
    }

    [Fact]
    public void UrlPrefixInsideAChunkDoesNotDropIt()
    {
        var tokens = Tokenizer.Tokenize("see:https://example.org");

        Assert.Equal(["see", "https", "example", "org"], tokens);
    }

    [Theory]
    [InlineData("HOPPY Stout", new[] { "hoppy", "stout" })]
    [InlineData("ÉCLAIR Café", new[] { "éclair", "café" })]
    [InlineData("ПРИВЕТ Мир", new[] { "привет", "мир" })]
    [InlineData("ISTANBUL", new[] { "istanbul" })]
    public void TextIsLowerCasedWithTheInvariantCulture(string text, string[] expected)
    {
        var tokens = Tokenizer.Tokenize(text);

        Assert.Equal(expected, tokens);
    }

    [Theory]
    [InlineData("café", "café")]
    [InlineData("nai\u0308ve", "nai\u0308ve")]
    [InlineData("пиво", "пиво")]
    [InlineData("東京", "東京")]
    [InlineData("ビール", "ビール")]
    [InlineData("ipa2", "ipa2")]
    [InlineData("1st", "1st")]
    [InlineData("b2b", "b2b")]
    public void LettersMarksAndDigitsMakeOneWord(string text, string word)
    {
        var tokens = Tokenizer.Tokenize(text);

        Assert.Equal([word], tokens);
    }

    [Theory]
    [InlineData("brewer's yeast", new[] { "brewer's", "yeast" })]
    [InlineData("brewer\u2019s yeast", new[] { "brewer's", "yeast" })]
    [InlineData("rock'n'roll", new[] { "rock'n'roll" })]
    [InlineData("rock\u2019n\u2019roll", new[] { "rock'n'roll" })]
    public void ApostropheInsideAWordIsKeptAsAsciiApostrophe(string text, string[] expected)
    {
        var tokens = Tokenizer.Tokenize(text);

        Assert.Equal(expected, tokens);
    }

    [Theory]
    [InlineData("don't stout")]
    [InlineData("don\u2019t stout")]
    [InlineData("DON'T stout")]
    [InlineData("#don't stout")]
    public void ContractionIsAStopWordWithEitherApostrophe(string text)
    {
        var tokens = Tokenizer.Tokenize(text);

        Assert.Equal(["stout"], tokens);
    }

    [Theory]
    [InlineData("'hoppy' stout", new[] { "hoppy", "stout" })]
    [InlineData("\u2018hoppy\u2019 stout", new[] { "hoppy", "stout" })]
    [InlineData("''hoppy'' 'stout", new[] { "hoppy", "stout" })]
    [InlineData("brewers' yeast", new[] { "brewers", "yeast" })]
    [InlineData("hoppy'' stout", new[] { "hoppy", "stout" })]
    public void LeadingAndTrailingApostrophesAreDropped(string text, string[] expected)
    {
        var tokens = Tokenizer.Tokenize(text);

        Assert.Equal(expected, tokens);
    }

    [Theory]
    [InlineData("craft-beer")]
    [InlineData("craft.beer")]
    [InlineData("craft/beer")]
    [InlineData("craft🍺beer")]
    [InlineData("craft,beer!")]
    [InlineData("(craft)_beer")]
    [InlineData("craft\u2014beer")]
    public void PunctuationAndEmojiSeparateWords(string text)
    {
        var tokens = Tokenizer.Tokenize(text);

        Assert.Equal(["craft", "beer"], tokens);
    }

    [Fact]
    public void HashtagIsATokenDistinctFromTheWord()
    {
        var tokens = Tokenizer.Tokenize("#beer beer #Beer");

        Assert.Equal(["#beer", "beer", "#beer"], tokens);
    }

    [Theory]
    [InlineData("(#craftbeer)", new[] { "#craftbeer" })]
    [InlineData("stout#craftbeer", new[] { "stout", "#craftbeer" })]
    [InlineData("#craft-beer", new[] { "#craft", "beer" })]
    [InlineData("# craftbeer", new[] { "craftbeer" })]
    [InlineData("#rock'n'roll", new[] { "#rock'n'roll" })]
    public void HashOnlyMakesAHashtagDirectlyBeforeAWord(string text, string[] expected)
    {
        var tokens = Tokenizer.Tokenize(text);

        Assert.Equal(expected, tokens);
    }

    [Theory]
    [InlineData("x y z")]
    [InlineData("#x")]
    [InlineData("猫")]
    [InlineData("é")]
    [InlineData("'x'")]
    [InlineData("𝒜")]
    public void WordsShorterThanTwoCodePointsAreDropped(string text)
    {
        var tokens = Tokenizer.Tokenize(text);

        Assert.Empty(tokens);
    }

    [Theory]
    [InlineData("ok", "ok")]
    [InlineData("x\u0301", "x\u0301")]
    [InlineData("𝒜b", "𝒜b")]
    [InlineData("#ok", "#ok")]
    public void WordsOfTwoCodePointsAreKept(string text, string word)
    {
        var tokens = Tokenizer.Tokenize(text);

        Assert.Equal([word], tokens);
    }

    [Theory]
    [InlineData("2024")]
    [InlineData("#2024")]
    [InlineData("12 345 007")]
    [InlineData("٢٠٢٤")]
    public void WordsMadeOnlyOfDigitsAreDropped(string text)
    {
        var tokens = Tokenizer.Tokenize(text);

        Assert.Empty(tokens);
    }

    [Theory]
    [InlineData("1st", "1st")]
    [InlineData("#1st", "#1st")]
    [InlineData("2024ipa", "2024ipa")]
    public void WordsMixingDigitsAndLettersAreKept(string text, string word)
    {
        var tokens = Tokenizer.Tokenize(text);

        Assert.Equal([word], tokens);
    }

    [Theory]
    [InlineData("the")]
    [InlineData("The")]
    [InlineData("#the")]
    [InlineData("#THE")]
    [InlineData("and")]
    [InlineData("because")]
    [InlineData("we're")]
    public void StopWordsAreDroppedAlsoAsHashtags(string text)
    {
        var tokens = Tokenizer.Tokenize($"{text} stout");

        Assert.Equal(["stout"], tokens);
    }

    [Theory]
    [InlineData("beer")]
    [InlineData("#beer")]
    [InlineData("BEER")]
    [InlineData("#Beer")]
    public void ExcludedTopicWordIsDroppedWithAndWithoutHash(string text)
    {
        var tokens = Tokenizer.Tokenize($"{text} stout", excludedWord: "beer");

        Assert.Equal(["stout"], tokens);
    }

    [Fact]
    public void ExcludedTopicWordDropsOnlyThatExactWord()
    {
        var tokens = Tokenizer.Tokenize("beers #beerday beer", excludedWord: "beer");

        Assert.Equal(["beers", "#beerday"], tokens);
    }

    [Fact]
    public void WithoutAnExcludedWordTheTopicWordCounts()
    {
        var tokens = Tokenizer.Tokenize("#beer beer");

        Assert.Equal(["#beer", "beer"], tokens);
    }

    [Fact]
    public void TokenOrderAndRepeatsArePreserved()
    {
        var tokens = Tokenizer.Tokenize("stout ipa stout lager ipa stout");

        Assert.Equal(["stout", "ipa", "stout", "lager", "ipa", "stout"], tokens);
    }

    [Fact]
    public void AllRulesTogetherGiveTheExpectedTokens()
    {
        var text = "Just tried a HAZY IPA at @the_pub, it's \u2018rock\u2019n\u2019roll\u2019 in a bottle! 🍺 #Beer #craftbeer https://x.io/1 2024 1st";

        var tokens = Tokenizer.Tokenize(text, excludedWord: "beer");

        Assert.Equal(["tried", "hazy", "ipa", "rock'n'roll", "bottle", "#craftbeer", "1st"], tokens);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \t\n ")]
    [InlineData("🍺🍺 !!! ...")]
    public void TextWithoutWordsGivesNoTokens(string text)
    {
        var tokens = Tokenizer.Tokenize(text);

        Assert.Empty(tokens);
    }

    [Fact]
    public void WhitespaceOfAnyKindSeparatesChunks()
    {
        var tokens = Tokenizer.Tokenize("stout\tporter\nlager\u00a0pilsner");

        Assert.Equal(["stout", "porter", "lager", "pilsner"], tokens);
    }

    [Fact]
    public void NullTextThrows()
    {
        Assert.Throws<ArgumentNullException>(() => Tokenizer.Tokenize(null!));
    }

    [Fact]
    public void CustomStopWordsReplaceTheEnglishList()
    {
        var tokenizer = new Tokenizer(StopWords.Parse(new StringReader("stout\n")));

        var tokens = tokenizer.Tokenize("the stout");

        Assert.Equal(["the"], tokens);
    }
}
