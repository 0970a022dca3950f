using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace WordCloud.Grains.Text;

/// <summary>
/// Splits a post into the words that count for a word cloud. The rules, in order (README, "Tokenizer rules"):
/// <list type="number">
/// <item>Whitespace-delimited chunks that start with <c>http://</c>, <c>https://</c> or <c>www.</c> (any case), or
/// with <c>@</c>, are dropped whole.</item>
/// <item>Text is lower-cased (invariant culture). A word is a maximal run of Unicode letters, marks and decimal
/// digits; an apostrophe (' or U+2019, kept as ') between two such characters stays inside the word. Everything
/// else separates words.</item>
/// <item><c>#</c> directly before a word makes the hashtag token <c>#word</c>, counted apart from <c>word</c>.</item>
/// <item>Dropped: words shorter than 2 characters (code points), words made only of digits, stop words, and the
/// excluded topic, with or without '#'. These tests look at the word without its '#'.</item>
/// </list>
/// </summary>
/// <remarks>Thread-safe: it holds no per-call state, so one instance serves every grain in a silo.</remarks>
public sealed class Tokenizer(FrozenSet<string> stopWords)
{
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _stopWords =
        stopWords.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The tokenizer with the shipped English stop-word list.</summary>
    public static Tokenizer English { get; } = new(StopWords.English);

    /// <summary>Turns a token, as characters, into its string; lets a caller hand back one it already holds.</summary>
    public delegate string Intern(ReadOnlySpan<char> token);

    [ThreadStatic]
    private static List<string>? t_tokens;

    /// <summary>The tokens of <paramref name="text"/>, in order, repeats kept.</summary>
    /// <param name="text">The post text.</param>
    /// <param name="excludedWord">A word to drop along with its hashtag (the topic), or null.</param>
    /// <param name="intern">
    /// Makes each token's string; by default a new one. A window passes its count table's lookup, so a word it already
    /// counts costs no new string and every post holding it shares one.
    /// </param>
    public string[] Tokenize(string text, string? excludedWord = null, Intern? intern = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        // One list per thread, reused: the result is copied out, and a call never runs inside another.
        var tokens = t_tokens ??= [];
        tokens.Clear();
        intern ??= NewString;
        var buffer = ArrayPool<char>.Shared.Rent(Math.Max(16, text.Length * 2 + 1));
        try
        {
            var position = 0;
            while (position < text.Length)
            {
                while (position < text.Length && char.IsWhiteSpace(text[position]))
                {
                    position++;
                }

                var start = position;
                while (position < text.Length && !char.IsWhiteSpace(text[position]))
                {
                    position++;
                }

                var chunk = text.AsSpan(start, position - start);
                if (chunk.Length > 0 && !IsDroppedChunk(chunk))
                {
                    TokenizeChunk(chunk, buffer, excludedWord, intern, tokens);
                }
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }

        return tokens.Count == 0 ? [] : tokens.ToArray();
    }

    private static bool IsDroppedChunk(ReadOnlySpan<char> chunk) =>
        chunk[0] == '@'
        || chunk.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || chunk.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || chunk.StartsWith("www.", StringComparison.OrdinalIgnoreCase);

    private static string NewString(ReadOnlySpan<char> token) => new(token);

    private void TokenizeChunk(ReadOnlySpan<char> chunk, char[] buffer, string? excludedWord, Intern intern, List<string> tokens)
    {
        // buffer[0] is reserved for the '#' of a hashtag, so a token is one slice with no copying.
        var length = 0;
        var runes = 0;
        var allDigits = true;
        var isHashtag = false;
        var afterHash = false;
        var position = 0;
        while (position < chunk.Length)
        {
            Rune.DecodeFromUtf16(chunk[position..], out var rune, out var consumed);
            if (IsWordRune(rune))
            {
                if (length == 0)
                {
                    isHashtag = afterHash;
                }

                length += Rune.ToLowerInvariant(rune).EncodeToUtf16(buffer.AsSpan(1 + length));
                runes++;
                allDigits &= Rune.IsDigit(rune);
                afterHash = false;
            }
            else if (length > 0 && IsApostrophe(rune) && NextIsWordRune(chunk, position + consumed))
            {
                buffer[1 + length] = '\'';
                length++;
                runes++;
                allDigits = false;
                afterHash = false;
            }
            else
            {
                Emit(buffer, length, runes, allDigits, isHashtag, excludedWord, intern, tokens);
                length = 0;
                runes = 0;
                allDigits = true;
                afterHash = rune.Value == '#';
            }

            position += consumed;
        }

        Emit(buffer, length, runes, allDigits, isHashtag, excludedWord, intern, tokens);
    }

    private void Emit(char[] buffer, int length, int runes, bool allDigits, bool isHashtag, string? excludedWord, Intern intern, List<string> tokens)
    {
        if (runes < 2 || allDigits)
        {
            return;
        }

        var word = buffer.AsSpan(1, length);
        if (_stopWords.Contains(word) || (excludedWord is not null && word.SequenceEqual(excludedWord)))
        {
            return;
        }

        if (isHashtag)
        {
            buffer[0] = '#';
            tokens.Add(intern(buffer.AsSpan(0, length + 1)));
        }
        else
        {
            tokens.Add(intern(word));
        }
    }

    private static bool NextIsWordRune(ReadOnlySpan<char> chunk, int position) =>
        position < chunk.Length
        && Rune.DecodeFromUtf16(chunk[position..], out var next, out _) == OperationStatus.Done
        && IsWordRune(next);

    private static bool IsApostrophe(Rune rune) => rune.Value is '\'' or '\u2019';

    private static bool IsWordRune(Rune rune)
    {
        if (rune.IsAscii)
        {
            return rune.Value is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9');
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.DecimalDigitNumber => true,
            _ => false,
        };
    }
}
