using WordCloud.Abstractions;

namespace WordCloud.ClusterTests;

/// <summary>Numbered batches: a retry of a batch the window already applied is dropped, even after reactivation.</summary>
[Collection(ClusterCollection.Name)]
public sealed class BatchTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ARetriedBatchIsAppliedOnceAndSaysSo()
    {
        // Arrange
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        var batch = new PostBatch("producer-a", 1, [new Post("alpha bravo"), new Post("charlie")]);

        // Act
        var first = await grain.AppendBatchAsync(batch);
        var retry = await grain.AppendBatchAsync(batch);
        var stats = await grain.GetStatsAsync();

        // Assert
        Assert.Equal(new AppendResult(2, [], 0), first with { Rejected = [] });
        Assert.True(retry.AlreadyApplied);
        Assert.Equal(0, retry.Accepted);
        Assert.Equal(2, stats.Count);
        Assert.Equal(2, stats.TotalAppended);
    }

    [Fact]
    public async Task AnOlderBatchNumberIsDroppedButOtherProducersAreIndependent()
    {
        // Arrange
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        await grain.AppendBatchAsync(new PostBatch("producer-a", 1, [new Post("one")]));
        await grain.AppendBatchAsync(new PostBatch("producer-a", 2, [new Post("two")]));

        // Act
        var stale = await grain.AppendBatchAsync(new PostBatch("producer-a", 1, [new Post("one again")]));
        var other = await grain.AppendBatchAsync(new PostBatch("producer-b", 1, [new Post("three")]));

        // Assert
        Assert.True(stale.AlreadyApplied);
        Assert.False(other.AlreadyApplied);
        Assert.Equal(["one", "two", "three"], (await grain.GetPostsAsync()).Select(post => post.Text));
    }

    [Fact]
    public async Task TheWindowRemembersAppliedBatchesAcrossDeactivation()
    {
        // Arrange
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        var batch = new PostBatch("producer-a", 7, [new Post("durable words")]);
        await grain.AppendBatchAsync(batch);

        // Act: the activation goes away (as when its silo dies) and the producer retries.
        await fixture.GrainFactory.GetGrain<IManagementGrain>(0).DeactivateGrain(grain.GetGrainId());
        var retry = await grain.AppendBatchAsync(batch);

        // Assert
        Assert.True(retry.AlreadyApplied);
        Assert.Equal(["durable words"], (await grain.GetPostsAsync()).Select(post => post.Text));
    }

    [Theory]
    [InlineData("", 1, "no producer id")]
    [InlineData("p", 0, "sequence number is 0; it must be 1 or more")]
    public async Task AMalformedBatchIsRefusedWithTheRule(string producerId, long sequence, string expected)
    {
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => grain.AppendBatchAsync(new PostBatch(producerId, sequence, [new Post("x y")])));

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await grain.GetStatsAsync()).Count);
    }

    [Fact]
    public async Task TheCloudViewHoldsOnlyTheNewestPosts()
    {
        // Arrange
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        await grain.AppendAsync([.. Enumerable.Range(1, 30).Select(index => new Post($"post{index} stout"))]);

        // Act
        var view = await grain.GetCloudAsync(top: 1, newestPosts: 3);

        // Assert
        Assert.Equal(["post28 stout", "post29 stout", "post30 stout"], view.NewestPosts.Select(post => post.Text));
        Assert.Equal([new WordCount("stout", 30)], view.Words);
        Assert.Equal(30, view.Stats.Count);
    }

    [Fact]
    public async Task AWindowWithPostsIsListedInTheTopicDirectory()
    {
        var topic = ClusterFixture.NewTopic();

        await fixture.GrainFactory.GetGrain<IWordWindowGrain>(topic).AppendAsync([new Post("listed words")]);
        var topics = await fixture.GrainFactory.GetGrain<ITopicDirectoryGrain>(ITopicDirectoryGrain.Key).GetTopicsAsync();

        Assert.Contains(topic, topics);
    }
}

/// <summary>Reading a window page by page, as the scanner and the API do for windows too big for one message.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PostPageTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ReadingInPagesGivesTheWholeWindowOldestFirst()
    {
        // Arrange: more posts than the window holds, so the first pages start past evicted posts.
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        await grain.AppendAsync([.. Enumerable.Range(1, 80).Select(index => new Post($"post{index}"))]);
        var stats = await grain.GetStatsAsync();

        // Act
        var posts = await grain.ReadPostsAsync(stats, pageSize: 7);

        // Assert
        Assert.NotNull(posts);
        Assert.Equal(Enumerable.Range(31, 50).Select(index => $"post{index}"), posts.Select(post => post.Text));
    }

    [Fact]
    public async Task ReadingPostsThatWereEvictedMeanwhileSaysSo()
    {
        // Arrange: stats taken, then more posts push the ones they describe out.
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        await grain.AppendAsync([.. Enumerable.Range(1, 50).Select(index => new Post($"old{index}"))]);
        var stats = await grain.GetStatsAsync();
        await grain.AppendAsync([.. Enumerable.Range(1, 10).Select(index => new Post($"new{index}"))]);

        // Act
        var posts = await grain.ReadPostsAsync(stats, pageSize: 7);
        var page = await grain.GetPostPageAsync(0, 5);

        // Assert
        Assert.Null(posts);
        Assert.Equal(10, page.First);
        Assert.Equal(["old11", "old12", "old13", "old14", "old15"], page.Posts.Select(post => post.Text));
    }

    [Theory]
    [InlineData(0L, 0)]
    [InlineData(0L, PostPage.MaxPosts + 1)]
    [InlineData(-1L, 5)]
    public async Task AnInvalidPageIsRefusedWithTheRange(long first, int maxPosts)
    {
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => grain.GetPostPageAsync(first, maxPosts));
    }
}

/// <summary>
/// Several batches in flight: a batch that overtakes its predecessor waits for it and is applied after it; one whose
/// predecessor does not come is sent back. Either way posts land in the producer's order.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class BatchOrderTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ABatchThatOvertakesItsPredecessorWaitsForItAndIsAppliedAfterIt()
    {
        // Arrange
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        await grain.AppendBatchAsync(new PostBatch("p", 1, [new Post("first")]));

        // Act: batches 4 and 3 are sent before 2 and wait; 2 arrives and releases them in order.
        var fourth = grain.AppendBatchAsync(new PostBatch("p", 4, [new Post("fourth")]));
        var third = grain.AppendBatchAsync(new PostBatch("p", 3, [new Post("third")]));
        var second = await grain.AppendBatchAsync(new PostBatch("p", 2, [new Post("second")]));

        // Assert
        Assert.Equal(1, second.Accepted);
        Assert.Equal(1, (await third).Accepted);
        Assert.Equal(1, (await fourth).Accepted);
        Assert.Equal(["first", "second", "third", "fourth"], (await grain.GetPostsAsync()).Select(post => post.Text));
    }

    [Fact]
    public async Task ABatchWhosePredecessorDoesNotComeIsSentBackAndOrderHolds()
    {
        // Arrange
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        await grain.AppendBatchAsync(new PostBatch("p", 1, [new Post("first")]));

        // Act: batch 3 comes alone and waits in vain; then 2, then 3 again.
        var early = await grain.AppendBatchAsync(new PostBatch("p", 3, [new Post("third")]));
        var second = await grain.AppendBatchAsync(new PostBatch("p", 2, [new Post("second")]));
        var third = await grain.AppendBatchAsync(new PostBatch("p", 3, [new Post("third")]));

        // Assert
        Assert.True(early.OutOfOrder);
        Assert.Equal(0, early.Accepted);
        Assert.Equal(1, second.Accepted);
        Assert.Equal(1, third.Accepted);
        Assert.Equal(["first", "second", "third"], (await grain.GetPostsAsync()).Select(post => post.Text));
    }
}
