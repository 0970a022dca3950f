using WordCloud.Abstractions;
using WordCloud.Grains.Windows;

namespace WordCloud.Tests.Windows;

public sealed class WordCountsTests
{
    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 40)]
    [InlineData(3, 400)]
    [InlineData(4, 3000)]
    public void CountsAndTopWordsMatchARecountThroughAddsAndRemovals(int seed, int vocabulary)
    {
        // Arrange: a random walk of adds and removals, so counts rise and fall, buckets appear and empty, ids are
        // forgotten and reused, and many words tie (a small vocabulary gives high counts, a large one long ties at 1-3).
        var random = new Random(seed);
        var counts = new WordCounts();
        var held = new List<(int Id, string Word)>();
        var expected = new Dictionary<string, int>(StringComparer.Ordinal);

        for (var step = 0; step < 20_000; step++)
        {
            // Act
            if (held.Count > 0 && random.Next(100) < 45)
            {
                var index = random.Next(held.Count);
                var (id, word) = held[index];
                held[index] = held[^1];
                held.RemoveAt(held.Count - 1);
                counts.Remove(id);
                if (--expected[word] == 0)
                {
                    expected.Remove(word);
                }
            }
            else
            {
                var word = $"w{random.Next(vocabulary)}";
                var id = counts.Add(word, out var kept);
                Assert.Equal(word, kept);
                held.Add((id, word));
                expected[word] = expected.GetValueOrDefault(word) + 1;
            }

            // Assert, every so often: the whole table against the recount.
            if (step % 997 == 0 || step == 19_999)
            {
                var recount = expected
                    .Select(pair => new WordCount(pair.Key, pair.Value))
                    .OrderByDescending(word => word.Count)
                    .ThenBy(word => word.Word, StringComparer.Ordinal)
                    .ToArray();
                Assert.Equal(recount.Length, counts.Distinct);
                foreach (var top in new[] { 0, 1, 2, 7, 50, 1000, vocabulary + 1 })
                {
                    Assert.Equal(recount.Take(top), counts.Top(top));
                }
            }
        }
    }

    [Fact]
    public void AWordTakenDownToZeroIsForgottenAndCountsFromOneWhenItComesBack()
    {
        // Arrange
        var counts = new WordCounts();
        var stout = counts.Add("stout", out _);
        counts.Add("porter", out _);

        // Act
        counts.Remove(stout);
        var forgotten = counts.Top(5);
        var distinctThen = counts.Distinct;
        counts.Add("stout", out _);

        // Assert
        Assert.Equal([new WordCount("porter", 1)], forgotten);
        Assert.Equal(1, distinctThen);
        Assert.Equal(2, counts.Distinct);
        Assert.Equal([new WordCount("porter", 1), new WordCount("stout", 1)], counts.Top(5));
    }

    [Fact]
    public void AKnownWordComesBackAsTheStringAlreadyHeld()
    {
        var counts = new WordCounts();
        counts.Add("lager", out var first);

        counts.Add("lager".AsSpan(), out var second);

        Assert.Same(first, second);
    }

    [Fact]
    public void TiesAtTheCutAreBrokenByOrdinalOrderAmongManyEqualWords()
    {
        // Arrange: one word counted 3 times, 500 counted once; the cut falls inside the bucket of ones.
        var counts = new WordCounts();
        for (var index = 0; index < 3; index++)
        {
            counts.Add("zz", out _);
        }

        var ones = Enumerable.Range(0, 500).Select(index => $"w{index:D3}").Reverse().ToArray();
        foreach (var word in ones)
        {
            counts.Add(word, out _);
        }

        // Act
        var top = counts.Top(4);

        // Assert
        Assert.Equal([new WordCount("zz", 3), new WordCount("w000", 1), new WordCount("w001", 1), new WordCount("w002", 1)], top);
    }
}
