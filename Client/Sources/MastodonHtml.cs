using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace WordCloud.Client.Sources;

/// <summary>
/// Turns the HTML of a Mastodon status into the plain text a reader sees: entities decoded, links reduced to their
/// text (so a hashtag link reads "#beer" and a mention "@ana"), paragraphs and other blocks separated by a blank line,
/// <c>&lt;br&gt;</c> and list items on lines of their own.
/// </summary>
/// <remarks>
/// Mastodon shortens long links on screen by wrapping their scheme and tail in <c>&lt;span class="invisible"&gt;</c>
/// and the middle in <c>&lt;span class="ellipsis"&gt;</c>. The invisible parts are kept: concatenated, the spans give
/// the whole URL as the author wrote it, where dropping them would leave a truncated fragment of it that is neither the
/// link nor words.
/// </remarks>
public static class MastodonHtml
{
    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "blockquote", "pre", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table",
    };

    private static readonly HashSet<string> Lines = new(StringComparer.OrdinalIgnoreCase) { "li", "tr", "dt", "dd" };

    private static readonly HashSet<string> Unseen = new(StringComparer.OrdinalIgnoreCase) { "script", "style", "template" };

    public static string ToText(string? html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return string.Empty;
        }

        // A parser per call: statuses are small, and AngleSharp does not promise that a parser is safe across threads.
        var parser = new HtmlParser();
        var document = parser.ParseDocument(string.Empty);
        var text = new TextBuilder();
        foreach (var node in parser.ParseFragment(html, document.Body!))
        {
            Append(node, text);
        }

        return text.ToString();
    }

    private static void Append(INode node, TextBuilder text)
    {
        switch (node)
        {
            case IText textNode:
                text.Write(textNode.Data);
                break;
            case IElement element when Unseen.Contains(element.LocalName):
                break;
            case IElement { LocalName: "br" }:
                text.LineBreak();
                break;
            case IElement element:
                var separator = Blocks.Contains(element.LocalName) ? 2 : Lines.Contains(element.LocalName) ? 1 : 0;
                text.Break(separator);
                foreach (var child in element.ChildNodes)
                {
                    Append(child, text);
                }

                text.Break(separator);
                break;
        }
    }

    /// <summary>Writes text with the line breaks blocks ask for, never more than one blank line and none at the ends.</summary>
    private sealed class TextBuilder
    {
        private readonly StringBuilder _text = new();
        private int _pendingBreaks;

        public void Write(string value)
        {
            if (value.Length == 0)
            {
                return;
            }

            if (_text.Length > 0 && _pendingBreaks > 0)
            {
                TrimTrailingSpaces();
                _text.Append('\n', _pendingBreaks);
            }

            _pendingBreaks = 0;
            _text.Append(value);
        }

        /// <summary>A block's edge: the next text starts <paramref name="lines"/> lines further down (2: after a blank line).</summary>
        public void Break(int lines) => _pendingBreaks = Math.Max(_pendingBreaks, lines);

        /// <summary>A <c>&lt;br&gt;</c>: a new line, and two in a row leave an empty line as they do on screen.</summary>
        public void LineBreak()
        {
            if (_pendingBreaks > 0)
            {
                _pendingBreaks = 2;
            }
            else if (_text.Length > 0)
            {
                _pendingBreaks = 1;
            }
        }

        public override string ToString() => _text.ToString().Trim();

        private void TrimTrailingSpaces()
        {
            var end = _text.Length;
            while (end > 0 && _text[end - 1] is ' ' or '\t')
            {
                end--;
            }

            _text.Length = end;
        }
    }
}
