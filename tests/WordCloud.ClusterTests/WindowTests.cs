using Orleans.Metadata;
using WordCloud.Abstractions;

namespace WordCloud.ClusterTests;

[Collection(ClusterCollection.Name)]
public sealed class WindowTests(ClusterFixture fixture)
{
    // Plain lower-case words the tokenizer keeps as they are, so a recount is a split on spaces.
    private static readonly string[] Vocabulary =
        ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima"];

    // Stop words of the shipped English list: they are in the posts but must never be counted.
    private static readonly string[] StopWords = ["the", "and", "of"];

    [Fact]
    public void WindowsStartOnTheSiloWhoseGatewayActivatesThem()
    {
        // A client sends every call for one grain through one gateway: a window started there takes its producer's
        // batches without a second hop.
        var properties = GrainManifest.PropertiesOf(fixture.Cluster, "WordCloud.IWordWindowGrain");

        Assert.Equal(nameof(PreferLocalPlacement), properties.GetValueOrDefault(WellKnownGrainTypeProperties.PlacementStrategy));
    }

    [Fact]
    public async Task AppendingBeyondCapacityKeepsTheLastPostsInOrderWithRightTotals()
    {
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        int[] batchSizes = [30, 30, 30, 60];
        int[] expectedEvictions = [0, 10, 30, 60];
        var results = new List<AppendResult>();
        var next = 0;

        foreach (var size in batchSizes)
        {
            var batch = Enumerable.Range(next, size).Select(i => new Post($"post {i} alpha", Id: $"p{i}")).ToList();
            next += size;
            results.Add(await grain.AppendAsync(PostBatch.Encode(batch)));
        }

        var posts = await grain.ReadAllPostsAsync();
        var stats = await grain.GetStatsAsync();

        Assert.Equal(batchSizes, results.Select(r => r.Accepted));
        Assert.Equal(expectedEvictions, results.Select(r => r.Evicted));
        Assert.All(results, r => Assert.Empty(r.Rejected));
        Assert.Equal(Enumerable.Range(100, ClusterFixture.Capacity).Select(i => $"post {i} alpha"), posts.Select(p => p.Text));
        Assert.Equal(Enumerable.Range(100, ClusterFixture.Capacity).Select(i => $"p{i}"), posts.Select(p => p.Id));
        Assert.Equal(ClusterFixture.Capacity, stats.Capacity);
        Assert.Equal(ClusterFixture.Capacity, stats.Count);
        Assert.Equal(150, stats.TotalAppended);
        Assert.Equal(100, stats.TotalEvicted);
    }

    [Fact]
    public async Task TopWordsEqualARecountOfThePostsInTheWindow()
    {
        var topic = ClusterFixture.NewTopic();
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(topic);
        var random = new Random(20240611);
        string[] uncounted = [.. StopWords, topic, "#" + topic];
        var pool = Vocabulary.Concat(uncounted).ToArray();

        // Three batches, more posts than the window holds, so evicted posts must have left the counts.
        for (var batch = 0; batch < 3; batch++)
        {
            var posts = Enumerable.Range(0, 40)
                .Select(_ => new Post(string.Join(' ', Enumerable.Range(0, random.Next(1, 9)).Select(_ => pool[random.Next(pool.Length)]))))
                .ToList();
            await grain.AppendAsync(PostBatch.Encode(posts));
        }

        var window = await grain.ReadAllPostsAsync();
        var top = (await grain.GetCloudAsync(WindowLimits.MaxTop, 0)).Words;
        var topThree = (await grain.GetCloudAsync(3, 0)).Words;
        var stats = await grain.GetStatsAsync();

        var expected = window
            .SelectMany(p => p.Text.Split(' '))
            .Where(word => !uncounted.Contains(word))
            .GroupBy(word => word)
            .Select(g => new WordCount(g.Key, g.Count()))
            .OrderByDescending(w => w.Count)
            .ThenBy(w => w.Word, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(ClusterFixture.Capacity, window.Count);
        Assert.Equal(expected, top);
        Assert.Equal(expected.Take(3), topThree);
        Assert.Equal(expected.Count, stats.DistinctWords);
        Assert.DoesNotContain(top, w => uncounted.Contains(w.Word));
    }

    [Fact]
    public async Task AWholeWindowReadGivesACloudThatAgreesWithItsPosts()
    {
        // Arrange: more posts than the window holds, with stop words and numbers, so the recount must leave out the
        // evicted posts and the uncounted words.
        var topic = ClusterFixture.NewTopic();
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(topic);
        var posts = Enumerable.Range(0, 70).Select(i => new Post($"{Vocabulary[i % Vocabulary.Length]} {Vocabulary[i % 5]} the {i}")).ToList();
        await grain.AppendAsync(PostBatch.Encode(posts));

        // Act
        var (cloud, window) = await WholeWindow.ReadAsync(grain, 5);
        var stats = await grain.GetStatsAsync();
        var top = (await grain.GetCloudAsync(5, 0)).Words;

        // Assert
        var recount = window
            .SelectMany(post => post.Text.Split(' '))
            .Where(word => Vocabulary.Contains(word))
            .GroupBy(word => word)
            .Select(group => new WordCount(group.Key, group.Count()))
            .OrderByDescending(count => count.Count)
            .ThenBy(count => count.Word, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(topic, cloud.Topic);
        Assert.Equal(posts.TakeLast(ClusterFixture.Capacity), window);
        Assert.Equal(recount.Take(5), cloud.Words);
        Assert.Equal(top, cloud.Words);
        Assert.Equal(stats, cloud.Stats);
        Assert.Equal(new WindowStats(ClusterFixture.Capacity, window.Count, 70, 70 - window.Count, recount.Count), cloud.Stats);
        Assert.Equal(new WindowStats(ClusterFixture.Capacity, ClusterFixture.Capacity, 70, 20, Vocabulary.Length), cloud.Stats);
    }
}
