using Orleans.Storage;
using WordCloud.Abstractions;

namespace WordCloud.ClusterTests;

/// <summary>
/// A window whose storage fails on demand: a batch whose save failed is not acknowledged, its retry is applied once,
/// and what the window held before the failure is all still there.
/// </summary>
[Collection(FailingStorageCollection.Name)]
public sealed class FailingStorageTests(FailingStorageFixture fixture)
{
    [Theory]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(40)]
    public async Task ABatchWhoseHeadWriteFailedIsRefusedAndItsRetryLandsOnce(int batchSize)
    {
        // Arrange: one batch stored; the next one's head write will fail (with 16-post segments, batches of 10 and 40
        // cross into new segments, batches of 40 evict the first batch).
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        string[] Texts(int batch) => [.. Enumerable.Range(1, batchSize).Select(index => $"b{batch}p{index} stout")];
        await grain.AppendBatchAsync(new PostBatch("p", 1, [.. Texts(1).Select(text => new Post(text))]));
        FailingGrainStorage.FailNextHeadWrites(1);

        // Act
        // Orleans reports a storage failure as an OrleansException around the provider's own.
        var failed = await Assert.ThrowsAsync<OrleansException>(() => grain.AppendBatchAsync(new PostBatch("p", 2, [.. Texts(2).Select(text => new Post(text))])));
        var retry = await grain.AppendBatchAsync(new PostBatch("p", 2, [.. Texts(2).Select(text => new Post(text))]));
        var again = await grain.AppendBatchAsync(new PostBatch("p", 2, [.. Texts(2).Select(text => new Post(text))]));
        await fixture.GrainFactory.GetGrain<IManagementGrain>(0).DeactivateGrain(grain.GetGrainId());
        var posts = (await grain.GetPostsAsync()).Select(post => post.Text).ToArray();
        var stats = await grain.GetStatsAsync();

        // Assert
        Assert.Contains("injected head write failure", failed.ToString(), StringComparison.Ordinal);
        Assert.Equal(batchSize, retry.Accepted);
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
            var texts = Enumerable.Range(0, sizes[sequence % sizes.Length]).Select(index => $"s{sequence}p{index} stout").ToArray();
            if (sequence % 3 == 0)
            {
                FailingGrainStorage.FailNextHeadWrites(1);
                await Assert.ThrowsAsync<OrleansException>(() => grain.AppendBatchAsync(new PostBatch("p", sequence, [.. texts.Select(text => new Post(text))])));
                failures++;
            }

            var result = await grain.AppendBatchAsync(new PostBatch("p", sequence, [.. texts.Select(text => new Post(text))]));
            Assert.Equal(texts.Length, result.Accepted);
            acknowledged.AddRange(texts);
        }

        await fixture.GrainFactory.GetGrain<IManagementGrain>(0).DeactivateGrain(grain.GetGrainId());
        var posts = (await grain.GetPostsAsync()).Select(post => post.Text).ToArray();
        var stats = await grain.GetStatsAsync();
        var stored = await StoredWindow.ReadAsync(fixture.Cluster, grain.GetGrainId());

        // Assert
        Assert.Equal(9, failures);
        Assert.Equal(acknowledged.TakeLast(ClusterFixture.Capacity), posts);
        Assert.Equal(acknowledged.Count, stats.TotalAppended);
        Assert.Equal(acknowledged.Count - posts.Length, stats.TotalEvicted);
        stored.AssertFewConsecutiveKeys(ClusterFixture.SegmentSize, ClusterFixture.Capacity, ClusterFixture.InlinePosts);
    }
}

/// <summary>Memory storage behind a switch that makes the next N writes of a window's head fail.</summary>
public sealed class FailingGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private static int _headWritesToFail;

    public static void FailNextHeadWrites(int count) => Interlocked.Exchange(ref _headWritesToFail, count);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        stateName == "head" && Interlocked.Decrement(ref _headWritesToFail) >= 0
            ? Task.FromException(new IOException("injected head write failure"))
            : inner.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
}

/// <summary>One silo whose window storage fails on demand (<see cref="FailingGrainStorage"/>).</summary>
public sealed class FailingStorageFixture() : WrappedStorageFixture<FailingGrainStorage>(ClusterFixture.WindowSettings);

[CollectionDefinition(Name)]
public sealed class FailingStorageCollection : ICollectionFixture<FailingStorageFixture>
{
    public const string Name = "Failing storage";
}
