using WordCloud.Grains.Windows;

namespace WordCloud.Tests.Windows;

public sealed class WaitingBatchesTests
{
    [Fact]
    public async Task ABatchIsReleasedWhenItsPredecessorIsAppliedAndNotBefore()
    {
        var waiting = new WaitingBatches();
        var wait = waiting.WaitForPredecessor("p", 5)!;

        waiting.Applied("p", 3);
        waiting.Applied("q", 4);
        var early = wait.IsCompleted;
        waiting.Applied("p", 4);

        Assert.False(early);
        await wait.WaitAsync(TimeSpan.FromSeconds(5));
        // Released and forgotten: a later attempt of the same batch waits afresh.
        Assert.False(waiting.WaitForPredecessor("p", 5)!.IsCompleted);
    }

    [Fact]
    public void ARetryOfAWaitingBatchSharesItsWait()
    {
        var waiting = new WaitingBatches();

        var first = waiting.WaitForPredecessor("p", 2);
        var retry = waiting.WaitForPredecessor("p", 2);

        Assert.Same(first, retry);
        // The retry took no place of its own: as many other batches as the limit leaves for one can still wait.
        Assert.All(Enumerable.Range(0, WaitingBatches.MaxWaiting - 1), index => Assert.NotNull(waiting.WaitForPredecessor("q", 10 + (2 * index))));
    }

    [Fact]
    public async Task WhenOneOfTwoAttemptsSharingAWaitGivesUpTheOtherIsStillReleased()
    {
        var waiting = new WaitingBatches();
        var first = waiting.WaitForPredecessor("p", 2)!;
        var retry = waiting.WaitForPredecessor("p", 2)!;

        waiting.GiveUp("p", 2, first);
        waiting.Applied("p", 1);

        await retry.WaitAsync(TimeSpan.FromSeconds(5));
        // Released and forgotten: a later attempt of the same batch waits afresh.
        Assert.False(waiting.WaitForPredecessor("p", 2)!.IsCompleted);
    }

    [Fact]
    public void AGivenUpWaitIsForgottenSoALaterAttemptWaitsAfresh()
    {
        var waiting = new WaitingBatches();
        var first = waiting.WaitForPredecessor("p", 2)!;

        waiting.GiveUp("p", 2, first);
        var later = waiting.WaitForPredecessor("p", 2);

        Assert.NotSame(first, later);
        Assert.False(first.IsCompleted);
    }

    [Fact]
    public void PastTheLimitBatchesDoNotWait()
    {
        var waiting = new WaitingBatches();
        for (var sequence = 0; sequence < WaitingBatches.MaxWaiting; sequence++)
        {
            Assert.NotNull(waiting.WaitForPredecessor("p", 10 + (2 * sequence)));
        }

        Assert.Null(waiting.WaitForPredecessor("q", 7));
    }
}
