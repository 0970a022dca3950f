using System.Collections.Concurrent;
using Orleans.Storage;
using WordCloud.Abstractions;
using WordCloud.Grains.Storage;

namespace WordCloud.ClusterTests;

/// <summary>
/// A window whose storage fails on demand: a batch whose save failed is not acknowledged, no read shows its posts, its
/// retry is applied once, and what the window held before the failure is all still there.
/// </summary>
[Collection(FailingStorageCollection.Name)]
public sealed class FailingStorageTests(FailingStorageFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(40)]
    public async Task ABatchWhoseHeadWriteFailedIsRefusedAndItsRetryLandsOnce(int batchSize)
    {
        // Arrange: one batch stored; the next one's head write will fail (with 16-post segments, batches of 10 and 40
        // cross into new segments, batches of 40 evict the first batch).
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        Post[] Posts(int batch) => [.. Enumerable.Range(1, batchSize).Select(index => new Post($"b{batch}p{index} stout"))];
        string[] Texts(int batch) => [.. Posts(batch).Select(post => post.Text)];
        await grain.AppendAsync(PostBatch.Encode(Posts(1), "p", 1));
        FailingGrainStorage.FailNextHeadWrites(1);

        // Act
        var failed = await Assert.ThrowsAsync<OrleansException>(() => grain.AppendAsync(PostBatch.Encode(Posts(2), "p", 2)));
        var afterFailure = await grain.ReadAllPostsAsync();
        var retry = await grain.AppendAsync(PostBatch.Encode(Posts(2), "p", 2));
        var again = await grain.AppendAsync(PostBatch.Encode(Posts(2), "p", 2));
        await fixture.GrainFactory.GetGrain<IManagementGrain>(0).DeactivateGrain(grain.GetGrainId());
        var posts = (await grain.ReadAllPostsAsync()).Select(post => post.Text).ToArray();
        var stats = await grain.GetStatsAsync();

        // Assert
        Assert.Contains("injected head write failure", failed.ToString(), StringComparison.Ordinal);
        Assert.Equal(Texts(1), afterFailure.Select(post => post.Text));
        Assert.Equal(batchSize, retry.Accepted);
        Assert.Equal(2 * batchSize, retry.TotalAppended);
        Assert.True(again.AlreadyApplied);
        Assert.Equal(Texts(1).Concat(Texts(2)).TakeLast(ClusterFixture.Capacity), posts);
        Assert.Equal(2 * batchSize, stats.TotalAppended);
        Assert.Equal(posts.Length, stats.Count);
        Assert.Equal(2 * batchSize - posts.Length, stats.TotalEvicted);
    }

    [Fact]
    public async Task HeadWritesFailingAmidVariedBatchesLoseNothingAcknowledgedAndDuplicateNothing()
    {
        // Arrange: batches of varied sizes; every third one's first head write fails, and the producer sends it again.
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        int[] sizes = [1, 3, 7, 16, 40, 2, 5];
        var acknowledged = new List<string>();
        var failures = 0;

        // Act
        for (var sequence = 1; sequence <= 4 * sizes.Length; sequence++)
        {
            Post[] batch = [.. Enumerable.Range(0, sizes[sequence % sizes.Length]).Select(index => new Post($"s{sequence}p{index} stout"))];
            if (sequence % 3 == 0)
            {
                FailingGrainStorage.FailNextHeadWrites(1);
                await Assert.ThrowsAsync<OrleansException>(() => grain.AppendAsync(PostBatch.Encode(batch, "p", sequence)));
                failures++;

                // The failed save's posts are in no read, not even of a window that already holds later posts.
                var visible = await grain.ReadAllPostsAsync();
                Assert.Equal(acknowledged.TakeLast(ClusterFixture.Capacity), visible.Select(post => post.Text));
            }

            var result = await grain.AppendAsync(PostBatch.Encode(batch, "p", sequence));
            Assert.Equal(batch.Length, result.Accepted);
            acknowledged.AddRange(batch.Select(post => post.Text));
        }

        await fixture.GrainFactory.GetGrain<IManagementGrain>(0).DeactivateGrain(grain.GetGrainId());
        var posts = (await grain.ReadAllPostsAsync()).Select(post => post.Text).ToArray();
        var stats = await grain.GetStatsAsync();
        var stored = await StoredWindow.ReadAsync(fixture.Cluster, grain.GetGrainId());

        // Assert
        Assert.Equal(9, failures);
        Assert.Equal(acknowledged.TakeLast(ClusterFixture.Capacity), posts);
        Assert.Equal(acknowledged.Count, stats.TotalAppended);
        Assert.Equal(acknowledged.Count - posts.Length, stats.TotalEvicted);
        stored.AssertFewConsecutiveKeys(ClusterFixture.SegmentSize, ClusterFixture.Capacity, ClusterFixture.InlinePosts);
    }

    [Fact]
    public async Task ReadsDuringAHeadWriteWaitForItAndFailWithItSoNoneShowsThePostsItLost()
    {
        // Arrange: one batch stored; the next head write of this window is held until the test lets it go.
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        Post[] kept = [new Post("kept alpha"), new Post("kept bravo")];
        Post[] lost = [new Post("lost charlie"), new Post("lost delta"), new Post("lost echo")];
        await grain.AppendAsync(PostBatch.Encode(kept, "p", 1));
        var held = FailingGrainStorage.HoldNextHeadWrite(grain.GetGrainId());

        // Act: the append reaches its head write, so the window in memory holds the new posts; then three reads.
        var append = grain.AppendAsync(PostBatch.Encode(lost, "p", 2));
        await held.Reached.WaitAsync(Deadline);
        var cloud = grain.GetCloudAsync(WindowLimits.MaxTop, WindowLimits.MaxNewestPosts);
        var stats = grain.GetStatsAsync();
        var page = grain.GetPostPageAsync(0, 100, 0);
        Task[] reads = [cloud, stats, page];

        // Not a sleep to let something happen, but a bound on how long the reads get to show they do not wait: one
        // that answered without waiting for the write would be back within one round trip (milliseconds here), so
        // none completing in 500 ms shows they wait. A slow machine could only make this pass wrongly, never fail
        // wrongly, and the assertions after the write fails catch a read that returned the lost posts however late.
        await Task.WhenAny(Task.WhenAny(reads), Task.Delay(TimeSpan.FromMilliseconds(500)));
        var completedWhileHeld = reads.Where(read => read.IsCompleted).ToArray();
        held.Fail(new IOException("injected held head write failure"));

        // Assert: no read completed before the write; the append and every read fail with it, none returns the lost posts.
        Assert.True(completedWhileHeld.Length == 0, $"reads completed while the head write was held: {Describe(reads)}");
        var appendFailure = await Assert.ThrowsAsync<OrleansException>(() => append.WaitAsync(Deadline));
        Assert.Contains("injected held head write failure", appendFailure.ToString(), StringComparison.Ordinal);
        await Assert.ThrowsAsync<OrleansException>(() => cloud.WaitAsync(Deadline));
        await Assert.ThrowsAsync<OrleansException>(() => stats.WaitAsync(Deadline));
        await Assert.ThrowsAsync<OrleansException>(() => page.WaitAsync(Deadline));

        // Assert: the window activated again holds what storage held, without the lost batch.
        var (_, posts) = await WholeWindow.ReadAsync(grain, WindowLimits.MaxTop).WaitAsync(Deadline);
        var fresh = await grain.GetCloudAsync(WindowLimits.MaxTop, WindowLimits.MaxNewestPosts).WaitAsync(Deadline);
        Assert.Equal(kept, posts);
        Assert.Equal(kept, fresh.NewestPosts);
        Assert.Equal(new WindowStats(ClusterFixture.Capacity, 2, 2, 0, 3), fresh.Stats);
        Assert.Equal([new WordCount("kept", 2), new WordCount("alpha", 1), new WordCount("bravo", 1)], fresh.Words);
    }

    [Fact]
    public async Task ReadsDuringAHeadWriteThatSucceedsAnswerWithItsPostsOnceItIsDone()
    {
        // Arrange
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        Post[] first = [new Post("first alpha")];
        Post[] second = [new Post("second bravo"), new Post("second charlie")];
        await grain.AppendAsync(PostBatch.Encode(first, "p", 1));
        var held = FailingGrainStorage.HoldNextHeadWrite(grain.GetGrainId());

        // Act: reads made while the write is held, then the write is let go.
        var append = grain.AppendAsync(PostBatch.Encode(second, "p", 2));
        await held.Reached.WaitAsync(Deadline);
        var cloud = grain.GetCloudAsync(WindowLimits.MaxTop, WindowLimits.MaxNewestPosts);
        var stats = grain.GetStatsAsync();
        var page = grain.GetPostPageAsync(0, 100, 0);
        held.Release();

        // Assert: once stored, the batch is acknowledged and every read shows it.
        Assert.Equal(3, (await append.WaitAsync(Deadline)).TotalAppended);
        Assert.Equal([.. first, .. second], (await cloud.WaitAsync(Deadline)).NewestPosts);
        Assert.Equal(new WindowStats(ClusterFixture.Capacity, 3, 3, 0, 5), await stats.WaitAsync(Deadline));
        Assert.Equal([.. first, .. second], (await page.WaitAsync(Deadline)).Posts);
    }

    private static string Describe(Task[] reads) => string.Join(", ", reads.Select(read => read.Status));
}

/// <summary>
/// Memory storage behind switches: one makes the next N writes of a window's head fail, the other holds the next head
/// write of one window until the test releases it or makes it fail.
/// </summary>
public sealed class FailingGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private static readonly ConcurrentDictionary<GrainId, HeldWrite> Held = new();
    private static int _headWritesToFail;

    public static void FailNextHeadWrites(int count) => Interlocked.Exchange(ref _headWritesToFail, count);

    /// <summary>Holds the next head write of <paramref name="grainId"/> until the returned write is released or failed.</summary>
    public static HeldWrite HoldNextHeadWrite(GrainId grainId)
    {
        var held = new HeldWrite();
        Held[grainId] = held;
        return held;
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (stateName != GrainStorageWindowStore.HeadName)
        {
            return inner.WriteStateAsync(stateName, grainId, grainState);
        }

        if (Held.TryRemove(grainId, out var held))
        {
            return held.WriteAsync(() => inner.WriteStateAsync(stateName, grainId, grainState));
        }

        return Interlocked.Decrement(ref _headWritesToFail) >= 0
            ? Task.FromException(new IOException("injected head write failure"))
            : inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);

    /// <summary>A head write that waits for the test: <see cref="Reached"/> once it has begun, then done or failed on the test's word.</summary>
    public sealed class HeldWrite
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<Exception?> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the window has begun the write.</summary>
        public Task Reached => _reached.Task;

        /// <summary>Lets the write go to storage.</summary>
        public void Release() => _outcome.TrySetResult(null);

        /// <summary>Fails the write with <paramref name="failure"/>; storage is left as it was.</summary>
        public void Fail(Exception failure) => _outcome.TrySetResult(failure);

        internal async Task WriteAsync(Func<Task> write)
        {
            _reached.TrySetResult();
            if (await _outcome.Task is { } failure)
            {
                throw failure;
            }

            await write();
        }
    }
}

/// <summary>One silo whose window storage fails on demand (<see cref="FailingGrainStorage"/>).</summary>
public sealed class FailingStorageFixture() : WrappedStorageFixture<FailingGrainStorage>(ClusterFixture.WindowSettings);

[CollectionDefinition(Name)]
public sealed class FailingStorageCollection : ICollectionFixture<FailingStorageFixture>
{
    public const string Name = "Failing storage";
}
