using WordCloud.Abstractions;
using WordCloud.Grains.Text;
using WordCloud.Grains.Windows;
using static WordCloud.Tests.TestPosts;

namespace WordCloud.Tests.Windows;

/// <summary>A window counts each post once, by its id, and lets a post go when its feed says it was deleted.</summary>
public sealed class DuplicatesAndDeletionsTests
{
    private static WordWindow NewWindow(int capacity) => new(capacity, Tokenizer.English, null);

    private static string[] TextsOf(WordWindow window) => [.. window.GetNewestPosts(window.Count).Select(post => post.Text)];

    /// <summary>A batch of posts (text, id) and deletions (null text, id), in that order.</summary>
    private static AppendResult Apply(WordWindow window, params (string? Text, string? Id)[] entries)
    {
        using var builder = new PostBatchBuilder(entries.Length);
        foreach (var (text, id) in entries)
        {
            if (text is null)
            {
                builder.AddDeletion(id);
            }
            else
            {
                builder.Add(new Post(text, Id: id));
            }
        }

        using var batch = builder.Build(null, 0);
        return window.Append(batch);
    }

    [Fact]
    public void APostWhoseIdTheWindowHoldsIsDroppedAsADuplicate()
    {
        var window = NewWindow(10);
        Apply(window, ("hoppy stout", "a"));

        var result = Apply(window, ("hoppy stout again", "a"), ("crisp lager", "b"));

        Assert.Equal(1, result.Accepted);
        Assert.Equal(1, result.Duplicates);
        Assert.Empty(result.Rejected);
        Assert.Equal(["hoppy stout", "crisp lager"], TextsOf(window));
        Assert.Equal([new WordCount("crisp", 1), new WordCount("hoppy", 1), new WordCount("lager", 1), new WordCount("stout", 1)], window.GetTopWords(10));
        Assert.Equal(1, window.Stats.TotalDuplicates);
    }

    [Fact]
    public void TheSameIdTwiceInOneBatchCountsOnce()
    {
        var window = NewWindow(10);

        var result = Apply(window, ("stout", "a"), ("stout", "a"), ("stout", "a"));

        Assert.Equal(1, result.Accepted);
        Assert.Equal(2, result.Duplicates);
        Assert.Equal(["stout"], TextsOf(window));
    }

    [Fact]
    public void PostsWithoutIdsOrWithEmptyIdsAreNeverDuplicates()
    {
        var window = NewWindow(10);

        var result = Apply(window, ("stout", null), ("stout", null), ("porter", ""), ("porter", ""));

        Assert.Equal(4, result.Accepted);
        Assert.Equal(0, result.Duplicates);
    }

    [Fact]
    public void AnIdThatWasEvictedIsAcceptedAgain()
    {
        var window = NewWindow(2);
        Apply(window, ("stout", "a"), ("porter", "b"), ("lager", "c"));

        var result = Apply(window, ("stout back", "a"));

        Assert.Equal(1, result.Accepted);
        Assert.Equal(["lager", "stout back"], TextsOf(window));
    }

    [Fact]
    public void ADeletionUncountsThePostsWordsAndHidesIt()
    {
        var window = NewWindow(10);
        Apply(window, ("hoppy stout", "a"), ("crisp stout", "b"), ("dark porter", "c"));

        var result = Apply(window, (null, "b"));

        Assert.Equal(1, result.Deleted);
        Assert.Equal(0, result.Accepted);
        Assert.Equal(["hoppy stout", "dark porter"], TextsOf(window));
        Assert.Equal([new WordCount("dark", 1), new WordCount("hoppy", 1), new WordCount("porter", 1), new WordCount("stout", 1)], window.GetTopWords(10));
        Assert.Equal(new WindowStats(10, 2, 3, 0, 4, TotalDuplicates: 0, TotalDeleted: 1), window.Stats);
    }

    [Fact]
    public void ADeletionOfAnIdTheWindowDoesNotHoldDoesNothing()
    {
        var window = NewWindow(10);
        Apply(window, ("stout", "a"));

        var result = Apply(window, (null, "never-seen"));

        Assert.Equal(0, result.Deleted);
        Assert.Equal(["stout"], TextsOf(window));
        Assert.Equal(0, window.Stats.TotalDeleted);
    }

    [Fact]
    public void DeletingTwiceCountsOnceAndAReplayOfTheDeletedPostIsStillADuplicate()
    {
        var window = NewWindow(10);
        Apply(window, ("stout", "a"), ("porter", "b"));

        var first = Apply(window, (null, "a"));
        var again = Apply(window, (null, "a"), ("stout", "a"));

        Assert.Equal(1, first.Deleted);
        Assert.Equal(0, again.Deleted);
        Assert.Equal(1, again.Duplicates);
        Assert.Equal(["porter"], TextsOf(window));
        Assert.Equal([new WordCount("porter", 1)], window.GetTopWords(10));
    }

    [Fact]
    public void APostAndItsDeletionInOneBatchLeaveNothing()
    {
        var window = NewWindow(10);

        var result = Apply(window, ("stout", "a"), (null, "a"));

        Assert.Equal(1, result.Accepted);
        Assert.Equal(1, result.Deleted);
        Assert.Empty(TextsOf(window));
        Assert.Empty(window.GetTopWords(10));
    }

    [Fact]
    public void ADeletionWithoutAnIdIsRejectedByName()
    {
        var window = NewWindow(10);

        var result = Apply(window, ("stout", "a"), (null, null));

        var rejection = Assert.Single(result.Rejected);
        Assert.Equal(1, rejection.Index);
        Assert.Contains("the deletion names no post", rejection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ADeletedPostLeavesOnEvictionWithoutItsWordsUncountedTwice()
    {
        // Arrange: "stout" is deleted, so its word id is freed and reused by "porter" before the deleted post is evicted.
        var window = NewWindow(3);
        Apply(window, ("stout", "a"));
        Apply(window, (null, "a"));
        Apply(window, ("porter", "b"), ("porter lager", "c"));

        // Act: the deleted post is evicted.
        var result = Apply(window, ("lager", "d"));

        // Assert
        Assert.Equal(1, result.Evicted);
        Assert.Equal(["porter", "porter lager", "lager"], TextsOf(window));
        Assert.Equal([new WordCount("lager", 2), new WordCount("porter", 2)], window.GetTopWords(10));
        Assert.Empty(window.Deleted);
    }

    [Fact]
    public void PagesLeaveDeletedPostsOutAndSayWhereTheNextPageStarts()
    {
        var window = NewWindow(10);
        Apply(window, ("p0", "0"), ("p1", "1"), ("p2", "2"), ("p3", "3"), ("p4", "4"));
        Apply(window, (null, "1"), (null, "2"));

        var page = window.GetPostsFrom(0, 3, 1_000_000, out var first, out var next);
        var rest = window.GetPostsFrom(next, 10, 1_000_000, out _, out var end);

        Assert.Equal(0, first);
        Assert.Equal(["p0"], page.Select(post => post.Text));
        Assert.Equal(3, next);
        Assert.Equal(["p3", "p4"], rest.Select(post => post.Text));
        Assert.Equal(5, end);
    }

    [Fact]
    public void RestoreBringsDeletedPostsBackDeletedAndTheirIdsKnown()
    {
        var window = NewWindow(10);
        var stored = Stored(new Post("hoppy stout", Id: "a"), new Post("crisp lager", Id: "b"), new Post("dark porter", Id: "c"));

        window.Restore([stored], new WindowTotals(13, 10, TotalDuplicates: 4, TotalDeleted: 2), deleted: [11]);

        Assert.Equal(["hoppy stout", "dark porter"], TextsOf(window));
        Assert.DoesNotContain(window.GetTopWords(10), word => word.Word is "crisp" or "lager");
        Assert.Equal(new WindowStats(10, 2, 13, 10, 4, TotalDuplicates: 4, TotalDeleted: 2), window.Stats);
        var replay = Apply(window, ("crisp lager", "b"), ("hoppy stout", "a"));
        Assert.Equal((0, 2), (replay.Accepted, replay.Duplicates));
        Assert.Equal(1, Apply(window, (null, "c")).Deleted);
        Assert.Equal([11L, 12L], window.Deleted);
    }

    [Fact]
    public void AWindowStoredHoldingAnIdTwiceKeepsTheNewerKnownWhenTheOlderIsEvicted()
    {
        // Arrange: a window saved before ids were checked, holding the same id twice.
        var window = NewWindow(3);
        window.Restore([Stored(new Post("old copy", Id: "x"), new Post("porter", Id: "p"), new Post("new copy", Id: "x"))], new WindowTotals(3, 0), []);

        // Act: the older copy is evicted, then the id comes again.
        Apply(window, ("lager", "l"));
        var replay = Apply(window, ("third copy", "x"));

        // Assert
        Assert.Equal(1, replay.Duplicates);
        Assert.Equal(["porter", "new copy", "lager"], TextsOf(window));
    }

    [Fact]
    public void AnyMixOfPostsDuplicatesDeletionsAndEvictionsKeepsTheCountsOfTheShownPosts()
    {
        // A model: the last `capacity` accepted posts, with a flag for the deleted ones. The window must show the
        // posts the model shows and count exactly their words, whatever the order of events.
        var tokenizer = Tokenizer.English;
        string[] words = ["stout", "porter", "lager", "hazy", "crisp", "dark", "sour", "pale"];
        for (var seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            var capacity = random.Next(1, 12);
            var window = NewWindow(capacity);
            var model = new List<(string Id, string Text, bool Deleted)>();
            for (var step = 0; step < 60; step++)
            {
                var id = $"id{random.Next(0, 20)}";
                if (random.Next(4) == 0)
                {
                    Apply(window, (null, id));
                    var at = model.FindIndex(held => held.Id == id);
                    if (at >= 0)
                    {
                        model[at] = model[at] with { Deleted = true };
                    }
                }
                else
                {
                    var text = string.Join(' ', Enumerable.Range(0, random.Next(1, 5)).Select(_ => words[random.Next(words.Length)]));
                    Apply(window, (text, id));
                    if (!model.Exists(held => held.Id == id))
                    {
                        model.Add((id, text, false));
                        if (model.Count > capacity)
                        {
                            model.RemoveAt(0);
                        }
                    }
                }

                var shown = model.Where(held => !held.Deleted).ToList();
                var expected = shown.SelectMany(held => tokenizer.Tokenize(held.Text)).GroupBy(word => word)
                    .Select(group => new WordCount(group.Key, group.Count()))
                    .OrderByDescending(count => count.Count).ThenBy(count => count.Word, StringComparer.Ordinal);
                Assert.Equal(shown.Select(held => held.Text), TextsOf(window));
                Assert.Equal(expected, window.GetTopWords(WindowLimits.MaxTop));
            }
        }
    }
}
