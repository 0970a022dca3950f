using System.Buffers;
using System.Globalization;
using System.Text;

namespace WordCloud.Client.Sources;

/// <summary>
/// Finds hashtags in a post's text, for live feeds that deliver every post and leave the choosing to us.
/// </summary>
/// <remarks>
/// <para>The rule, the same for every source:</para>
/// <list type="bullet">
/// <item>A hashtag starts with a hash sign, <c>#</c> or its full-width form <c>＃</c> (U+FF03), that is at the start of
/// the text or follows a character that is not a tag character: <c>(#beer)</c> and <c>"#beer</c> start one,
/// <c>ab#beer</c>, <c>4#beer</c> and <c>_#beer</c> do not.</item>
/// <item>Its tag is the longest run of tag characters right after the sign. A tag character is a Unicode letter, a
/// decimal digit, a combining mark (categories Mn, Mc, Me, so that tags in scripts that use marks stay whole) or a
/// connector punctuation such as <c>_</c>. Anything else ends the tag: a space, <c>.</c>, <c>,</c>, <c>!</c>,
/// <c>)</c>, <c>-</c>, an emoji, another <c>#</c>, or the end of the text.</item>
/// <item>The tag matches a topic when it equals the topic ignoring case (ordinal, per UTF-16 code unit after
/// upper-casing). So for the topic <c>beer</c>: <c>#beer</c>, <c>#Beer!</c>, <c>#BEER.</c>, <c>#beer,</c>,
/// <c>(#beer)</c>, <c>#beer-lover</c> and <c>#beer🍺</c> match; <c>#beers</c>, <c>#beer_lover</c>, <c>#craftbeer</c>,
/// <c>beer</c> and <c>a#beer</c> do not.</item>
/// </list>
/// <para>
/// This is close to how Mastodon and Twitter find hashtags (a tag is a run of word characters) and stricter than
/// Bluesky's own facet detection, which runs a tag to the next space; a Bluesky post's tag facets are checked
/// separately, so a tag Bluesky recognised is never missed.
/// </para>
/// </remarks>
public static class Hashtags
{
    /// <summary>True when <paramref name="text"/> holds the hashtag <paramref name="tag"/> (given without its sign).</summary>
    public static bool Contains(ReadOnlySpan<char> text, ReadOnlySpan<char> tag)
    {
        if (tag.IsEmpty)
        {
            return false;
        }

        var start = 0;
        while (start < text.Length)
        {
            var sign = text[start..].IndexOfAny('#', '＃');
            if (sign < 0)
            {
                return false;
            }

            sign += start;
            var tagStart = sign + 1;
            var tagEnd = tagStart;
            while (tagEnd < text.Length && Rune.DecodeFromUtf16(text[tagEnd..], out var rune, out var width) == OperationStatus.Done && IsTagCharacter(rune))
            {
                tagEnd += width;
            }

            if (!FollowsTagCharacter(text, sign) && text[tagStart..tagEnd].Equals(tag, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            start = tagEnd;
        }

        return false;
    }

    /// <summary>Letters, decimal digits, combining marks and connector punctuation (<c>_</c>).</summary>
    public static bool IsTagCharacter(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.DecimalDigitNumber
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.ConnectorPunctuation => true,
        _ => false,
    };

    private static bool FollowsTagCharacter(ReadOnlySpan<char> text, int index) =>
        index > 0 && Rune.DecodeLastFromUtf16(text[..index], out var previous, out _) == OperationStatus.Done && IsTagCharacter(previous);
}
