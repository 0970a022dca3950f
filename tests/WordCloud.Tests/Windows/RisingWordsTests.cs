using CsCheck;
using WordCloud.Abstractions;
using WordCloud.Grains.Text;
using WordCloud.Grains.Windows;
using static WordCloud.Tests.TestPosts;

namespace WordCloud.Tests.Windows;

/// <summary>
/// A window's rising words: a word that was steady all along does not rise, a word that appears in a burst leads, and
/// it falls back once the burst is over; after any sequence of appends, deletions, evictions and restores the list
/// equals a recomputation from the posts held (<see cref="RisingRecount"/>).
/// </summary>
public sealed class RisingWordsTests
{
    /// <summary>Each word in two of every four posts: a steady feed.</summary>
    private static readonly string[] Steady = ["stout porter", "hoppy lager", "stout lager", "hoppy porter"];

    private static readonly string[] SteadyWords = ["stout", "porter", "hoppy", "lager"];

    private static WordWindow NewWindow(int capacity) => new(capacity, Tokenizer.English, null);

    private static void AppendSteady(WordWindow window, int posts, ref int next)
    {
        var texts = new Post[posts];
        for (var index = 0; index < posts; index++, next++)
        {
            texts[index] = new Post(Steady[next % Steady.Length]);
        }

        window.AppendPosts(texts);
    }

    [Fact]
    public void ASteadyFeedHasNoRisingWords()
    {
        var window = NewWindow(40);
        var next = 0;

        AppendSteady(window, 40, ref next);

        Assert.Empty(window.GetRising(10));
    }

    [Fact]
    public void ABurstOfANewWordLeadsTheRisingListAndSteadyWordsAreNotInItsTopThree()
    {
        // Arrange: a full window of steady posts.
        var window = NewWindow(40);
        var next = 0;
        AppendSteady(window, 40, ref next);

        // Act: twelve posts naming a word never seen, beside the steady words at their usual rate.
        window.AppendPosts([.. Enumerable.Range(0, 12).Select(index => new Post($"zymurgy {Steady[next++ % Steady.Length]}"))]);
        var rising = window.GetRising(10);

        // Assert: 12 mentions in the newer 20 posts against none in the older 20.
        Assert.Equal(new RisingWord("zymurgy", 12, 0, 12 / Math.Sqrt(12 + RisingScore.Prior)), rising[0]);
        Assert.DoesNotContain(rising.Take(3), word => SteadyWords.Contains(word.Word));
    }

    [Fact]
    public void WhenTheBurstIsOverTheWordFallsBackAndLeavesTheListOnceItLeavesTheWindow()
    {
        // Arrange: steady posts, then a burst that leads the list.
        var window = NewWindow(40);
        var next = 0;
        AppendSteady(window, 40, ref next);
        window.AppendPosts([.. Enumerable.Repeat(new Post("zymurgy"), 12)]);
        Assert.Equal("zymurgy", window.GetRising(1).Single().Word);

        // Act: enough steady posts that the burst is in the older half.
        AppendSteady(window, 20, ref next);

        // Assert: no longer rising (none in the newer half), though still counted.
        Assert.DoesNotContain(window.GetRising(10), word => word.Word == "zymurgy");
        Assert.Contains(new WordCount("zymurgy", 12), window.GetTopWords(10));

        // Act: enough steady posts that the burst has left the window.
        AppendSteady(window, 20, ref next);

        // Assert
        Assert.Empty(window.GetRising(10));
        Assert.DoesNotContain(window.GetTopWords(10), word => word.Word == "zymurgy");
    }

    [Fact]
    public void ASteadyFeedWhoseWordsComeAtRandomListsAlmostNoRisingWords()
    {
        // Arrange: 200 words, each post 8 of them drawn with Zipf's weights (the commonest 200 times as likely as the
        // rarest), at rates that never change: whatever differs between the halves is chance.
        var random = new Random(20261203);
        string[] words = [.. Enumerable.Range(0, 200).Select(Letters)];
        var weights = Enumerable.Range(1, 200).Select(rank => 1.0 / rank).ToArray();
        var total = weights.Sum();
        string Draw()
        {
            var at = random.NextDouble() * total;
            var index = 0;
            while (index < words.Length - 1 && (at -= weights[index]) > 0)
            {
                index++;
            }

            return words[index];
        }

        var window = NewWindow(1000);

        // Act
        window.AppendPosts([.. Enumerable.Range(0, 1500).Select(_ => new Post(string.Join(' ', Enumerable.Range(0, 8).Select(_ => Draw()))))]);

        // Assert: of the many words with 3 or more mentions in the newer half, hardly any differs by three standard
        // deviations. (With the score of the first version, (count − baseline) / √(baseline + 2) ≥ 1, dozens did.)
        Assert.True(window.ScoreCandidates().Count > 150, "most words are candidates");
        Assert.InRange(window.GetRising(WindowLimits.MaxRising).Length, 0, 1);
    }

    /// <summary>A word of letters only for <paramref name="index"/>: "brewa", "brewb", …, "brewba", ….</summary>
    private static string Letters(int index) => "brew" + string.Concat(index.ToString(System.Globalization.CultureInfo.InvariantCulture).Select(digit => (char)('a' + digit - '0')));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ANewWordMentionedLessThanTheMinimumSupportDoesNotRise(int mentions)
    {
        var window = NewWindow(40);
        var next = 0;
        AppendSteady(window, 40, ref next);

        window.AppendPosts([.. Enumerable.Repeat(new Post("zymurgy"), mentions)]);

        Assert.DoesNotContain(window.GetRising(10), word => word.Word == "zymurgy");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(101)]
    public void ARisingCountOutsideItsBoundsThrowsNamingTheValueAndTheRule(int count)
    {
        var failure = Assert.Throws<ArgumentOutOfRangeException>(() => NewWindow(10).GetRising(count));

        Assert.Equal("count", failure.ParamName);
        Assert.Contains($"invalid rising-words count {count}: it must be between 1 and 100", failure.Message, StringComparison.Ordinal);
    }

    private static readonly string[] Vocabulary = ["stout", "porter", "zymurgy", "ipa", "lager"];

    private static readonly Gen<Operation> Operations = Gen.Frequency(
        (8, Gen.Select(Gen.Int[0, 20], Gen.Int[0, Vocabulary.Length - 1].Array[0, 4], (id, words) => (Operation)new Append($"id{id}", string.Join(' ', words.Select(word => Vocabulary[word]))))),
        (2, Gen.Int[0, 20].Select(id => (Operation)new Delete($"id{id}"))),
        (1, Gen.Int[1, 16].Select(capacity => (Operation)new Restore(capacity))));

    [Fact]
    public void AfterAnySequenceOfAppendsDeletionsEvictionsAndRestoresTheRisingWordsEqualARecomputationFromThePostsHeld() =>
        Gen.Select(Gen.Int[1, 16], Operations.Array[1, 60]).Sample(Run, iter: 500);

    /// <summary>Hundreds of words and windows of up to 200 posts: word ids past one byte, the id queue grown and wrapped under the split.</summary>
    [Fact]
    public void OnWideVocabulariesAndLargerWindowsTheRisingWordsStillEqualARecomputation() =>
        Gen.Select(Gen.Int[1, 200], WideOperations.Array[1, 600]).Sample(Run, iter: 30);

    private static readonly Gen<Operation> WideOperations = Gen.Frequency(
        (8, Gen.Select(Gen.Int[0, 400], Gen.Int[0, 299].Array[0, 6], (id, words) => (Operation)new Append($"id{id}", string.Join(' ', words.Select(Letters))))),
        (2, Gen.Int[0, 400].Select(id => (Operation)new Delete($"id{id}"))),
        (1, Gen.Int[1, 200].Select(capacity => (Operation)new Restore(capacity))));

    private static void Run(int capacity, Operation[] operations)
    {
        var window = NewWindow(capacity);
        var held = new List<(string Id, string Text, bool Deleted)>();
        var appended = 0L;
        foreach (var operation in operations)
        {
            switch (operation)
            {
                case Append(var id, var text):
                    window.AppendPosts([new Post(text, Id: id)]);
                    if (PostRules.Validate(new Post(text, Id: id)) is null && !held.Exists(post => post.Id == id))
                    {
                        held.Add((id, text, false));
                        appended++;
                    }

                    break;
                case Delete(var id):
                    DeletePost(window, id);
                    var at = held.FindIndex(post => post.Id == id && !post.Deleted);
                    if (at >= 0)
                    {
                        held[at] = held[at] with { Deleted = true };
                    }

                    break;
                case Restore(var newCapacity):
                    // As a reload from storage does it: the posts held, oldest first, with the numbers of the deleted ones.
                    capacity = newCapacity;
                    window = NewWindow(capacity);
                    var first = appended - held.Count;
                    window.Restore(
                        held.Count == 0 ? [] : [Stored([.. held.Select(post => new Post(post.Text, Id: post.Id))])],
                        new WindowTotals(appended, 0),
                        [.. held.Select((post, index) => (post, index)).Where(pair => pair.post.Deleted).Select(pair => first + pair.index)]);
                    break;
            }

            if (held.Count > capacity)
            {
                held.RemoveRange(0, held.Count - capacity);
            }

            // Every candidate's score, listed or not, so that the check does not rest on a word passing the threshold.
            List<(string Text, bool Deleted)> posts = [.. held.Select(post => (post.Text, post.Deleted))];
            Assert.Equal(RisingRecount.Candidates(posts), window.ScoreCandidates());
            Assert.Equal(RisingRecount.Of(posts, WindowLimits.MaxRising), window.GetRising(WindowLimits.MaxRising));
        }
    }

    private static void DeletePost(WordWindow window, string id)
    {
        using var builder = new PostBatchBuilder(1);
        builder.AddDeletion(id);
        using var batch = builder.Build(null, 0);
        window.Append(batch);
    }

    private abstract record Operation;

    private sealed record Append(string Id, string Text) : Operation;

    private sealed record Delete(string Id) : Operation;

    private sealed record Restore(int Capacity) : Operation;
}
