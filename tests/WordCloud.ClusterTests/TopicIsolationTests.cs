using System.Diagnostics;
using WordCloud.Abstractions;

namespace WordCloud.ClusterTests;

[Collection(ClusterCollection.Name)]
public sealed class TopicIsolationTests(ClusterFixture fixture)
{
    private const int PostsPerTopic = 5;

    private static readonly TimeSpan SpreadDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ManyTopicsSpreadOverBothSilosEachHoldOnlyTheirOwnPosts()
    {
        var management = fixture.GrainFactory.GetGrain<IManagementGrain>(0);
        var topics = new List<string>();
        var hosts = new HashSet<SiloAddress>();
        var clock = Stopwatch.StartNew();

        // Placement decides where each topic lands and may put a few in a row on one silo: add topics until both
        // silos hold some, so that cross-silo calls are part of what is checked.
        while (topics.Count < 20 || (hosts.Count < 2 && clock.Elapsed < SpreadDeadline))
        {
            var round = Enumerable.Range(0, 10).Select(_ => ClusterFixture.NewTopic()).ToList();
            topics.AddRange(round);
            await Task.WhenAll(round.Select(topic => Window(topic).AppendAsync(PostBatch.Encode(PostsOf(topic)))));
            var addresses = await Task.WhenAll(round.Select(topic => management.GetActivationAddress(Window(topic)).AsTask()));
            hosts.UnionWith(addresses.OfType<SiloAddress>());
        }

        var windows = await Task.WhenAll(topics.Select(topic => WholeWindow.ReadAsync(Window(topic), 10)));

        Assert.Equal(2, hosts.Count);
        Assert.All(topics.Zip(windows), pair =>
        {
            var (topic, (cloud, posts)) = pair;
            Assert.Equal(topic, cloud.Topic);
            Assert.Equal(PostsOf(topic), posts);
            Assert.Equal([new WordCount($"{topic}word", PostsPerTopic)], cloud.Words);
            Assert.Equal(PostsPerTopic, cloud.Stats.TotalAppended);
        });
    }

    private static List<Post> PostsOf(string topic) =>
        Enumerable.Range(0, PostsPerTopic).Select(i => new Post($"{topic}word {i}", Source: topic)).ToList();

    private IWordWindowGrain Window(string topic) => fixture.GrainFactory.GetGrain<IWordWindowGrain>(topic);
}
