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
        Post[] posts = [new Post("alpha bravo"), new Post("charlie")];

        // Act
        var first = await grain.AppendAsync(PostBatch.Encode(posts, "producer-a", 1));
        var retry = await grain.AppendAsync(PostBatch.Encode(posts, "producer-a", 1));
        var stats = await grain.GetStatsAsync();

        // Assert
        Assert.Equal(new AppendResult(2, [], 0, TotalAppended: 2), first with { Rejected = [] });
        Assert.True(retry.AlreadyApplied);
        Assert.Equal(0, retry.Accepted);
        Assert.Equal(2, retry.TotalAppended);
        Assert.Equal(2, stats.Count);
        Assert.Equal(2, stats.TotalAppended);
    }

    [Fact]
    public async Task AnOlderBatchNumberIsDroppedButOtherProducersAreIndependent()
    {
        // Arrange
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        await grain.AppendAsync(PostBatch.Encode([new Post("one")], "producer-a", 1));
        await grain.AppendAsync(PostBatch.Encode([new Post("two")], "producer-a", 2));

        // Act
        var stale = await grain.AppendAsync(PostBatch.Encode([new Post("one again")], "producer-a", 1));
        var other = await grain.AppendAsync(PostBatch.Encode([new Post("three")], "producer-b", 1));

        // Assert
        Assert.True(stale.AlreadyApplied);
        Assert.False(other.AlreadyApplied);
        Assert.Equal(["one", "two", "three"], (await grain.ReadAllPostsAsync()).Select(post => post.Text));
    }

    [Fact]
    public async Task TheWindowRemembersAppliedBatchesAcrossDeactivation()
    {
        // Arrange
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        Post[] posts = [new Post("durable words")];
        await grain.AppendAsync(PostBatch.Encode(posts, "producer-a", 1));

        // Act: the activation goes away (as when its silo dies) and the producer retries.
        await fixture.GrainFactory.GetGrain<IManagementGrain>(0).DeactivateGrain(grain.GetGrainId());
        var retry = await grain.AppendAsync(PostBatch.Encode(posts, "producer-a", 1));

        // Assert
        Assert.True(retry.AlreadyApplied);
        Assert.Equal(["durable words"], (await grain.ReadAllPostsAsync()).Select(post => post.Text));
    }

    [Fact]
    public async Task TheCloudViewHoldsOnlyTheNewestPosts()
    {
        // Arrange
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        await grain.AppendAsync(PostBatch.Encode([.. Enumerable.Range(1, 30).Select(index => new Post($"post{index} stout"))]));

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

        var directory = fixture.GrainFactory.GetGrain<ITopicDirectoryGrain>(ITopicDirectoryGrain.Key);
        var before = await directory.ContainsAsync(topic);

        await fixture.GrainFactory.GetGrain<IWordWindowGrain>(topic).AppendAsync(PostBatch.Encode([new Post("listed words")]));

        Assert.False(before);
        Assert.True(await directory.ContainsAsync(topic));
        var listing = await WaitForListingAsync(directory, topic);
        Assert.Equal(new TopicListing(topic, 1, ClusterFixture.Capacity, 1), listing);
    }

    /// <summary>The window reports what it holds a couple of seconds after a change.</summary>
    private static async Task<TopicListing> WaitForListingAsync(ITopicDirectoryGrain directory, string topic)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var page = await directory.GetPageAsync(0, TopicPage.MaxTake);
            if (page.Topics.FirstOrDefault(listing => listing.Topic == topic) is { Count: > 0 } listing)
            {
                return listing;
            }

            Assert.True(DateTime.UtcNow < until, $"the window of {topic} did not report within 20 s");
            await Task.Delay(100);
        }
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
        await grain.AppendAsync(PostBatch.Encode([.. Enumerable.Range(1, 80).Select(index => new Post($"post{index}"))]));

        // Act
        var whole = await grain.ReadWholeWindowAsync(top: 1, pageSize: 7);

        // Assert
        var (stats, words, posts, _) = Assert.NotNull(whole);
        Assert.Equal(Enumerable.Range(31, 50).Select(index => $"post{index}"), posts.Select(post => post.Text));
        Assert.Equal(new WindowStats(ClusterFixture.Capacity, ClusterFixture.Capacity, 80, 30, 50), stats);
        Assert.Single(words);
    }

    [Fact]
    public async Task ReadingPostsThatWereEvictedMeanwhileSaysSo()
    {
        // Arrange: a full window that takes ten more posts after every first page it gives, pushing out posts that
        // page's instant holds before the reader reaches them.
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        await grain.AppendAsync(PostBatch.Encode([.. Enumerable.Range(1, 50).Select(index => new Post($"old{index}"))]));
        var busy = new BusyWindow(grain, busyReads: int.MaxValue);

        // Act
        var whole = await busy.ReadWholeWindowAsync(top: 1, pageSize: 7);
        var page = await grain.GetPostPageAsync(0, 5, 0);

        // Assert: every attempt found its second page's posts gone, and a page asked from post 0 says where it really starts.
        Assert.Null(whole);
        Assert.Equal(WordWindowGrainExtensions.WholeWindowAttempts, busy.WholeReadsStarted);
        Assert.Equal(30, page.First);
        Assert.Equal(["old31", "old32", "old33", "old34", "old35"], page.Posts.Select(post => post.Text));
    }

    [Fact]
    public async Task AWholeWindowReadThatFellBehindStartsAgainFromAFreshFirstPage()
    {
        // Arrange: posts arrive once, right after the first page of the first attempt is read.
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        await grain.AppendAsync(PostBatch.Encode([.. Enumerable.Range(1, 50).Select(index => new Post($"old{index}"))]));
        var busy = new BusyWindow(grain, busyReads: 1);

        // Act
        var whole = await busy.ReadWholeWindowAsync(top: 1, pageSize: 7);

        // Assert
        var (stats, _, posts, _) = Assert.NotNull(whole);
        Assert.Equal(2, busy.WholeReadsStarted);
        Assert.Equal(60, stats.TotalAppended);
        Assert.Equal(Enumerable.Range(11, 40).Select(index => $"old{index}").Concat(Enumerable.Range(1, 10).Select(index => $"new{index}")), posts.Select(post => post.Text));
    }

    [Theory]
    [InlineData(0L, 0, 0, "invalid page size 0: it must be between 1 and 50000")]
    [InlineData(0L, PostPage.MaxPosts + 1, 0, "invalid page size 50001: it must be between 1 and 50000")]
    [InlineData(-1L, 5, 0, "invalid post number -1: posts are numbered from 0")]
    [InlineData(0L, 5, -1, "invalid top-words count -1: it must be between 1 and 1000, or 0 for none")]
    [InlineData(0L, 5, 1001, "invalid top-words count 1001: it must be between 1 and 1000, or 0 for none")]
    public async Task AnInvalidPageIsRefusedWithTheRange(long first, int maxPosts, int top, string rule)
    {
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());

        var refused = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => grain.GetPostPageAsync(first, maxPosts, top));

        Assert.Contains(rule, refused.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A window that takes ten more posts right after each of the first <paramref name="busyReads"/> whole-window reads
    /// has its first page, as a busy topic may between a reader's pages: the reader's posts are evicted under it.
    /// </summary>
    private sealed class BusyWindow(IWordWindowGrain window, int busyReads) : IWordWindowGrain
    {
        private int _batches;

        public int WholeReadsStarted { get; private set; }

        public async Task<PostPage> GetPostPageAsync(long first, int maxPosts, int top)
        {
            var page = await window.GetPostPageAsync(first, maxPosts, top);
            if (first == 0 && ++WholeReadsStarted <= busyReads)
            {
                var batch = ++_batches;
                await window.AppendAsync(PostBatch.Encode([.. Enumerable.Range(1, 10).Select(index => new Post($"new{((batch - 1) * 10) + index}"))]));
            }

            return page;
        }

        public Task<AppendResult> AppendAsync(PostBatch batch) => window.AppendAsync(batch);

        public Task<WindowStats> GetStatsAsync() => window.GetStatsAsync();

        public Task<WordCloudView> GetCloudAsync(int top, int newestPosts) => window.GetCloudAsync(top, newestPosts);

        public Task<WordCloudView> WatchAsync(ICloudWatcher watcher) => window.WatchAsync(watcher);

        public Task UnwatchAsync(ICloudWatcher watcher) => window.UnwatchAsync(watcher);
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
        await grain.AppendAsync(PostBatch.Encode([new Post("first")], "p", 1));

        // Act: batches 4 and 3 are sent before 2 and wait; 2 arrives and releases them in order.
        var fourth = grain.AppendAsync(PostBatch.Encode([new Post("fourth")], "p", 4));
        var third = grain.AppendAsync(PostBatch.Encode([new Post("third")], "p", 3));
        var second = await grain.AppendAsync(PostBatch.Encode([new Post("second")], "p", 2));

        // Assert
        Assert.Equal(1, second.Accepted);
        Assert.Equal(1, (await third).Accepted);
        Assert.Equal(1, (await fourth).Accepted);
        Assert.Equal(["first", "second", "third", "fourth"], (await grain.ReadAllPostsAsync()).Select(post => post.Text));
    }

    [Fact]
    public async Task ABatchWhosePredecessorDoesNotComeIsSentBackAndOrderHolds()
    {
        // Arrange
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        await grain.AppendAsync(PostBatch.Encode([new Post("first")], "p", 1));

        // Act: batch 3 comes alone and waits in vain; then 2, then 3 again.
        var early = await grain.AppendAsync(PostBatch.Encode([new Post("third")], "p", 3));
        var second = await grain.AppendAsync(PostBatch.Encode([new Post("second")], "p", 2));
        var third = await grain.AppendAsync(PostBatch.Encode([new Post("third")], "p", 3));

        // Assert
        Assert.True(early.OutOfOrder);
        Assert.Equal(0, early.Accepted);
        Assert.Equal(1, second.Accepted);
        Assert.Equal(1, third.Accepted);
        Assert.Equal(["first", "second", "third"], (await grain.ReadAllPostsAsync()).Select(post => post.Text));
    }
}
