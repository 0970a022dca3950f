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
        List<Post> batch =
        [
            new("first alpha"),
            new(""),
            new("second bravo"),
            new("   \t "),
            new(new string('x', PostRules.MaxTextLength + 1)),
            new(null!),
            null!,
            new(longest),
            new("third charlie", Author: new string('a', PostRules.MaxFieldLength + 1)),
        ];

        var result = await grain.AppendAsync(batch);
        var posts = await grain.GetPostsAsync();
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
        var allInvalid = await grain.AppendAsync([new(""), new(" ")]);

        var later = await grain.AppendAsync([new("fourth delta"), new("fifth echo")]);
        var posts = await grain.GetPostsAsync();
        var top = await grain.GetTopWordsAsync(10);

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

        var onAppend = await Assert.ThrowsAsync<ArgumentException>(() => invalid.AppendAsync([new Post("hello world")]));
        var onRead = await Assert.ThrowsAsync<ArgumentException>(invalid.GetStatsAsync);
        var accepted = await valid.AppendAsync([new Post("hello world")]);

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
        await grain.AppendAsync([new Post("alpha bravo")]);

        var onTop = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => grain.GetTopWordsAsync(count));
        var onSnapshot = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => grain.GetSnapshotAsync(count));

        var range = $"between {WindowLimits.MinTop} and {WindowLimits.MaxTop}";
        Assert.Contains(range, onTop.Message);
        Assert.Contains(range, onSnapshot.Message);
        Assert.Equal(2, (await grain.GetTopWordsAsync(WindowLimits.MaxTop)).Count);
    }

    [Theory]
    [InlineData(WindowLimits.MinTop)]
    [InlineData(WindowLimits.MaxTop)]
    public async Task TopWordsCountsAtTheEdgesOfTheRangeAreAccepted(int count)
    {
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        await grain.AppendAsync([new Post("alpha alpha bravo")]);

        var top = await grain.GetTopWordsAsync(count);

        Assert.Equal(new WordCount("alpha", 2), top[0]);
        Assert.Equal(Math.Min(count, 2), top.Count);
    }
}
