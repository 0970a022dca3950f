using WordCloud.Abstractions;
using WordCloud.Grains.Text;
using WordCloud.Grains.Windows;
using static WordCloud.Tests.TestPosts;

namespace WordCloud.Tests.Windows;

public sealed class WordWindowTests
{
    private static WordWindow NewWindow(int capacity, string? excludedWord = null) =>
        new(capacity, Tokenizer.English, excludedWord);

    private static Post[] Posts(params string[] texts) => [.. texts.Select(text => new Post(text))];

    private static string[] TextsOf(WordWindow window) => [.. window.GetNewestPosts(window.Count).Select(post => post.Text)];

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1_000_001)]
    [InlineData(int.MaxValue)]
    public void CapacityOutsideBoundsThrowsNamingTheValue(int capacity)
    {
        var failure = Assert.Throws<ArgumentOutOfRangeException>(() => NewWindow(capacity));

        Assert.Equal("capacity", failure.ParamName);
        Assert.Contains($"invalid window capacity {capacity}", failure.Message, StringComparison.Ordinal);
        Assert.Contains("between 1 and 1000000", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1_000_000)]
    public void CapacityAtTheBoundsIsAccepted(int capacity)
    {
        var window = NewWindow(capacity);

        var result = window.AppendPosts(Posts("hoppy stout", "crisp lager"));

        Assert.Equal(capacity, window.Capacity);
        Assert.Equal(2, result.Accepted);
        Assert.Equal(Math.Min(capacity, 2), window.Count);
    }

    [Fact]
    public void NewWindowIsEmpty()
    {
        var window = NewWindow(10);

        Assert.Equal(new WindowStats(10, 0, 0, 0, 0), window.Stats);
        Assert.Empty(window.GetNewestPosts(window.Capacity));
        Assert.Empty(window.GetTopWords(10));
    }

    [Fact]
    public void OldestPostIsEvictedFirst()
    {
        var window = NewWindow(2);

        window.AppendPosts(Posts("stout"));
        window.AppendPosts(Posts("porter"));
        window.AppendPosts(Posts("lager"));

        Assert.Equal(["porter", "lager"], TextsOf(window));
        Assert.Equal([new WordCount("lager", 1), new WordCount("porter", 1)], window.GetTopWords(10));
    }

    [Fact]
    public void EvictionTakesTheOldPostsWordsOutOfTheCounts()
    {
        var window = NewWindow(1);
        window.AppendPosts(Posts("stout stout #stout"));

        window.AppendPosts(Posts("porter"));

        Assert.Equal(1, window.DistinctWords);
        Assert.Equal([new WordCount("porter", 1)], window.GetTopWords(10));
    }

    [Fact]
    public void TheWindowHoldsTheLastCapacityPostsOldestFirst()
    {
        var window = NewWindow(5);
        var texts = Enumerable.Range(1, 12).Select(number => $"post number{number}").ToArray();

        window.AppendPosts(Posts(texts[..4]));
        window.AppendPosts(Posts(texts[4..5]));
        window.AppendPosts(Posts(texts[5..]));

        Assert.Equal(texts[^5..], TextsOf(window));
    }

    [Fact]
    public void HeldPostsKeepEveryFieldAsAppended()
    {
        var window = NewWindow(3);
        var post = new Post("hoppy stout", Id: "42", Author: "ana", CreatedAt: new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), Source: "file");

        window.AppendPosts([post]);

        Assert.Equal([post], window.GetNewestPosts(window.Count));
    }

    [Fact]
    public void AppendReportsAcceptedRejectedAndEvicted()
    {
        var window = NewWindow(3);
        window.AppendPosts(Posts("stout", "porter"));
        Post?[] batch = [new Post("lager"), new Post(""), new Post("pilsner"), null, new Post("  \t "), new Post("saison")];

        var result = window.AppendPosts(batch);

        Assert.Equal(3, result.Accepted);
        Assert.Equal(2, result.Evicted);
        Assert.Equal([1, 3, 4], result.Rejected.Select(rejection => rejection.Index));
        Assert.All(result.Rejected, rejection => Assert.False(string.IsNullOrWhiteSpace(rejection.Reason)));
        Assert.Equal(["lager", "pilsner", "saison"], TextsOf(window));
    }

    [Fact]
    public void AppendWithoutInvalidPostsReportsNoRejections()
    {
        var window = NewWindow(3);

        var result = window.AppendPosts(Posts("stout", "porter"));

        Assert.Equal(2, result.Accepted);
        Assert.Empty(result.Rejected);
        Assert.Equal(0, result.Evicted);
    }

    [Theory]
    [InlineData("", "empty or whitespace")]
    [InlineData("   ", "empty or whitespace")]
    [InlineData("\t\r\n", "empty or whitespace")]
    public void BlankTextIsRejectedWithItsReason(string text, string reason)
    {
        var window = NewWindow(3);

        var result = window.AppendPosts([new Post(text)]);

        Assert.Equal(0, result.Accepted);
        var rejection = Assert.Single(result.Rejected);
        Assert.Equal(0, rejection.Index);
        Assert.Contains(reason, rejection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TooLongTextIsRejectedNamingItsLengthAndTheLimit()
    {
        var window = NewWindow(3);

        var result = window.AppendPosts([new Post(new string('a', PostRules.MaxTextLength + 1))]);

        var rejection = Assert.Single(result.Rejected);
        Assert.Contains("10001", rejection.Reason, StringComparison.Ordinal);
        Assert.Contains("10000", rejection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TextOfExactlyTheLimitIsAccepted()
    {
        var window = NewWindow(3);

        var result = window.AppendPosts([new Post(new string('a', PostRules.MaxTextLength))]);

        Assert.Equal(1, result.Accepted);
        Assert.Empty(result.Rejected);
    }

    [Fact]
    public void RejectedPostsLeaveTheWindowUnchanged()
    {
        var window = NewWindow(2);
        window.AppendPosts(Posts("stout porter", "porter"));
        var before = (Texts: TextsOf(window), Stats: window.Stats, Top: window.GetTopWords(10));

        var result = window.AppendPosts([new Post(""), null, new Post(" "), new Post(new string('x', 10_001)), new Post("ok", Id: new string('i', 257))]);

        Assert.Equal(0, result.Accepted);
        Assert.Equal(0, result.Evicted);
        Assert.Equal(5, result.Rejected.Count);
        Assert.Equal(before.Texts, TextsOf(window));
        Assert.Equal(before.Stats, window.Stats);
        Assert.Equal(before.Top, window.GetTopWords(10));
    }

    [Fact]
    public void StatsCountEveryAppendAndEviction()
    {
        var window = NewWindow(3);

        window.AppendPosts(Posts("stout ipa", "porter"));
        window.AppendPosts(Posts("lager", "", "ipa stout", "saison"));

        Assert.Equal(new WindowStats(Capacity: 3, Count: 3, TotalAppended: 5, TotalEvicted: 2, DistinctWords: 4), window.Stats);
        Assert.Equal(5, window.TotalAppended);
        Assert.Equal(2, window.TotalEvicted);
    }

    [Fact]
    public void RepeatsAreCountedWithinAndAcrossPostsAndOnlyWordsAppendedAreCounted()
    {
        var window = NewWindow(10);

        window.AppendPosts(Posts("stout stout ipa", "Stout #stout"));

        Assert.Equal([new WordCount("stout", 3), new WordCount("#stout", 1), new WordCount("ipa", 1)], window.GetTopWords(10));
    }

    [Fact]
    public void ExcludedTopicWordIsNotCounted()
    {
        var window = NewWindow(10, excludedWord: "beer");

        window.AppendPosts(Posts("beer #beer hoppy beers"));

        Assert.Equal([new WordCount("beers", 1), new WordCount("hoppy", 1)], window.GetTopWords(10));
    }

    [Fact]
    public void TopWordsAreOrderedByCountThenWord()
    {
        var window = NewWindow(100);
        window.AppendPosts(Posts(
            "zebra porter stout",
            "éclair lager stout",
            "#ipa ipa stout",
            "porter lager ipa #ipa",
            "stout"));

        var top = window.GetTopWords(100);

        Assert.Equal(
            [
                new WordCount("stout", 4),
                new WordCount("#ipa", 2),
                new WordCount("ipa", 2),
                new WordCount("lager", 2),
                new WordCount("porter", 2),
                new WordCount("zebra", 1),
                new WordCount("éclair", 1),
            ],
            top);
    }

    [Fact]
    public void TopWordsCutThroughATieKeepTheOrdinallyFirstWords()
    {
        var window = NewWindow(100);
        window.AppendPosts(Posts("porter lager stout", "stout lager porter", "ipa ipa amber"));

        var top = window.GetTopWords(3);

        Assert.Equal([new WordCount("ipa", 2), new WordCount("lager", 2), new WordCount("porter", 2)], top);
    }

    [Fact]
    public void TopWordsAreOrderedWhateverTheInsertionOrder()
    {
        var window = NewWindow(100);
        window.AppendPosts(Posts("aa", "bb bb", "cc cc cc", "dd dd dd dd", "ee ee ee ee ee"));

        var top = window.GetTopWords(2);

        Assert.Equal([new WordCount("ee", 5), new WordCount("dd", 4)], top);
    }

    [Fact]
    public void TopWordsReturnsEveryWordWhenFewerDistinctWordsExist()
    {
        var window = NewWindow(10);
        window.AppendPosts(Posts("stout ipa", "stout"));

        var top = window.GetTopWords(1000);

        Assert.Equal([new WordCount("stout", 2), new WordCount("ipa", 1)], top);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    public void TopWordsCountOutsideBoundsThrowsNamingTheValue(int count)
    {
        var window = NewWindow(10);
        window.AppendPosts(Posts("stout"));

        var failure = Assert.Throws<ArgumentOutOfRangeException>(() => window.GetTopWords(count));

        Assert.Equal("count", failure.ParamName);
        Assert.Contains($"invalid top-words count {count}", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    public void TopWordsCountAtTheBoundsIsAccepted(int count)
    {
        var window = NewWindow(10);
        window.AppendPosts(Posts("stout ipa"));

        var top = window.GetTopWords(count);

        Assert.Equal(Math.Min(count, 2), top.Length);
    }

    [Fact]
    public void RestorePutsBackPostsCountsAndTotals()
    {
        var window = NewWindow(5);

        window.Restore([Stored(Posts("stout ipa", "ipa", "porter"))], new WindowTotals(10, 7), []);

        Assert.Equal(["stout ipa", "ipa", "porter"], TextsOf(window));
        Assert.Equal(new WindowStats(5, 3, 10, 7, 3), window.Stats);
        Assert.Equal([new WordCount("ipa", 2), new WordCount("porter", 1), new WordCount("stout", 1)], window.GetTopWords(10));
    }

    [Fact]
    public void RestoreIntoALowerCapacityEvictsTheOldestAndCountsThem()
    {
        var window = NewWindow(2);

        // Storage hands back posts in runs (segments, then the head's tail): eviction goes on across them.
        window.Restore([Stored(Posts("stout", "porter", "lager")), Stored(Posts("pilsner", "saison"))], new WindowTotals(9, 4), []);

        Assert.Equal(["pilsner", "saison"], TextsOf(window));
        Assert.Equal(new WindowStats(2, 2, 9, 7, 2), window.Stats);
        Assert.Equal([new WordCount("pilsner", 1), new WordCount("saison", 1)], window.GetTopWords(10));
    }

    [Fact]
    public void AppendAfterRestoreContinuesTheTotals()
    {
        var window = NewWindow(2);
        window.Restore([Stored(Posts("stout", "porter"))], new WindowTotals(10, 8), []);

        var result = window.AppendPosts(Posts("lager"));

        Assert.Equal(1, result.Evicted);
        Assert.Equal(["porter", "lager"], TextsOf(window));
        Assert.Equal(new WindowStats(2, 2, 11, 9, 2), window.Stats);
    }

    [Fact]
    public void RestoreIntoANonEmptyWindowThrows()
    {
        var window = NewWindow(5);
        window.AppendPosts(Posts("stout"));

        Assert.Throws<InvalidOperationException>(() => window.Restore([Stored(Posts("porter"))], new WindowTotals(1, 0), []));
        Assert.Equal(["stout"], TextsOf(window));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(3, 17)]
    [InlineData(4, 100)]
    [InlineData(5, 1000)]
    [InlineData(6, 7)]
    public void CountsAndTopWordsAlwaysMatchARecountOfThePosts(int seed, int capacity)
    {
        string[] vocabulary =
        [
            "stout", "Stout", "#stout", "ipa", "#IPA", "lager", "porter", "don't", "rock'n'roll", "the", "a",
            "2024", "1st", "beer", "#beer", "café", "пиво", "@brewer", "https://x.io/ipa", "hop-head", "🍺",
        ];
        var random = new Random(seed);
        var window = new WordWindow(capacity, Tokenizer.English, excludedWord: "beer");
        var appended = new List<string>();

        for (var batch = 0; batch < 150; batch++)
        {
            var posts = new Post[random.Next(1, 8)];
            for (var index = 0; index < posts.Length; index++)
            {
                var words = Enumerable.Range(0, random.Next(1, 9)).Select(_ => vocabulary[random.Next(vocabulary.Length)]);
                posts[index] = new Post(string.Join(' ', words));
            }

            window.AppendPosts(posts);
            appended.AddRange(posts.Select(post => post.Text));

            // Arrange the expectation from the posts alone, the slow way.
            var recount = window.GetNewestPosts(window.Count)
                .SelectMany(post => Tokenizer.English.Tokenize(post.Text, "beer"))
                .GroupBy(word => word, StringComparer.Ordinal)
                .Select(group => new WordCount(group.Key, group.Count()))
                .OrderByDescending(word => word.Count)
                .ThenBy(word => word.Word, StringComparer.Ordinal)
                .ToArray();

            Assert.Equal(appended.TakeLast(capacity), TextsOf(window));
            Assert.Equal(recount.Length, window.DistinctWords);
            foreach (var k in new[] { 1, 2, 3, 5, 1000 })
            {
                Assert.Equal(recount.Take(k), window.GetTopWords(k));
            }
        }

        Assert.Equal(appended.Count, window.TotalAppended);
        Assert.Equal(Math.Max(0, appended.Count - capacity), window.TotalEvicted);
    }

    [Theory]
    [InlineData(5, 3, 2)]
    [InlineData(5, 12, 3)]
    [InlineData(2000, 1500, 10)]
    [InlineData(3, 2, 5)]
    public void NewestPostsAreTheLastOnesHeldOldestFirstAcrossRingGrowthAndWrapAround(int capacity, int appended, int asked)
    {
        // Arrange: more than 1024 posts make the ring grow; more than the capacity make it wrap.
        var window = NewWindow(capacity);
        var texts = Enumerable.Range(1, appended).Select(index => $"post{index}").ToArray();
        window.AppendPosts(Posts(texts));

        // Act
        var newest = window.GetNewestPosts(asked).Select(post => post.Text);

        // Assert
        Assert.Equal(texts.TakeLast(Math.Min(capacity, appended)).TakeLast(asked), newest);
    }

    [Fact]
    public void AskingForNoNewestPostsGivesNone() => Assert.Empty(NewWindow(5).GetNewestPosts(0));

    [Fact]
    public void PostsFromANumberSkipEvictedOnesAndStopAtTheCharacterBudget()
    {
        // Arrange: posts 0-9 appended to a window of 6, so 4-9 are held.
        var window = NewWindow(6);
        window.AppendPosts(Posts([.. Enumerable.Range(0, 10).Select(index => $"post{index} {new string('x', 10)}")]));

        // Act
        var fromEvicted = window.GetPostsFrom(1, 100, 1_000_000, out var fromEvictedFirst, out var fromEvictedNext);
        var budgeted = window.GetPostsFrom(5, 100, 30, out var budgetedFirst, out var budgetedNext);
        var oneAtLeast = window.GetPostsFrom(9, 100, 1, out _, out _);
        var pastTheEnd = window.GetPostsFrom(10, 100, 1_000_000, out var pastTheEndFirst, out var pastTheEndNext);

        // Assert
        Assert.Equal(4, fromEvictedFirst);
        Assert.Equal(6, fromEvicted.Length);
        Assert.Equal(10, fromEvictedNext);
        Assert.Equal(5, budgetedFirst);
        Assert.Equal(2, budgeted.Length);
        Assert.Equal(7, budgetedNext);
        Assert.StartsWith("post9", Assert.Single(oneAtLeast).Text, StringComparison.Ordinal);
        Assert.Empty(pastTheEnd);
        Assert.Equal(10, pastTheEndFirst);
        Assert.Equal(10, pastTheEndNext);
    }
}
