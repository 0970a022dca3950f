using WordCloud.Grains.Windows;

namespace WordCloud.Tests.Windows;

public sealed class WordIdQueueTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void IdsComeOutInTheOrderTheyWentInAcrossGrowthAndWrapAround(int seed)
    {
        // Arrange: ids of every encoded size, queued and taken in uneven runs so the ring wraps and grows many times.
        var random = new Random(seed);
        var queue = new WordIdQueue();
        var expected = new Queue<int>();
        int[] limits = [128, 16_384, 2_097_152, 268_435_456, int.MaxValue];

        for (var step = 0; step < 20_000; step++)
        {
            // Act
            if (expected.Count > 0 && random.Next(100) < 48)
            {
                Assert.Equal(expected.Dequeue(), queue.Dequeue());
            }
            else
            {
                var id = random.Next(limits[random.Next(limits.Length)]);
                queue.Enqueue(id);
                expected.Enqueue(id);
            }
        }

        // Assert
        while (expected.Count > 0)
        {
            Assert.Equal(expected.Dequeue(), queue.Dequeue());
        }

        Assert.Equal(0, queue.Length);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(127, 1)]
    [InlineData(128, 2)]
    [InlineData(16_383, 2)]
    [InlineData(16_384, 3)]
    [InlineData(int.MaxValue, 5)]
    public void AnIdTakesOneByteForEverySevenBitsItNeeds(int id, int bytes)
    {
        var queue = new WordIdQueue();

        queue.Enqueue(id);

        Assert.Equal(bytes, queue.Length);
        Assert.Equal(id, queue.Dequeue());
    }

    [Fact]
    public void ManySmallIdsTakeAQuarterOfTheBytesOfInts()
    {
        var queue = new WordIdQueue();

        for (var index = 0; index < 100_000; index++)
        {
            queue.Enqueue(index % 100);
        }

        Assert.Equal(100_000, queue.Length);
        Assert.Equal(131_072, queue.Reserved);
    }

    [Fact]
    public void ANegativeIdIsRefusedNamingTheValue()
    {
        var queue = new WordIdQueue();

        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => queue.Enqueue(-3));

        Assert.Equal(-3, refused.ActualValue);
        Assert.Equal(0, queue.Length);
    }

    [Fact]
    public void TakingFromAnEmptyQueueIsRefused()
    {
        var queue = new WordIdQueue();
        queue.Enqueue(5);
        queue.Dequeue();

        var refused = Assert.Throws<InvalidOperationException>(() => queue.Dequeue());

        Assert.Contains("empty", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void AReaderKeepsItsPlaceWhileIdsAreQueuedAndTakenAroundItAndTheRingGrows(int seed)
    {
        // Arrange: a reader that follows the queue some ids behind its end, as a window's boundary does.
        var random = new Random(seed);
        var queue = new WordIdQueue();
        var queued = new List<int>();
        var taken = 0;
        var read = 0;
        var position = queue.Start;

        for (var step = 0; step < 20_000; step++)
        {
            // Act: queue, take from the front (never past the reader), or read one more.
            var choice = random.Next(3);
            if (choice == 0 || read == queued.Count)
            {
                var id = random.Next(random.Next(2) == 0 ? 128 : int.MaxValue);
                queue.Enqueue(id);
                queued.Add(id);
            }
            else if (choice == 1 && taken < read)
            {
                Assert.Equal(queued[taken++], queue.Dequeue());
            }
            else
            {
                // Assert: the reader sees the ids in order, whatever happened to the ring meanwhile.
                Assert.Equal(queued[read++], queue.Read(ref position));
            }
        }

        Assert.Equal(queue.End - queue.Start, queue.Length);
    }

    [Fact]
    public void ReadingWhereNoIdIsQueuedIsRefusedNamingThePosition()
    {
        var queue = new WordIdQueue();
        queue.Enqueue(1);
        queue.Dequeue();
        var before = 0L;
        var after = 1L;

        Assert.Throws<ArgumentOutOfRangeException>(() => queue.Read(ref before));
        var failure = Assert.Throws<ArgumentOutOfRangeException>(() => queue.Read(ref after));
        Assert.Contains("no queued id starts at 1", failure.Message, StringComparison.Ordinal);
    }
}
