using WordCloud.Abstractions;
using WordCloud.Grains.Text;
using WordCloud.Grains.Windows;

namespace WordCloud.Tests.Text;

public sealed class TokenizerInternTests
{
    [Fact]
    public void EveryTokenIsMadeByTheInternFunctionWhenOneIsGiven()
    {
        // Arrange: an intern that hands back one canonical string per token text.
        var canonical = new Dictionary<string, string>(StringComparer.Ordinal);
        string Intern(ReadOnlySpan<char> token)
        {
            var text = new string(token);
            return canonical.TryGetValue(text, out var known) ? known : canonical[text] = text;
        }

        // Act
        var first = Tokenizer.English.Tokenize("Hazy IPA and #hops", intern: Intern);
        var second = Tokenizer.English.Tokenize("hazy ipa, fresh #hops", intern: Intern);

        // Assert
        Assert.Equal(["hazy", "ipa", "#hops"], first);
        Assert.Equal(["hazy", "ipa", "fresh", "#hops"], second);
        Assert.Same(first[0], second[0]);
        Assert.Same(first[2], second[3]);
    }

    [Fact]
    public void TokenizingAgainWithoutAnInternGivesEqualButSeparateStrings()
    {
        var first = Tokenizer.English.Tokenize("stout porter");
        var second = Tokenizer.English.Tokenize("stout porter");

        Assert.Equal(first, second);
        Assert.NotSame(first[0], second[0]);
    }

    [Fact]
    public void AWindowCountsTheSameWhetherOrNotItsWordsAreShared()
    {
        // The window interns through its count table; counts and eviction must not notice.
        var window = new WordWindow(2, Tokenizer.English, "beer");
        window.AppendPosts([new Post("stout stout porter"), new Post("stout lager"), new Post("porter")]);

        Assert.Equal([new WordCount("lager", 1), new WordCount("porter", 1), new WordCount("stout", 1)], window.GetTopWords(10));
        Assert.Equal(3, window.DistinctWords);
    }

    [Theory]
    [InlineData("Hazy IPA and #hops, @brewer https://x.io 2026 #beer beer café")]
    [InlineData("the a of")]
    [InlineData("")]
    public void VisitingHandsOverTheSameTokensInTheSameOrderAsTokenize(string text)
    {
        // Arrange
        var visited = new List<string>();

        // Act
        var count = Tokenizer.English.Visit(text, "beer", token =>
        {
            visited.Add(new string(token));
            return string.Empty;
        });

        // Assert
        Assert.Equal(Tokenizer.English.Tokenize(text, "beer"), visited);
        Assert.Equal(visited.Count, count);
    }
}
