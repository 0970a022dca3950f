using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using WordCloud.Grains.Text;

namespace WordCloud.Tests.Text;

/// <summary>
/// The tokenizer has an ASCII fast path beside its Rune path; these tests hold it to a plain reference that applies
/// the rules Rune by Rune, on generated text full of the characters where the two paths could part ways.
/// </summary>
public sealed class TokenizerDifferentialTests
{
    private const int CasesPerSeed = 5_000;

    private static readonly string?[] ExcludedWords = [null, "beer", "café", "ipa2", "don't"];

    // Pieces a post is built from: each one is something a fast path could get wrong.
    private static readonly string[] Pieces =
    [
        "'", "\u2019", "\u2018", "#", "##", "@", "http://", "HTTPS://", "HtTp://", "https:/", "www.", "WWW.", "ww.",
        " ", " ", " ", "\t", "\n", "\r\n", "\u00A0", "\u2003", "\u0085", "\u3000",
        ".", ",", "!", "?", "-", "_", "/", ":", "(", ")", "\u2014", "\u001F", "\0",
        "é", "É", "ß", "İ", "ı", "ſ", "\u212A", "ǅ", "café", "ÉCLAIR", "nai\u0308ve",
        "пиво", "ПРИВЕТ", "Мир", "東京", "ビール", "٢٠٢٤", "𝒜", "🍺", "😀", "\u0301", "\u20DD",
        "\uD83C", "\uDF7A", "\uD83C\uD83C",
        "cafe\u0301", "CAFE\u0301", "\u00C5", "A\u030A", "\u212B", "\u1100\u1161", "\u0958", "=\u0338", "\u0323\u0307",
        "\u202E", "\u202A", "\u2066", "\u2069", "\u200E", "\u200F", "\u061C", "\u200D", "\u0007", "\u009C",
    ];

    private static readonly string[] StopWordPieces = [.. StopWords.English.Order(StringComparer.Ordinal)];

    [Theory]
    [InlineData(1)]
    [InlineData(20261126)]
    [InlineData(424242)]
    public void FastTokenizerGivesTheReferenceTokensOnGeneratedPosts(int seed)
    {
        // Arrange
        var random = new Random(seed);
        var mismatches = new List<string>();

        for (var index = 0; index < CasesPerSeed; index++)
        {
            var text = GeneratePost(random);
            var excludedWord = ExcludedWords[random.Next(ExcludedWords.Length)];

            // Act
            var expected = Reference(text, excludedWord, StopWords.English);
            var actual = Tokenizer.English.Tokenize(text, excludedWord);
            var visited = new List<string>();
            var visitedCount = Tokenizer.English.Visit(text, excludedWord, token =>
            {
                visited.Add(new string(token));
                return string.Empty;
            });

            // Assert (collected, so a failure shows the inputs that caused it); Visit, as windows use it, must agree too.
            if (!actual.SequenceEqual(expected, StringComparer.Ordinal))
            {
                mismatches.Add($"text \"{Escape(text)}\" excluding {excludedWord ?? "nothing"}: expected [{Escape(string.Join('|', expected))}], got [{Escape(string.Join('|', actual))}]");
            }

            if (!visited.SequenceEqual(expected, StringComparer.Ordinal) || visitedCount != expected.Count)
            {
                mismatches.Add($"text \"{Escape(text)}\" excluding {excludedWord ?? "nothing"}: expected [{Escape(string.Join('|', expected))}], visited {visitedCount} [{Escape(string.Join('|', visited))}]");
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {CasesPerSeed} posts differ; the first:\n{string.Join('\n', mismatches.Take(5))}");
    }

    [Fact]
    public void GeneratedPostsExerciseEveryRule()
    {
        // The comparison above proves little if the posts rarely make tokens of each kind.
        var random = new Random(1);
        var tokens = Enumerable.Range(0, CasesPerSeed)
            .SelectMany(_ => Reference(GeneratePost(random), excludedWord: null, FrozenSet<string>.Empty))
            .ToArray();

        Assert.Contains(tokens, token => token.StartsWith('#'));
        Assert.Contains(tokens, token => token.Contains('\''));
        Assert.Contains(tokens, token => token.Any(char.IsAsciiDigit));
        Assert.Contains(tokens, token => !Ascii.IsValid(token) && token.Any(char.IsAsciiLetter));
        Assert.Contains(tokens, token => token.Any(char.IsSurrogate));
        Assert.Contains(tokens, token => token.Contains('\u0301'));
        Assert.Contains(tokens, token => token.Contains("caf\u00E9", StringComparison.Ordinal));
        Assert.Contains(tokens, token => token.Length == Tokenizer.MaxWordLength);
        Assert.Contains(tokens, StopWords.English.Contains);
        Assert.Contains(tokens, token => token is "beer" or "#beer");
    }

    private static string GeneratePost(Random random)
    {
        var text = new StringBuilder();
        var pieces = random.Next(0, 30);
        for (var piece = 0; piece < pieces; piece++)
        {
            text.Append(random.Next(8) switch
            {
                0 or 1 => random.Next(40) == 0 ? new string('x', random.Next(60, 70)) : AsciiWord(random),
                2 => random.Next(1000).ToString(CultureInfo.InvariantCulture),
                3 => MixCase(random, StopWordPieces[random.Next(StopWordPieces.Length)].Replace("'", random.Next(2) == 0 ? "'" : "\u2019")),
                4 => MixCase(random, random.Next(2) == 0 ? "beer" : "#beer"),
                _ => Pieces[random.Next(Pieces.Length)],
            });
        }

        return text.ToString();
    }

    private static string AsciiWord(Random random)
    {
        var word = new char[random.Next(1, 8)];
        for (var index = 0; index < word.Length; index++)
        {
            word[index] = (char)(random.Next(2) == 0 ? 'a' + random.Next(26) : 'A' + random.Next(26));
        }

        return new string(word);
    }

    private static string MixCase(Random random, string word) =>
        string.Concat(word.Select(letter => random.Next(3) == 0 ? char.ToUpperInvariant(letter) : letter));

    private static string Escape(string text) =>
        string.Concat(text.Select(letter => letter is >= ' ' and <= '~' ? letter.ToString() : $"\\u{(int)letter:X4}"));

    /// <summary>The rules of <see cref="Tokenizer"/>, applied one Rune at a time, for clarity rather than speed.</summary>
    private static List<string> Reference(string text, string? excludedWord, IReadOnlySet<string> stopWords)
    {
        var tokens = new List<string>();
        foreach (var chunk in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (chunk.StartsWith('@')
                || chunk.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
                || chunk.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                || chunk.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var runes = chunk.EnumerateRunes().ToArray();
            var word = new List<Rune>();
            var isHashtag = false;
            for (var index = 0; index < runes.Length; index++)
            {
                var rune = runes[index];
                if (IsWordRune(rune))
                {
                    if (word.Count == 0)
                    {
                        isHashtag = index > 0 && runes[index - 1].Value == '#';
                    }

                    word.Add(Rune.ToLowerInvariant(rune));
                }
                else if (word.Count > 0 && rune.Value is '\'' or '\u2019' && index + 1 < runes.Length && IsWordRune(runes[index + 1]))
                {
                    word.Add(new Rune('\''));
                }
                else
                {
                    AddIfCounted(word, isHashtag);
                    word.Clear();
                }
            }

            AddIfCounted(word, isHashtag);
        }

        return tokens;

        void AddIfCounted(List<Rune> word, bool isHashtag)
        {
            var text = string.Concat(word.Select(rune => rune.ToString())).Normalize(NormalizationForm.FormC);
            var codePoints = text.EnumerateRunes().Count();
            if (codePoints is < 2 or > Tokenizer.MaxWordLength || word.All(Rune.IsDigit) || stopWords.Contains(text) || text == excludedWord)
            {
                return;
            }

            tokens.Add(isHashtag ? "#" + text : text);
        }
    }

    private static bool IsWordRune(Rune rune) =>
        Rune.IsLetter(rune)
        || Rune.IsDigit(rune)
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
}
