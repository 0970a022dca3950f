using WordCloud.Grains.Windows;

namespace WordCloud.Tests.Windows;

public sealed class CoalescingWriterTests
{
    [Fact]
    public async Task ChangesMadeWhileAWriteRunsShareTheNextWriteAndEachWaitsForACoveringWrite()
    {
        // Arrange: writes that finish only when the test says so.
        var writes = new List<TaskCompletionSource>();
        var writer = new CoalescingWriter(() =>
        {
            var write = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            writes.Add(write);
            return write.Task;
        });

        // Act: one change starts a write; three more arrive while it runs.
        var first = writer.SaveAsync();
        var later = new[] { writer.SaveAsync(), writer.SaveAsync(), writer.SaveAsync() };
        writes[0].SetResult();
        await first;

        // Assert: the first write did not cover the later changes; one more write covers all three.
        Assert.All(later, change => Assert.False(change.IsCompleted));
        await WaitUntilAsync(() => writes.Count == 2);
        writes[1].SetResult();
        await Task.WhenAll(later);
        Assert.Equal(2, writes.Count);
        Assert.Null(writer.Failure);
    }

    [Fact]
    public async Task AFailedWriteFailsEveryChangeWaitingForIt()
    {
        var writer = new CoalescingWriter(() => Task.FromException(new IOException("storage is down")));

        var failures = await Task.WhenAll(
            Assert.ThrowsAsync<IOException>(writer.SaveAsync),
            Assert.ThrowsAsync<IOException>(writer.SaveAsync));

        Assert.All(failures, failure => Assert.Equal("storage is down", failure.Message));
        Assert.Same(failures[0], writer.Failure);
    }

    [Fact]
    public async Task WaitingWithNothingUnsavedCompletesAtOnceAndWritesNothing()
    {
        var writes = 0;
        var writer = new CoalescingWriter(() =>
        {
            writes++;
            return Task.CompletedTask;
        });
        await writer.SaveAsync();

        var saved = writer.WhenSavedAsync();

        Assert.True(saved.IsCompletedSuccessfully);
        Assert.Equal(1, writes);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Yield();
        }
    }
}

public sealed class CoalescingWriterFailureTests
{
    [Fact]
    public async Task AfterAFailedWriteNothingIsReportedSavedAgain()
    {
        var fail = true;
        var writes = 0;
        var writer = new CoalescingWriter(() =>
        {
            writes++;
            return fail ? Task.FromException(new IOException("down")) : Task.CompletedTask;
        });
        await Assert.ThrowsAsync<IOException>(writer.SaveAsync);
        fail = false;

        // A retry asking whether its earlier change is saved, and a new change: both must hear it failed, and nothing
        // more is written.
        await Assert.ThrowsAsync<IOException>(writer.WhenSavedAsync);
        await Assert.ThrowsAsync<IOException>(writer.SaveAsync);
        Assert.Equal(1, writes);
        Assert.Equal("down", writer.Failure?.Message);
    }
}
