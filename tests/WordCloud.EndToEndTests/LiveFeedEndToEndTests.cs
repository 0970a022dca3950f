using System.Globalization;
using System.Text.Json;
using WordCloud.EndToEndTests.Infrastructure;
using WordCloud.Tests.Shared;

namespace WordCloud.EndToEndTests;

/// <summary>
/// The real producer on a live feed, against local servers that speak Bluesky's Jetstream and Mastodon's API, into
/// two real silos: the window holds exactly the posts about the topic, once each, in feed order, without the deleted.
/// </summary>
[Collection(TwoSiloClusterCollection.Name)]
public sealed class LiveFeedEndToEndTests(TwoSiloClusterFixture fixture) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private const long T0 = 1_764_763_200_000_000;

    private readonly LocalCluster _cluster = fixture.Cluster;
    private readonly string _directory = Directory.CreateTempSubdirectory("wordcloud-live-").FullName;

    [Fact]
    public async Task JetstreamPostsAboutTheTopicLandOnceEachInFeedOrderAndADeletedOneLeaves()
    {
        // Arrange: a feed of matching and other posts, other events, a malformed frame, a post deleted while in the
        // window, and a dropped connection; the reconnect replays from the last event read, so one post comes twice.
        var topic = NewTopic();
        await using var jetstream = await JetstreamTestServer.StartAsync(
            JetstreamFrames.Post(T0 + 1, "r1", $"first hoppy post #{topic}"),
            JetstreamFrames.Post(T0 + 2, "r2", "tagged by a facet only", tags: [topic]),
            JetstreamFrames.Post(T0 + 3, "r3", $"#{topic.ToUpperInvariant()}! loud stout"),
            JetstreamFrames.Post(T0 + 4, "r4", $"#{topic}s is another tag"),
            JetstreamFrames.Post(T0 + 5, "r5", $"the bare word {topic} is no tag"),
            JetstreamFrames.Identity(T0 + 6),
            JetstreamFrames.Account(T0 + 7),
            JetstreamFrames.Commit(T0 + 8, "create", "app.bsky.feed.like", "l1", null),
            JetstreamFrames.Update(T0 + 9, "r1", $"edited #{topic}"),
            "{ not json",
            JetstreamFrames.Post(T0 + 11, "r6", $"soon deleted porter #{topic}"),
            JetstreamFrames.Delete(T0 + 12, "r6"),
            JetstreamFrames.Post(T0 + 13, "r7", $"(#{topic}) before the drop"));
        jetstream.DropConnection();
        jetstream.Send(JetstreamFrames.Post(T0 + 14, "r8", $"after the drop #{topic}"));
        string[] expected = [$"first hoppy post #{topic}", "tagged by a facet only", $"#{topic.ToUpperInvariant()}! loud stout", $"(#{topic}) before the drop", $"after the drop #{topic}"];

        // Act
        await using var producer = RunningProcess.Start("producer", RepoPaths.ClientDll,
            ["produce", "--topic", topic, "--source", "jetstream", "--jetstream-url", jetstream.Url.ToString(), .. _cluster.GatewayArguments]);
        var held = await WindowPosts.WaitUntilAsync(_cluster, topic, posts => posts.Length > 0 && posts[^1] == expected[^1], Timeout, "the post after the drop");
        var connections = await jetstream.WaitForConnectionsAsync(2, Timeout);
        producer.Signal("INT");
        var exitCode = await producer.WaitForExitAsync(Timeout);

        // Assert
        Assert.True(exitCode == 0, producer.AllOutput);
        Assert.Equal(expected, held);
        Assert.Equal(["app.bsky.feed.post"], connections[0].WantedCollections);
        Assert.Null(connections[0].Cursor);
        Assert.Equal(T0 + 13, connections[1].Cursor);
        Assert.Contains("duplicates=1 deleted=1", producer.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("malformed", producer.AllOutput, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task MastodonStatusesLandOnceEachInOrderAsCleanText()
    {
        // Arrange: one status before the producer starts (its first poll takes the newest page), then more than a
        // page of new ones, HTML with entities, links and a hashtag link, and a boost of a status already sent.
        var topic = NewTopic();
        await using var mastodon = await MastodonTestServer.StartAsync();
        mastodon.AddStatus(topic, "<p>the first one</p>");
        await using var producer = RunningProcess.Start("producer", RepoPaths.ClientDll,
            ["produce", "--topic", topic, "--source", "mastodon", "--instance", mastodon.Url.ToString(), "--poll", "1s", .. _cluster.GatewayArguments]);
        await mastodon.WaitForRequestsAsync(requests => requests.Count >= 1, Timeout);
        var html = mastodon.AddStatus(topic, $"<p>Stout &amp; porter <a href=\"https://example.com/tag/{topic}\" class=\"mention hashtag\" rel=\"tag\">#<span>{topic}</span></a></p><p>second<br>line</p>");
        mastodon.AddStatuses(topic, 45, "status");
        mastodon.AddReblog(topic, html);

        // Act
        var expected = new List<string> { "the first one", $"Stout & porter #{topic}\n\nsecond\nline" };
        expected.AddRange(Enumerable.Range(1, 45).Select(number => $"status {number}"));
        var held = await WindowPosts.WaitUntilAsync(_cluster, topic, posts => posts.Length >= expected.Count, Timeout, "every status");
        producer.Signal("INT");
        var exitCode = await producer.WaitForExitAsync(Timeout);

        // Assert
        Assert.True(exitCode == 0, producer.AllOutput);
        Assert.Equal(expected, held);
        Assert.Contains("sent=47 accepted=47 duplicates=0", producer.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProducerRestartedWithItsStateFileGoesOnWithNoGapAndNoDuplicate()
    {
        // Arrange: five posts, read by a producer keeping a state file, which is then stopped.
        var topic = NewTopic();
        var state = Path.Combine(_directory, "jetstream.state");
        var texts = Enumerable.Range(1, 8).Select(number => $"post {number} #{topic}").ToArray();
        await using var jetstream = await JetstreamTestServer.StartAsync([.. texts[..5].Select((text, index) => JetstreamFrames.Post(T0 + index + 1, $"r{index + 1}", text))]);
        string[] produce = ["produce", "--topic", topic, "--source", "jetstream", "--jetstream-url", jetstream.Url.ToString(), "--state-file", state, .. _cluster.GatewayArguments];
        await using (var first = RunningProcess.Start("producer", RepoPaths.ClientDll, produce))
        {
            await WindowPosts.WaitUntilAsync(_cluster, topic, posts => posts.Length == 5, Timeout, "the first five posts");
            first.Signal("INT");
            Assert.Equal(0, await first.WaitForExitAsync(Timeout));
        }

        // Act: three more posts while no producer runs, then the producer again with the same state file.
        jetstream.Send([.. texts[5..].Select((text, index) => JetstreamFrames.Post(T0 + index + 6, $"r{index + 6}", text))]);
        await using var second = RunningProcess.Start("producer", RepoPaths.ClientDll, produce);
        var held = await WindowPosts.WaitUntilAsync(_cluster, topic, posts => posts.Length >= 8, Timeout, "all eight posts");
        var connections = await jetstream.WaitForConnectionsAsync(2, Timeout);
        second.Signal("INT");
        var exitCode = await second.WaitForExitAsync(Timeout);

        // Assert: the second run asked for the feed from the last post acknowledged, and the window has each post once.
        Assert.True(exitCode == 0, second.AllOutput);
        Assert.Equal(texts, held);
        Assert.Equal(T0 + 5, connections[1].Cursor);
        Assert.Contains("accepted=3", second.StandardOutput, StringComparison.Ordinal);
        using var saved = JsonDocument.Parse(await File.ReadAllTextAsync(state));
        Assert.Equal((T0 + 8).ToString(CultureInfo.InvariantCulture), saved.RootElement.GetProperty("resume").GetString());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // No underscore: the tokenizer splits words at "_", and a hashtag ends there.
    private static string NewTopic() => $"live{Guid.NewGuid():N}"[..20];
}
