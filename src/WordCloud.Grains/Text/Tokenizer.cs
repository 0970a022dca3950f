using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace WordCloud.Grains.Text;

/// <summary>
/// Splits a post into the words that count for a word cloud. The rules, in order (docs/words.md, "Tokenizer rules"):
/// <list type="number">
/// <item>Whitespace-delimited chunks that start with <c>http://</c>, <c>https://</c> or <c>www.</c> (any case), or
/// with <c>@</c>, are dropped whole.</item>
/// <item>Text is lower-cased (invariant culture). A word is a maximal run of Unicode letters, marks and decimal
/// digits; an apostrophe (' or U+2019, kept as ') between two such characters stays inside the word. Everything
/// else separates words.</item>
/// <item><c>#</c> directly before a word makes the hashtag token <c>#word</c>, counted apart from <c>word</c>.</item>
/// <item>Each word is put in Unicode normalization form C, so a composed and a decomposed "café" are one word.</item>
/// <item>Dropped: words shorter than 2 or longer than <see cref="MaxWordLength"/> characters (code points), words made
/// only of digits, stop words, and the excluded topic, with or without '#'. These tests look at the word without its
/// '#'.</item>
/// </list>
/// Control characters, bidirectional marks, overrides and isolates, and lone surrogates are none of letters, marks or
/// digits: they only ever separate words.
/// </summary>
/// <remarks>Thread-safe: it holds no per-call state, so one instance serves every grain in a silo.</remarks>
public sealed class Tokenizer
{
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _stopWords;

    public Tokenizer(FrozenSet<string> stopWords)
    {
        // In globalization-invariant mode .NET normalizes nothing but ASCII, and says nothing: a silo would count
        // "café" twice. Better to refuse to start.
        if (!"e\u0301".AsSpan().IsNormalized(NormalizationForm.FormD) || "e\u0301".AsSpan().IsNormalized(NormalizationForm.FormC))
        {
            throw new PlatformNotSupportedException("The tokenizer needs Unicode normalization, which globalization-invariant mode lacks: build the host with InvariantGlobalization false and install ICU (libicu).");
        }

        _stopWords = stopWords.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>
    /// Longest word counted, in code points: a longer run of letters is a hash, base64 or a pile of combining marks,
    /// not a word, and a cut one would be no better.
    /// </summary>
    public const int MaxWordLength = 64;

    /// <summary>The tokenizer with the shipped English stop-word list.</summary>
    public static Tokenizer English { get; } = new(StopWords.English);

    /// <summary>Turns a token, as characters, into its string; lets a caller hand back one it already holds.</summary>
    public delegate string Intern(ReadOnlySpan<char> token);

    [ThreadStatic]
    private static List<string>? t_tokens;

    [ThreadStatic]
    private static char[]? t_buffer;

    [ThreadStatic]
    private static char[]? t_normalized;

    /// <summary>The tokens of <paramref name="text"/>, in order, repeats kept.</summary>
    /// <param name="text">The post text.</param>
    /// <param name="excludedWord">A word to drop along with its hashtag (the topic), or null.</param>
    /// <param name="intern">Makes each token's string; by default a new one.</param>
    public string[] Tokenize(string text, string? excludedWord = null, Intern? intern = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        // One list per thread, reused: the result is copied out, and a call never runs inside another.
        var tokens = t_tokens ??= [];
        tokens.Clear();
        Run(text, excludedWord, intern ?? NewString, tokens);
        return tokens.Count == 0 ? [] : tokens.ToArray();
    }

    /// <summary>
    /// Hands each token of <paramref name="text"/> to <paramref name="visit"/>, in order, repeats kept, and keeps
    /// nothing: a window counts the words as they come, and a word it already counts costs no allocation at all.
    /// </summary>
    /// <returns>How many tokens were handed over.</returns>
    public int Visit(string text, string? excludedWord, Intern visit)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Visit(text.AsSpan(), excludedWord, visit);
    }

    /// <inheritdoc cref="Visit(string, string?, Intern)"/>
    public int Visit(ReadOnlySpan<char> text, string? excludedWord, Intern visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        return Run(text, excludedWord, visit, tokens: null);
    }

    private int Run(ReadOnlySpan<char> text, string? excludedWord, Intern intern, List<string>? tokens)
    {
        // One word buffer per thread, reused. Lower-casing a code point can change its UTF-16 length, hence twice the
        // text's length; posts are at most PostRules.MaxTextLength long, so the buffer stays small.
        var bufferLength = 2 * text.Length + 1;
        var buffer = t_buffer is { } reused && reused.Length >= bufferLength ? reused : t_buffer = new char[Math.Max(64, bufferLength)];
        var emitted = 0;
        var position = 0;
        while (position < text.Length)
        {
            if (char.IsWhiteSpace(text[position]))
            {
                position++;
            }
            else if (IsDroppedChunk(text[position..]))
            {
                position = EndOfChunk(text, position);
            }
            else
            {
                position = TokenizeChunk(text, position, buffer, excludedWord, intern, tokens, ref emitted);
            }
        }

        return emitted;
    }

    /// <summary>Whether the chunk starting <paramref name="rest"/> is a link or a mention.</summary>
    /// <remarks>
    /// Ordinal case-insensitive comparison matches no non-ASCII character to an ASCII one, so looking at the first
    /// character first changes no outcome; it only spares the comparisons for most chunks.
    /// </remarks>
    private static bool IsDroppedChunk(ReadOnlySpan<char> rest) => rest[0] switch
    {
        '@' => true,
        'h' or 'H' => rest.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || rest.StartsWith("https://", StringComparison.OrdinalIgnoreCase),
        'w' or 'W' => rest.StartsWith("www.", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    private static int EndOfChunk(ReadOnlySpan<char> text, int position)
    {
        while (position < text.Length && !char.IsWhiteSpace(text[position]))
        {
            position++;
        }

        return position;
    }

    private static string NewString(ReadOnlySpan<char> token) => new(token);

    /// <summary>Emits the words of the chunk that starts at <paramref name="position"/>; returns where it ends.</summary>
    /// <remarks>
    /// The chunk is not cut out first: it ends at whitespace, which no word holds, so decoding past its end changes
    /// nothing (a lone surrogate before the whitespace is U+FFFD either way).
    /// </remarks>
    private int TokenizeChunk(ReadOnlySpan<char> text, int position, char[] buffer, string? excludedWord, Intern intern, List<string>? tokens, ref int emitted)
    {
        // buffer[0] is reserved for the '#' of a hashtag, so a token is one slice with no copying.
        var length = 0;
        var codePoints = 0;
        var allDigits = true;
        var isAscii = true;
        var isHashtag = false;
        var afterHash = false;
        while (position < text.Length)
        {
            var next = text[position];
            // ASCII letters and digits, most of a post, take no Rune: setting bit 0x20 lower-cases a letter and leaves
            // a digit as it is.
            if (char.IsAsciiLetterOrDigit(next))
            {
                if (length == 0)
                {
                    isHashtag = afterHash;
                }

                buffer[1 + length] = (char)(next | 0x20);
                length++;
                codePoints++;
                allDigits &= char.IsAsciiDigit(next);
                afterHash = false;
                position++;
            }
            else if (length > 0 && next is '\'' or '\u2019' && StartsWithWordRune(text, position + 1))
            {
                buffer[1 + length] = '\'';
                length++;
                codePoints++;
                allDigits = false;
                afterHash = false;
                position++;
            }
            else if (char.IsWhiteSpace(next))
            {
                break;
            }
            else if (char.IsAscii(next))
            {
                Emit(buffer, length, codePoints, allDigits, isAscii, isHashtag, excludedWord, intern, tokens, ref emitted);
                length = 0;
                codePoints = 0;
                allDigits = true;
                isAscii = true;
                afterHash = next == '#';
                position++;
            }
            else
            {
                Rune.DecodeFromUtf16(text[position..], out var rune, out var consumed);
                if (IsWordRune(rune))
                {
                    if (length == 0)
                    {
                        isHashtag = afterHash;
                    }

                    length += Rune.ToLowerInvariant(rune).EncodeToUtf16(buffer.AsSpan(1 + length));
                    codePoints++;
                    allDigits &= Rune.IsDigit(rune);
                    isAscii = false;
                }
                else
                {
                    Emit(buffer, length, codePoints, allDigits, isAscii, isHashtag, excludedWord, intern, tokens, ref emitted);
                    length = 0;
                    codePoints = 0;
                    allDigits = true;
                    isAscii = true;
                }

                afterHash = false;
                position += consumed;
            }
        }

        Emit(buffer, length, codePoints, allDigits, isAscii, isHashtag, excludedWord, intern, tokens, ref emitted);
        return position;
    }

    private void Emit(char[] buffer, int length, int codePoints, bool allDigits, bool isAscii, bool isHashtag, string? excludedWord, Intern intern, List<string>? tokens, ref int emitted)
    {
        if (length == 0 || allDigits)
        {
            return;
        }

        var word = buffer.AsSpan(1, length);
        // Word by word, not the whole text: an ASCII word (most) needs no check, nothing is copied for a post already in
        // NFC (most of the rest), and a word holds no lone surrogate, on which normalization would throw.
        if (!isAscii && !word.IsNormalized(NormalizationForm.FormC))
        {
            (buffer, length, codePoints) = Normalize(word);
            word = buffer.AsSpan(1, length);
        }

        if (codePoints is < 2 or > MaxWordLength)
        {
            return;
        }
        if (_stopWords.Contains(word) || (excludedWord is not null && word.SequenceEqual(excludedWord)))
        {
            return;
        }

        if (isHashtag)
        {
            buffer[0] = '#';
        }

        var token = intern(isHashtag ? buffer.AsSpan(0, length + 1) : word);
        tokens?.Add(token);
        emitted++;
    }

    /// <summary>The word in NFC, from index 1 of a per-thread buffer (index 0 is for a hashtag's '#'), and its code points.</summary>
    private static (char[] Buffer, int Length, int CodePoints) Normalize(ReadOnlySpan<char> word)
    {
        var normalizedLength = word.GetNormalizedLength(NormalizationForm.FormC);
        var normalized = t_normalized is { } reused && reused.Length > normalizedLength ? reused : t_normalized = new char[Math.Max(64, normalizedLength + 1)];
        if (!word.TryNormalize(normalized.AsSpan(1), out var length, NormalizationForm.FormC))
        {
            throw new InvalidOperationException($"NFC of a word took more than the {normalizedLength} characters it was measured at.");
        }

        var codePoints = length;
        foreach (var unit in normalized.AsSpan(1, length))
        {
            if (char.IsLowSurrogate(unit))
            {
                codePoints--;
            }
        }

        return (normalized, length, codePoints);
    }

    private static bool StartsWithWordRune(ReadOnlySpan<char> text, int position)
    {
        if (position == text.Length)
        {
            return false;
        }

        if (char.IsAscii(text[position]))
        {
            return char.IsAsciiLetterOrDigit(text[position]);
        }

        return Rune.DecodeFromUtf16(text[position..], out var next, out _) == OperationStatus.Done && IsWordRune(next);
    }

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
