using WordCloud.Client.Sources;

namespace WordCloud.Tests.Client;

public sealed class MastodonHtmlTests
{
    [Theory]
    [InlineData("<p>Stout &amp; porter &lt;3 &quot;dark&quot; &#8212; caf&eacute;</p>", "Stout & porter <3 \"dark\" — café")]
    [InlineData("<p>one</p><p>two</p>", "one\n\ntwo")]
    [InlineData("<p>one<br>two<br />three</p>", "one\ntwo\nthree")]
    [InlineData("<p>one<br><br>two</p>", "one\n\ntwo")]
    [InlineData("<p>one<br></p><p>two</p>", "one\n\ntwo")]
    [InlineData("<p>hoppy <strong>stout</strong> and <em>ipa</em></p>", "hoppy stout and ipa")]
    [InlineData("plain text, no markup", "plain text, no markup")]
    [InlineData("<p>  spaced  </p>", "spaced")]
    [InlineData("<ul><li>stout</li><li>porter</li></ul><p>done</p>", "stout\nporter\n\ndone")]
    [InlineData("<blockquote><p>quoted</p></blockquote><p>reply</p>", "quoted\n\nreply")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData("<p></p>", "")]
    public void HtmlBecomesTheTextAReaderSees(string? html, string expected)
    {
        var text = MastodonHtml.ToText(html);

        Assert.Equal(expected, text);
    }

    [Fact]
    public void HashtagLinkBecomesTheHashtag()
    {
        var text = MastodonHtml.ToText("""<p>Friday <a href="https://mastodon.social/tags/beer" class="mention hashtag" rel="tag">#<span>beer</span></a></p>""");

        Assert.Equal("Friday #beer", text);
    }

    [Fact]
    public void MentionLinkBecomesTheMention()
    {
        var text = MastodonHtml.ToText("""<p><span class="h-card" translate="no"><a href="https://example.social/@ana" class="u-url mention">@<span>ana</span></a></span> cheers</p>""");

        Assert.Equal("@ana cheers", text);
    }

    [Fact]
    public void ShortenedLinkKeepsItsInvisiblePartsSoTheWholeUrlIsRead()
    {
        var html = """<p>read <a href="https://example.com/beer/stouts-of-the-world" target="_blank" rel="nofollow noopener"><span class="invisible">https://</span><span class="ellipsis">example.com/beer/stouts-of</span><span class="invisible">-the-world</span></a> now</p>""";

        var text = MastodonHtml.ToText(html);

        Assert.Equal("read https://example.com/beer/stouts-of-the-world now", text);
    }

    [Fact]
    public void ScriptsAndStylesAreNotText()
    {
        var text = MastodonHtml.ToText("<p>stout<script>alert(1)</script><style>p{}</style></p>");

        Assert.Equal("stout", text);
    }

    [Fact]
    public void BrokenMarkupIsReadAsABrowserWould()
    {
        var text = MastodonHtml.ToText("<p>unclosed <b>bold<p>next");

        Assert.Equal("unclosed bold\n\nnext", text);
    }
}
