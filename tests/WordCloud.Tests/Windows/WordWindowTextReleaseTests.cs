using WordCloud.Abstractions;
using WordCloud.Grains.Text;
using WordCloud.Grains.Windows;

namespace WordCloud.Tests.Windows;

/// <summary>A window that forgets the text of posts its owner has stored keeps counting their words.</summary>
public sealed class WordWindowTextReleaseTests
{
    private static WordWindow WindowOfTen(out Post[] posts)
    {
        var window = new WordWindow(10, Tokenizer.English, excludedWord: null);
        posts = [.. Enumerable.Range(0, 10).Select(i => new Post($"post{i} stout {(i % 2 == 0 ? "hoppy" : "crisp")}"))];
        window.AppendPosts(posts);
        return window;
    }

    [Fact]
    public void ReleasedPostsLoseTheirTextButKeepTheirWordsCounted()
    {
        var window = WindowOfTen(out var posts);

        window.ReleaseTextBefore(6);

        Assert.Equal(6, window.TextFrom);
        Assert.Equal([new WordCount("stout", 10), new WordCount("crisp", 5), new WordCount("hoppy", 5)], window.GetTopWords(3));
        Assert.Contains(new WordCount("post0", 1), window.GetTopWords(WindowLimits.MaxTop));
        Assert.Equal(posts[6..], window.GetNewestPosts(4));
        // Asked for more, it gives the newest whose text is in memory: the rest are read from storage, by page.
        Assert.Equal(posts[6..], window.GetNewestPosts(window.Count));
        Assert.Throws<InvalidOperationException>(() => window.GetStoredFrom(5, 2));
    }

    [Fact]
    public void EvictingReleasedPostsTakesTheirWordsOutOfTheCounts()
    {
        var window = WindowOfTen(out var posts);
        window.ReleaseTextBefore(6);
        Post[] newer = [.. Enumerable.Range(10, 7).Select(i => new Post($"post{i} lager"))];

        window.AppendPosts(newer);

        // Posts 0-6 left; 7-9 (with text) and 10-16 are held: "post7" to "post16" once each, and four other words.
        Assert.Equal(7, window.First);
        Assert.Equal(7, window.TextFrom);
        Assert.Equal(14, window.DistinctWords);
        Assert.Equal([new WordCount("lager", 7), new WordCount("stout", 3), new WordCount("crisp", 2), new WordCount("hoppy", 1)], window.GetTopWords(4));
        Assert.DoesNotContain(window.GetTopWords(WindowLimits.MaxTop), word => word.Word is "post0" or "post6");
        Assert.Equal([.. posts[7..], .. newer], window.GetNewestPosts(window.Count));
    }

    [Fact]
    public void ReleasingNeverTakesTextBackAndStopsAtTheNewestPost()
    {
        var window = WindowOfTen(out _);
        window.ReleaseTextBefore(6);

        window.ReleaseTextBefore(3);
        var afterEarlier = window.TextFrom;
        window.ReleaseTextBefore(1_000);

        Assert.Equal(6, afterEarlier);
        Assert.Equal(10, window.TextFrom);
        Assert.Empty(window.GetNewestPosts(0));
        Assert.Empty(window.GetNewestPosts(1));
    }

    [Fact]
    public void PostsAppendedAfterAReleaseKeepTheirText()
    {
        var window = WindowOfTen(out _);
        window.ReleaseTextBefore(10);

        window.AppendPosts([new Post("post10 porter")]);

        Assert.Equal(10, window.TextFrom);
        Assert.Equal([new Post("post10 porter")], window.GetNewestPosts(1));
    }
}
