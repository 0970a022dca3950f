using System.Globalization;
using System.Text;
using CsCheck;
using WordCloud.Grains.Text;

namespace WordCloud.Tests.Text;

/// <summary>Text built to confuse: decomposed letters, endless words, bidirectional controls, lone surrogates.</summary>
public sealed class TokenizerHostileTextTests
{
    private static readonly Tokenizer Tokenizer = Tokenizer.English;

    /// <summary>Every character that reorders or hides text: bidi embeddings, overrides, isolates and marks.</summary>
    public static TheoryData<char> BidiControls =>
        ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'];

    public static TheoryData<char> ControlCharacters => ['\0', '\u0001', '\u0007', '\u001B', '\u007F', '\u0080', '\u009B', '\u009F'];

    // Pieces the property test builds texts from, besides any char at all.
    private static readonly string[] Pieces =
    [
        "café", "cafe\u0301", "CAFE\u0301", "A\u030A", "\u212B", "\u1100\u1161", "\u0958", "\u0301\u0301\u0301", "\u20DD",
        "🍺", "👩\u200D👩\u200D👧", "🇫🇷", "\uD83C", "\uDF7A", "\uDF7A\uD83C", "#", "'", " ", "\n", "\u202E", "\u2066",
        "\u200F", "\u061C", "\u0007", "beer", "ПИВО", "東京", new string('z', Tokenizer.MaxWordLength + 1),
        new string('y', Tokenizer.MaxWordLength - 1),
    ];

    [Fact]
    public void ComposedAndDecomposedCafeAreOneWord()
    {
        var tokens = Tokenizer.Tokenize("caf\u00E9 cafe\u0301 CAFE\u0301 #cafe\u0301");

        Assert.Equal(["caf\u00E9", "caf\u00E9", "caf\u00E9", "#caf\u00E9"], tokens);
    }

    [Fact]
    public void ALetterThatComposesToOneCodePointIsTooShortToCount()
    {
        // "é" is dropped as one code point; spelled as e and U+0301 it is two before NFC and one after.
        Assert.Empty(Tokenizer.Tokenize("e\u0301 \u00E9"));
    }

    [Fact]
    public void WordsUpToTheLimitCountAndLongerOnesAreDroppedWhole()
    {
        var longest = new string('a', Tokenizer.MaxWordLength);
        var tooLong = new string('b', Tokenizer.MaxWordLength + 1);

        var tokens = Tokenizer.Tokenize($"{longest} {tooLong} #{tooLong} beer");

        Assert.Equal([longest, "beer"], tokens);
    }

    [Fact]
    public void TheWordLimitCountsCodePointsAfterNormalization()
    {
        // 64 decomposed é are 128 code points as written and 64 in NFC.
        var decomposed = string.Concat(Enumerable.Repeat("e\u0301", Tokenizer.MaxWordLength));
        var astral = string.Concat(Enumerable.Repeat("𝒜", Tokenizer.MaxWordLength));

        var tokens = Tokenizer.Tokenize($"{decomposed} {astral} {astral}𝒜");

        Assert.Equal([new string('\u00E9', Tokenizer.MaxWordLength), astral], tokens);
    }

    [Theory]
    [MemberData(nameof(BidiControls))]
    [MemberData(nameof(ControlCharacters))]
    public void BidiAndControlCharactersSeparateWords(char control)
    {
        var tokens = Tokenizer.Tokenize($"{control}hoppy{control}stout{control} #{control}ale don{control}'t");

        Assert.Equal(["hoppy", "stout", "ale", "don"], tokens);
    }

    [Theory]
    [InlineData("hoppy\uD800stout")]
    [InlineData("hoppy\uDC00stout")]
    [InlineData("hoppy\uDBFF\uDBFFstout")]
    [InlineData("\uDC00hoppy stout\uD800")]
    public void LoneSurrogatesSeparateWords(string text)
    {
        Assert.Equal(["hoppy", "stout"], Tokenizer.Tokenize(text));
    }

    [Fact]
    public void AnyTextGivesNormalizedWordsWithinTheLimitsAndFreeOfControls()
    {
        var text = Gen.OneOf(Gen.OneOf(Pieces), Gen.Char.Select(letter => letter.ToString()))
            .Array[0, 40]
            .Select(string.Concat);

        text.Sample(post =>
        {
            foreach (var token in Tokenizer.Tokenize(post, "beer"))
            {
                var word = token.StartsWith('#') ? token[1..] : token;
                var runes = word.EnumerateRunes().ToArray();
                Assert.True(word.IsNormalized(NormalizationForm.FormC), $"'{token}' is not NFC");
                Assert.InRange(runes.Length, 2, Tokenizer.MaxWordLength);
                Assert.DoesNotContain(runes, rune => Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate);
                // A lone surrogate enumerates as U+FFFD, which is a symbol and so never inside a word.
                Assert.DoesNotContain(runes, rune => rune == Rune.ReplacementChar);
            }
        }, iter: 10_000);
    }
}
