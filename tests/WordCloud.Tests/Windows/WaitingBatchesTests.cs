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
        Assert.Equal(0, waiting.Count);
    }

    [Fact]
    public void ARetryOfAWaitingBatchSharesItsWait()
    {
        var waiting = new WaitingBatches();

        var first = waiting.WaitForPredecessor("p", 2);
        var retry = waiting.WaitForPredecessor("p", 2);

        Assert.Same(first, retry);
        Assert.Equal(1, waiting.Count);
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
        Assert.Equal(0, waiting.Count);
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
