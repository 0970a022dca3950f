using Microsoft.Extensions.Logging;
using WordCloud.Client.Sources;
using WordCloud.Tests.Shared;

namespace WordCloud.Tests.Client;

public sealed class JetstreamSourceTests : IAsyncLifetime
{
    private const long T0 = 1_725_911_162_329_308;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private readonly RecordingLogger _logger = new();
    private JetstreamTestServer _server = null!;

    public async Task InitializeAsync() => _server = await JetstreamTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private JetstreamSource NewSource(string? resume = null, string[]? languages = null, Uri[]? endpoints = null) =>
        new(new JetstreamSettings(endpoints ?? [_server.Url], "beer", new LanguageFilter(languages ?? []))
        {
            // Short, so that reconnects take milliseconds; the doubling and the cap are Backoff's own tests.
            FirstRetryDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromMilliseconds(40),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        }, resume, _logger);

    /// <summary>The items read until the post <paramref name="lastRkey"/> (the script's end marker) comes, within the deadline.</summary>
    private static async Task<List<SourcedPost>> ReadUntilAsync(IPostSource source, string lastRkey, int times = 1)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var items = new List<SourcedPost>();
        var seen = 0;
        await foreach (var item in source.ReadAsync(deadline.Token))
        {
            items.Add(item);
            if (item.Post?.Id == JetstreamFrames.Uri(lastRkey) && ++seen == times)
            {
                break;
            }
        }

        return items;
    }

    private static string End(long timeUs) => JetstreamFrames.Post(timeUs, "end", "last one #beer");

    [Fact]
    public async Task APostTaggedWithTheTopicBecomesAPostWithItsUriAuthorTimeAndResume()
    {
        _server.Send(JetstreamFrames.Post(T0, "3kabc", "Crisp pilsner tonight", tags: ["beer"], createdAt: "2026-12-03T10:15:30.123Z"));
        var source = NewSource();

        var items = await ReadUntilAsync(source, "3kabc");

        var item = Assert.Single(items);
        Assert.Null(item.Error);
        Assert.False(item.IsDeletion);
        Assert.Equal("Crisp pilsner tonight", item.Post!.Text);
        Assert.Equal($"at://{JetstreamFrames.Did}/app.bsky.feed.post/3kabc", item.Post.Id);
        Assert.Equal(JetstreamFrames.Did, item.Post.Author);
        Assert.Equal("bluesky", item.Post.Source);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 10, 15, 30, 123, TimeSpan.Zero), item.Post.CreatedAt);
        Assert.Equal(T0.ToString(System.Globalization.CultureInfo.InvariantCulture), item.Resume);
        Assert.Equal($"jetstream event 1 (time_us {T0})", item.Origin);
    }

    [Fact]
    public async Task OnlyPostsWithTheTopicsTagFacetOrHashtagPassAndTheOthersAreCountedAsSkipped()
    {
        _server.Send(
            JetstreamFrames.Post(T0 + 1, "facet", "tagged by facet", tags: ["Beer"]),
            JetstreamFrames.Post(T0 + 2, "hashtag", "Friday! #Beer!"),
            JetstreamFrames.Post(T0 + 3, "parens", "(#beer) in brackets"),
            JetstreamFrames.Post(T0 + 4, "end-of-text", "tonight: #BEER"),
            JetstreamFrames.Post(T0 + 5, "plural", "so many #beers"),
            JetstreamFrames.Post(T0 + 6, "bare", "a cold beer please"),
            JetstreamFrames.Post(T0 + 7, "other-facet", "craft stuff", tags: ["craftbeer"]),
            JetstreamFrames.Post(T0 + 8, "glued", "no#beer here"),
            End(T0 + 9));
        var source = NewSource();

        var items = await ReadUntilAsync(source, "end");

        Assert.Equal(
            ["facet", "hashtag", "parens", "end-of-text", "end"],
            items.Select(item => item.Post!.Id!.Split('/')[^1]));
        Assert.Equal(9, source.Counters.Seen);
        Assert.Equal(5, source.Counters.Matched);
        Assert.Equal(4, source.Counters.Skipped);
        Assert.Equal(0, source.Counters.Malformed);
    }

    [Fact]
    public async Task IdentityAccountOtherCollectionsAndUpdatesAreSkippedAndCounted()
    {
        _server.Send(
            JetstreamFrames.Identity(T0 + 1),
            JetstreamFrames.Account(T0 + 2),
            JetstreamFrames.Commit(T0 + 3, "create", "app.bsky.feed.like", "like1", new() { ["subject"] = "#beer" }),
            JetstreamFrames.Update(T0 + 4, "edited", "now about #beer"),
            JetstreamFrames.Commit(T0 + 5, "delete", "app.bsky.feed.repost", "repost1", null),
            End(T0 + 6));
        var source = NewSource();

        var items = await ReadUntilAsync(source, "end");

        Assert.Equal(JetstreamFrames.Uri("end"), Assert.Single(items).Post!.Id);
        Assert.Equal(6, source.Counters.Seen);
        Assert.Equal(5, source.Counters.Skipped);
        Assert.Equal(1, source.Counters.Matched);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds((T0 + 6) / 1000).AddTicks((T0 + 6) % 1000 * 10), source.Counters.NewestEventAt);
    }

    [Fact]
    public async Task ADeletedPostBecomesADeletionOfItsAtUriWhateverItsTopic()
    {
        _server.Send(JetstreamFrames.Delete(T0, "gone"), End(T0 + 1));
        var source = NewSource();

        var items = await ReadUntilAsync(source, "end");

        Assert.Equal(2, items.Count);
        Assert.True(items[0].IsDeletion);
        Assert.Equal(JetstreamFrames.Uri("gone"), items[0].DeletedId);
        Assert.Null(items[0].Post);
        Assert.Null(items[0].Error);
        Assert.Equal($"{T0}", items[0].Resume);
        Assert.Equal(2, source.Counters.Matched);
    }

    [Fact]
    public async Task MalformedFramesAreLoggedWithTheirNumberAndUrlCountedAndSkippedAndTheStreamGoesOn()
    {
        _server.Send(
            "this is not JSON",
            "[1, 2, 3]",
            """{"did":"did:plc:x","kind":"commit","commit":{}}""",
            """{"did":"did:plc:x","time_us":5,"kind":"commit","commit":{"operation":"create","collection":"app.bsky.feed.post","record":{"text":"#beer"}}}""",
            """{"did":"did:plc:x","time_us":6,"kind":"commit","commit":{"operation":"create","collection":"app.bsky.feed.post","rkey":"r"}}""",
            End(T0));
        var source = NewSource();

        var items = await ReadUntilAsync(source, "end");

        Assert.Single(items);
        Assert.Equal(5, source.Counters.Malformed);
        Assert.Equal(6, source.Counters.Seen);
        var warnings = _logger.At(LogLevel.Warning).ToList();
        Assert.Equal(5, warnings.Count);
        Assert.Contains($"Jetstream frame 1 from {_server.Url}?wantedCollections=app.bsky.feed.post: malformed JSON", warnings[0], StringComparison.Ordinal);
        Assert.EndsWith("skipped: this is not JSON", warnings[0], StringComparison.Ordinal);
        Assert.Contains("frame 2", warnings[1], StringComparison.Ordinal);
        Assert.Contains("\"time_us\" is missing", warnings[2], StringComparison.Ordinal);
        Assert.Contains("\"commit.rkey\" is missing", warnings[3], StringComparison.Ordinal);
        Assert.Contains("\"commit.record\" object", warnings[4], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALongMalformedFrameIsLoggedWithATruncatedExcerpt()
    {
        _server.Send("{" + new string('x', 5000), End(T0));
        var source = NewSource();

        await ReadUntilAsync(source, "end");

        var warning = Assert.Single(_logger.At(LogLevel.Warning));
        Assert.EndsWith("skipped: {" + new string('x', 199) + "…", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSourceAsksForPostsOnlyAndWithoutACursorOnItsFirstConnection()
    {
        _server.Send(End(T0));
        var source = NewSource();

        await ReadUntilAsync(source, "end");

        var connection = Assert.Single(_server.Connections);
        Assert.Equal(["app.bsky.feed.post"], connection.WantedCollections);
        Assert.Null(connection.Cursor);
        Assert.DoesNotContain("compress", connection.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADroppedConnectionIsResumedFromTheLastEventsTimeAndTheOverlapComesAgain()
    {
        _server.Send(JetstreamFrames.Post(T0 + 100, "one", "#beer one"), JetstreamFrames.Identity(T0 + 150), JetstreamFrames.Post(T0 + 200, "two", "#beer two"));
        _server.DropConnection();
        _server.Send(JetstreamFrames.Post(T0 + 300, "three", "#beer three"), End(T0 + 400));
        var source = NewSource();

        var items = await ReadUntilAsync(source, "end");

        Assert.Equal(["one", "two", "two", "three", "end"], items.Select(item => item.Post!.Id!.Split('/')[^1]));
        var connections = _server.Connections;
        Assert.Equal(2, connections.Count);
        Assert.Null(connections[0].Cursor);
        Assert.Equal(T0 + 200, connections[1].Cursor);
        Assert.Equal(["app.bsky.feed.post"], connections[1].WantedCollections);
        Assert.Equal(1, source.Counters.Reconnects);
        var failure = Assert.Single(_logger.At(LogLevel.Warning));
        Assert.Contains($"Jetstream {_server.Url}?wantedCollections=app.bsky.feed.post failed:", failure, StringComparison.Ordinal);
        Assert.Contains($"attempt 1, reconnecting in", failure, StringComparison.Ordinal);
        Assert.Contains($"from cursor {T0 + 200}", failure, StringComparison.Ordinal);
        Assert.Contains(_logger.At(LogLevel.Information), message => message.Contains("delivers events again after", StringComparison.Ordinal) && message.EndsWith($"resumed from cursor {T0 + 200}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACleanCloseByTheServerIsAlsoAReconnectFromTheCursor()
    {
        _server.Send(JetstreamFrames.Post(T0 + 100, "one", "#beer one"));
        _server.CloseConnection();
        _server.Send(End(T0 + 200));
        var source = NewSource();

        var items = await ReadUntilAsync(source, "end");

        Assert.Equal(["one", "one", "end"], items.Select(item => item.Post!.Id!.Split('/')[^1]));
        Assert.Equal(T0 + 100, _server.Connections[1].Cursor);
        Assert.Contains("the server closed the connection (NormalClosure: scripted close)", Assert.Single(_logger.At(LogLevel.Warning)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartingFromAResumeUsesItsCursorOnTheFirstConnection()
    {
        _server.Send(JetstreamFrames.Post(T0 + 100, "old", "#beer old"), JetstreamFrames.Post(T0 + 200, "acknowledged", "#beer acknowledged"), End(T0 + 300));
        var source = NewSource(resume: $"{T0 + 200}");

        var items = await ReadUntilAsync(source, "end");

        Assert.Equal(T0 + 200, Assert.Single(_server.Connections).Cursor);
        Assert.Equal(["acknowledged", "end"], items.Select(item => item.Post!.Id!.Split('/')[^1]));
        Assert.Contains($"resuming from time_us {T0 + 200}", source.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AResumeThatIsNotATimeIsReportedAndTheSourceStartsLive()
    {
        _server.Send(End(T0));
        var source = NewSource(resume: "posts.jsonl line 12");

        await ReadUntilAsync(source, "end");

        Assert.Null(Assert.Single(_server.Connections).Cursor);
        Assert.Contains("'posts.jsonl line 12' is not a Jetstream cursor", Assert.Single(_logger.At(LogLevel.Warning)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithLanguagesOnlyPostsDeclaringOneOfThemPass()
    {
        _server.Send(
            JetstreamFrames.Post(T0 + 1, "en-us", "#beer", langs: ["en-US"]),
            JetstreamFrames.Post(T0 + 2, "german", "#beer", langs: ["de"]),
            JetstreamFrames.Post(T0 + 3, "none", "#beer"),
            JetstreamFrames.Post(T0 + 4, "mixed", "#beer", langs: ["ja", "EN"]),
            JetstreamFrames.Post(T0 + 5, "english", "#beer", langs: ["eng"]),
            JetstreamFrames.Post(T0 + 6, "end", "#beer", langs: ["en"]));
        var source = NewSource(languages: ["en"]);

        var items = await ReadUntilAsync(source, "end");

        Assert.Equal(["en-us", "mixed", "end"], items.Select(item => item.Post!.Id!.Split('/')[^1]));
        Assert.Equal(3, source.Counters.Skipped);
        Assert.Equal(3, source.Counters.Matched);
    }

    [Fact]
    public async Task AFrameSentInManyFragmentsIsAssembledIntoOneEvent()
    {
        _server.FragmentSize = 7;
        _server.Send(JetstreamFrames.Post(T0, "split", "Frühlingsbier 🍺 #beer"), End(T0 + 1));
        var source = NewSource();

        var items = await ReadUntilAsync(source, "end");

        Assert.Equal("Frühlingsbier 🍺 #beer", items[0].Post!.Text);
        Assert.Equal(0, source.Counters.Malformed);
    }

    [Fact]
    public async Task APostWithoutAReadableCreatedAtTakesTheEventsTime()
    {
        _server.Send(JetstreamFrames.Post(T0, "undated", "#beer", createdAt: null), JetstreamFrames.Post(T0 + 1, "end", "#beer", createdAt: "yesterday"));
        var source = NewSource();

        var items = await ReadUntilAsync(source, "end");

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(T0 / 1000).AddTicks(T0 % 1000 * 10), items[0].Post!.CreatedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds((T0 + 1) / 1000).AddTicks((T0 + 1) % 1000 * 10), items[1].Post!.CreatedAt);
    }

    [Fact]
    public async Task APostBreakingThePostRulesIsAnInvalidItemWithItsResume()
    {
        _server.Send(JetstreamFrames.Post(T0, "blank", "   ", tags: ["beer"]), End(T0 + 1));
        var source = NewSource();

        var items = await ReadUntilAsync(source, "end");

        Assert.Null(items[0].Post);
        Assert.Contains("empty or whitespace", items[0].Error, StringComparison.Ordinal);
        Assert.Equal($"{T0}", items[0].Resume);
        Assert.Equal($"jetstream event 1 (time_us {T0})", items[0].Origin);
    }

    [Fact]
    public async Task RefusedConnectionsAreRetriedUntilOneIsAcceptedAndTheRecoveryIsLogged()
    {
        _server.RefuseConnections(2);
        _server.Send(End(T0));
        var source = NewSource();

        await ReadUntilAsync(source, "end");

        Assert.Equal([true, true, false], _server.Connections.Select(connection => connection.Refused));
        Assert.Equal(2, source.Counters.Reconnects);
        var failures = _logger.At(LogLevel.Warning).ToList();
        Assert.Equal(2, failures.Count);
        Assert.Contains("attempt 1,", failures[0], StringComparison.Ordinal);
        Assert.Contains("attempt 2,", failures[1], StringComparison.Ordinal);
        Assert.Contains(_logger.At(LogLevel.Information), message => message.EndsWith("resumed from cursor none (live)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AfterAFailureTheSourceMovesOnToTheNextEndpoint()
    {
        var nobody = new Uri($"ws://127.0.0.1:{FreeLoopbackPort()}/subscribe");
        _server.Send(End(T0));
        var source = NewSource(endpoints: [nobody, _server.Url]);

        var items = await ReadUntilAsync(source, "end");

        Assert.Single(items);
        Assert.Equal(1, source.Counters.Reconnects);
        Assert.Contains($"Jetstream {nobody}?wantedCollections=app.bsky.feed.post failed", Assert.Single(_logger.At(LogLevel.Warning)), StringComparison.Ordinal);
        Assert.Contains("falling back to 1 more", source.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MovingToAnotherInstanceOrResumingAmongSeveralRewindsTheCursorFiveSeconds()
    {
        // Arrange: two instances (the same server twice); the first connection drops after one event.
        const long second = 1_000_000;
        _server.Send(JetstreamFrames.Post(T0 + (20 * second), "one", "#beer one"));
        _server.DropConnection();
        _server.Send(End(T0 + (30 * second)));
        var switching = NewSource(endpoints: [_server.Url, _server.Url]);
        var resuming = NewSource(resume: $"{T0 + (20 * second)}", endpoints: [_server.Url, _server.Url]);

        // Act
        await ReadUntilAsync(switching, "end");
        await ReadUntilAsync(resuming, "end");

        // Assert: each instance stamps events by its own clock, so a cursor from another is taken a little earlier.
        var connections = _server.Connections;
        Assert.Equal(T0 + (15 * second), connections[1].Cursor);
        Assert.Equal(T0 + (15 * second), connections[2].Cursor);
    }

    [Fact]
    public void TheSubscribeUrlKeepsOtherParametersAndReplacesTheCollectionsAndTheCursor()
    {
        var endpoint = new Uri("wss://jetstream.example/subscribe?maxMessageSizeBytes=100000&wantedCollections=app.bsky.feed.like&cursor=5");

        var uri = JetstreamSource.SubscribeUri(endpoint, 1_725_911_162_329_308);

        Assert.Equal("wss://jetstream.example/subscribe?maxMessageSizeBytes=100000&wantedCollections=app.bsky.feed.post&cursor=1725911162329308", uri.ToString());
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
