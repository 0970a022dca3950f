using WordCloud.Abstractions;

namespace WordCloud.ClusterTests;

[Collection(ClusterCollection.Name)]
public sealed class ValidationTests(ClusterFixture fixture)
{
    [Fact]
    public async Task InvalidPostsAreRejectedWithIndexAndReasonWhileTheRestAreAccepted()
    {
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        var longest = new string('x', PostRules.MaxTextLength);
        List<Post?> batch =
        [
            new("first alpha"),
            new(""),
            new("second bravo"),
            new("   \t "),
            new(new string('x', PostRules.MaxTextLength + 1)),
            new(null!),
            null,
            new(longest),
            new("third charlie", Author: new string('a', PostRules.MaxFieldLength + 1)),
        ];

        var result = await grain.AppendAsync(PostBatch.Encode(batch));
        var posts = await grain.ReadAllPostsAsync();
        var stats = await grain.GetStatsAsync();

        Assert.Equal(3, result.Accepted);
        Assert.Equal(0, result.Evicted);
        Assert.Equal([1, 3, 4, 5, 6, 8], result.Rejected.Select(r => r.Index));
        Assert.Contains("empty or whitespace", result.Rejected[0].Reason);
        Assert.Contains("empty or whitespace", result.Rejected[1].Reason);
        Assert.Contains($"{PostRules.MaxTextLength + 1} characters long; the limit is {PostRules.MaxTextLength}", result.Rejected[2].Reason);
        Assert.Contains("no text", result.Rejected[3].Reason);
        Assert.Contains("post is null", result.Rejected[4].Reason);
        Assert.Contains("author", result.Rejected[5].Reason);
        Assert.Equal(["first alpha", "second bravo", longest], posts.Select(p => p.Text));
        Assert.Equal(3, stats.TotalAppended);
    }

    [Fact]
    public async Task AGrainKeepsWorkingAfterABatchWithInvalidPosts()
    {
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        var allInvalid = await grain.AppendAsync(PostBatch.Encode([new Post(""), new Post(" ")]));

        var later = await grain.AppendAsync(PostBatch.Encode([new Post("fourth delta"), new Post("fifth echo")]));
        var posts = await grain.ReadAllPostsAsync();
        var top = (await grain.GetCloudAsync(10, 0)).Words;

        Assert.Equal(0, allInvalid.Accepted);
        Assert.Equal([0, 1], allInvalid.Rejected.Select(r => r.Index));
        Assert.Equal(2, later.Accepted);
        Assert.Empty(later.Rejected);
        Assert.Equal(["fourth delta", "fifth echo"], posts.Select(p => p.Text));
        Assert.Equal(["delta", "echo", "fifth", "fourth"], top.Select(w => w.Word));
    }

    [Theory]
    [InlineData("Beer")]
    [InlineData("be er")]
    [InlineData("#beer")]
    public async Task AKeyThatIsNotANormalisedTopicIsRefusedWithTheRuleAndTheSiloKeepsWorking(string key)
    {
        var invalid = fixture.GrainFactory.GetGrain<IWordWindowGrain>(key);
        var valid = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());

        var onAppend = await Assert.ThrowsAsync<ArgumentException>(() => invalid.AppendAsync(PostBatch.Encode([new Post("hello world")])));
        var onRead = await Assert.ThrowsAsync<ArgumentException>(invalid.GetStatsAsync);
        var accepted = await valid.AppendAsync(PostBatch.Encode([new Post("hello world")]));

        Assert.Contains($"'{key}'", onAppend.Message);
        Assert.Contains(TopicName.Rule, onAppend.Message);
        Assert.Contains(TopicName.Rule, onRead.Message);
        Assert.Equal(1, accepted.Accepted);
        Assert.Equal(1, (await valid.GetStatsAsync()).Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(WindowLimits.MaxTop + 1)]
    public async Task ATopWordsCountOutsideItsRangeIsRefusedWithTheRange(int count)
    {
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        await grain.AppendAsync(PostBatch.Encode([new Post("alpha bravo")]));

        var onCloud = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => grain.GetCloudAsync(count, 0));

        Assert.Contains($"invalid top-words count {count}: it must be between {WindowLimits.MinTop} and {WindowLimits.MaxTop}", onCloud.Message);
        Assert.Equal(2, (await grain.GetCloudAsync(WindowLimits.MaxTop, 0)).Words.Count);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(WindowLimits.MaxTop + 1)]
    public async Task AWholeWindowReadRefusesATopWordsCountOutsideItsRangeButTakes0ForNone(int count)
    {
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        await grain.AppendAsync(PostBatch.Encode([new Post("alpha bravo")]));

        var refused = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => grain.ReadWholeWindowAsync(count));
        var none = Assert.NotNull(await grain.ReadWholeWindowAsync(0));

        Assert.Contains($"invalid top-words count {count}: it must be between {WindowLimits.MinTop} and {WindowLimits.MaxTop}, or 0 for none", refused.Message);
        Assert.Empty(none.Words);
        Assert.Equal(["alpha bravo"], none.Posts.Select(post => post.Text));
    }

    [Theory]
    [InlineData(WindowLimits.MinTop)]
    [InlineData(WindowLimits.MaxTop)]
    public async Task TopWordsCountsAtTheEdgesOfTheRangeAreAccepted(int count)
    {
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        await grain.AppendAsync(PostBatch.Encode([new Post("alpha alpha bravo")]));

        var top = (await grain.GetCloudAsync(count, 0)).Words;

        Assert.Equal(new WordCount("alpha", 2), top[0]);
        Assert.Equal(Math.Min(count, 2), top.Count);
    }

    [Theory]
    [InlineData("p", 0L, 1, "the batch sequence number is 0; it must be 1 or more")]
    [InlineData("p", -3L, 1, "the batch sequence number is -3; it must be 1 or more")]
    [InlineData(null, 5L, 1, "the batch has sequence number 5 but no producer id; an unnumbered batch has sequence number 0")]
    [InlineData("", 1L, 1, "the batch's producer id is empty; it must be 1 to 128 characters, or null for an unnumbered batch")]
    public async Task AMalformedBatchIsRefusedNamingTheValueAndTheRule(string? producerId, long sequence, int posts, string expected)
    {
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        var batch = PostBatch.Encode([.. Enumerable.Range(0, posts).Select(index => new Post($"x{index} y"))], producerId, sequence);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => grain.AppendAsync(batch));

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        Assert.Equal(new WindowStats(ClusterFixture.Capacity, 0, 0, 0, 0), await grain.GetStatsAsync());
    }

    [Theory]
    [InlineData(null, 0L)]
    [InlineData("p", 1L)]
    public async Task ABatchOfMorePostsThanTheLimitIsRefusedByTheWireBeforeItIsRead(string? producerId, long sequence)
    {
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        var batch = PostBatch.Encode([.. Enumerable.Range(0, WindowLimits.MaxBatch + 1).Select(index => new Post($"x{index} y"))], producerId, sequence);

        // The silo's codec reads the count first and refuses it before it allocates anything for the posts.
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => grain.AppendAsync(batch));

        Assert.Contains($"A post batch says it holds {WindowLimits.MaxBatch + 1} posts; the limit is {WindowLimits.MaxBatch}", refused.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, (await grain.GetStatsAsync()).TotalAppended);
    }

    [Fact]
    public async Task AProducerIdLongerThanTheLimitIsRefusedNamingItsLengthAndTheLimit()
    {
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        var producerId = new string('p', PostBatch.MaxProducerIdLength + 1);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => grain.AppendAsync(PostBatch.Encode([new Post("x y")], producerId, 1)));

        Assert.Contains($"the producer id is {PostBatch.MaxProducerIdLength + 1} characters long; the limit is {PostBatch.MaxProducerIdLength}", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await grain.GetStatsAsync()).TotalAppended);
    }

    [Fact]
    public async Task ABatchWithoutAProducerIdIsAppliedAsItComesEveryTimeItIsSent()
    {
        // An unnumbered batch (the HTTP API's) has no number to recognise a retry by: sent twice, it lands twice.
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        Post[] posts = [new Post("unnumbered alpha"), new Post("unnumbered bravo")];

        var first = await grain.AppendAsync(PostBatch.Encode(posts));
        var second = await grain.AppendAsync(PostBatch.Encode(posts));
        var all = await grain.ReadAllPostsAsync();

        Assert.Equal(new AppendResult(2, [], 0, TotalAppended: 2), first with { Rejected = [] });
        Assert.Equal(new AppendResult(2, [], 0, TotalAppended: 4), second with { Rejected = [] });
        Assert.Empty(first.Rejected);
        Assert.Equal(posts.Concat(posts), all);
    }
}
