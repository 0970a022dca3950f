using WordCloud.Grains.Windows;

namespace WordCloud.Tests.Windows;

public sealed class ChunkQueueTests
{
    [Fact]
    public void TheNewestChunkKeepsItsNumberAndAnotherChunkGetsTheNext()
    {
        var queue = new ChunkQueue();
        byte[] first = [1];
        byte[] second = [2];

        var numbers = new[] { queue.NumberOf(first), queue.NumberOf(first), queue.NumberOf(second), queue.NumberOf(second) };

        Assert.Equal([0, 0, 1, 1], numbers);
        Assert.Same(first, queue[0]);
        Assert.Same(second, queue[1]);
        Assert.Throws<InvalidOperationException>(() => queue[2]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(int.MaxValue - 5)]
    [InlineData(-3)]
    public void ChunksKeepTheirNumbersWhileOlderOnesAreDroppedAndTheRingGrows(int firstNumber)
    {
        // Arrange: 40 chunks (the ring starts with room for 4), the oldest dropped in steps.
        var queue = new ChunkQueue(firstNumber);
        var chunks = Enumerable.Range(0, 40).Select(index => new byte[] { (byte)index }).ToArray();
        var numbers = new List<int>();
        for (var index = 0; index < chunks.Length; index++)
        {
            numbers.Add(queue.NumberOf(chunks[index]));
            if (index % 3 == 2)
            {
                // Act
                queue.DropBefore(numbers[index - 1]);
            }
        }

        // Assert: numbers run on past int.MaxValue; what is held reads back by number, what was dropped is refused.
        Assert.Equal(Enumerable.Range(0, 40).Select(index => unchecked(firstNumber + index)), numbers);
        Assert.Equal(chunks[37..], [queue[numbers[37]], queue[numbers[38]], queue[numbers[39]]]);
        var refused = Assert.Throws<InvalidOperationException>(() => queue[numbers[36]]);
        Assert.Contains($"chunk {numbers[36]} is not held", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AfterClearingTheNextChunkGetsTheNumberAfterTheLast()
    {
        var queue = new ChunkQueue();
        byte[] chunk = [1];
        queue.NumberOf(chunk);
        queue.NumberOf([2]);

        queue.Clear();

        var clearedHolds = Record.Exception(() => queue[1]);
        Assert.Equal(2, queue.NumberOf(chunk));
        Assert.IsType<InvalidOperationException>(clearedHolds);
        Assert.Throws<InvalidOperationException>(() => queue[1]);
    }
}
