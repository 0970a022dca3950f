using System.Text.Json;
using Microsoft.Extensions.Logging;
using WordCloud.Client.Sources;
using WordCloud.Tests.Shared;

namespace WordCloud.Tests.Client;

public sealed class MastodonSourceTests : IAsyncLifetime
{
    private const string Tag = "beer";

    /// <summary>Every wait for an item or a request ends a failed test by then, not never.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private readonly RecordingLogger _logger = new();
    private readonly CancellationTokenSource _stop = new(Deadline);
    private MastodonTestServer _server = null!;

    public async Task InitializeAsync() => _server = await MastodonTestServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _stop.Dispose();
        await _server.DisposeAsync();
    }

    private MastodonSource Source(string? resume = null, IEnumerable<string>? languages = null, string? token = null, params MastodonTestServer[] servers) =>
        new(
            new MastodonSettings
            {
                Instances = [.. (servers.Length > 0 ? servers : [_server]).Select(server => server.Url)],
                Poll = TimeSpan.FromMilliseconds(50),
                Token = token,
                FirstRetryDelay = TimeSpan.FromMilliseconds(10),
                MaxRetryDelay = TimeSpan.FromMilliseconds(50),
            },
            Tag,
            new LanguageFilter(languages ?? []),
            resume,
            _logger);

    private IAsyncEnumerator<SourcedPost> Read(MastodonSource source) => source.ReadAsync(_stop.Token).GetAsyncEnumerator(_stop.Token);

    private static async Task<List<SourcedPost>> NextAsync(IAsyncEnumerator<SourcedPost> items, int count)
    {
        var read = new List<SourcedPost>();
        while (read.Count < count)
        {
            Assert.True(await items.MoveNextAsync(), "the source ended; a live feed never does");
            read.Add(items.Current);
        }

        return read;
    }

    private static string ResumeAt(params (MastodonTestServer Server, string StatusId)[] cursors) =>
        JsonSerializer.Serialize(cursors.ToDictionary(cursor => cursor.Server.Url.ToString().TrimEnd('/'), cursor => cursor.StatusId));

    [Fact]
    public async Task FullPagesAreFollowedAtOnceAndEachNewStatusIsSentOnceInOrder()
    {
        var start = _server.AddStatus(Tag, "<p>before</p>");
        var statuses = _server.AddStatuses(Tag, 95);
        using var source = Source(resume: ResumeAt((_server, start.Id)));
        await using var items = Read(source);

        var posts = await NextAsync(items, 95);
        _server.AddStatus(Tag, "<p>sentinel</p>");
        var next = await NextAsync(items, 1);

        Assert.Equal(Enumerable.Range(1, 95).Select(number => $"post {number}"), posts.Select(post => post.Post!.Text));
        Assert.Equal(statuses.Select(status => status.Uri), posts.Select(post => post.Post!.Id));
        Assert.Equal("sentinel", next[0].Post!.Text);
        var pages = _server.Requests.Where(request => request.Returned > 0).ToList();
        Assert.Equal([40, 40, 15, 1], pages.Select(page => page.Returned));
        Assert.Equal([start.Id, statuses[39].Id, statuses[79].Id, statuses[94].Id], pages.Select(page => page.MinId));
        Assert.All(_server.Requests, request => Assert.Equal(40, request.Limit));
        Assert.Equal(96, source.Counters.Seen);
        Assert.Equal(96, source.Counters.Matched);
    }

    [Fact]
    public async Task FirstPollWithoutResumeStartsWithTheNewestPage()
    {
        _server.AddStatuses(Tag, 50);
        using var source = Source();
        await using var items = Read(source);

        var posts = await NextAsync(items, 40);
        _server.AddStatus(Tag, "<p>sentinel</p>");
        var next = await NextAsync(items, 1);

        Assert.Equal(Enumerable.Range(11, 40).Select(number => $"post {number}"), posts.Select(post => post.Post!.Text));
        Assert.Equal("sentinel", next[0].Post!.Text);
        Assert.Null(_server.Requests[0].MinId);
    }

    [Fact]
    public async Task StatusesOfATagEmptyAtStartAreAllSentHoweverManyComeAtOnce()
    {
        using var source = Source();
        await using var items = Read(source);
        var first = items.MoveNextAsync().AsTask();
        await _server.WaitForRequestsAsync(requests => requests.Count >= 1, Deadline);

        _server.AddStatuses(Tag, 45);
        Assert.True(await first);
        var posts = new List<SourcedPost> { items.Current };
        posts.AddRange(await NextAsync(items, 44));

        Assert.Equal(Enumerable.Range(1, 45).Select(number => $"post {number}"), posts.Select(post => post.Post!.Text));
    }

    [Fact]
    public async Task TooManyRequestsWaitsTheRetryAfterBeforeAskingAgain()
    {
        _server.Enqueue(429, """{"error":"Too many requests"}""", ("Retry-After", "1"));
        _server.AddStatus(Tag, "<p>stout</p>");
        using var source = Source();
        await using var items = Read(source);

        var posts = await NextAsync(items, 1);

        var requests = _server.Requests;
        Assert.Equal("stout", posts[0].Post!.Text);
        Assert.Equal(429, requests[0].StatusCode);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(1), $"asked again {(requests[1].At - requests[0].At).TotalMilliseconds} ms after a Retry-After of 1 s");
        Assert.Contains(_logger.At(LogLevel.Warning), message => message.Contains("rate limited", StringComparison.Ordinal) && message.Contains(_server.Url.ToString().TrimEnd('/'), StringComparison.Ordinal));
        Assert.Equal(1, source.Counters.Reconnects);
    }

    [Fact]
    public async Task UsedUpAllowanceWaitsUntilItsReset()
    {
        var reset = DateTimeOffset.UtcNow.AddSeconds(1);
        _server.Enqueue(200, "[]", ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", reset.ToString("o")));
        _server.AddStatus(Tag, "<p>stout</p>");
        using var source = Source();
        await using var items = Read(source);

        await NextAsync(items, 1);

        var requests = _server.Requests;
        // A poll of 50 ms would have asked again long before the reset; timers round to the millisecond.
        Assert.True(requests[1].At >= reset - TimeSpan.FromMilliseconds(2), $"asked again {(reset - requests[1].At).TotalMilliseconds} ms before the reset");
        Assert.Contains(_logger.At(LogLevel.Information), message => message.Contains("allowance used up", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HtmlContentArrivesAsPlainTextWithTheStatusFields()
    {
        var createdAt = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
        var status = _server.AddStatus(
            Tag,
            """<p>Stout &amp; porter &lt;3 <a href="https://example.social/tags/beer" class="mention hashtag" rel="tag">#<span>beer</span></a></p><p>with <span class="h-card"><a href="https://example.social/@bob" class="u-url mention">@<span>bob</span></a></span><br>see <a href="https://example.com/long/path"><span class="invisible">https://</span><span class="ellipsis">example.com/lo</span><span class="invisible">ng/path</span></a></p>""",
            acct: "ana@example.social",
            createdAt: createdAt);
        using var source = Source();
        await using var items = Read(source);

        var post = (await NextAsync(items, 1))[0].Post!;

        Assert.Equal("Stout & porter <3 #beer\n\nwith @bob\nsee https://example.com/long/path", post.Text);
        Assert.Equal(status.Uri, post.Id);
        Assert.Equal("ana@example.social", post.Author);
        Assert.Equal(createdAt, post.CreatedAt);
        Assert.Equal("mastodon", post.Source);
        Assert.Equal(createdAt, source.Counters.NewestEventAt);
    }

    [Fact]
    public async Task ContentWarningIsTheFirstParagraph()
    {
        _server.AddStatus(Tag, "<p>a hazy ipa</p>", spoilerText: "beer talk");
        using var source = Source();
        await using var items = Read(source);

        var post = (await NextAsync(items, 1))[0].Post!;

        Assert.Equal("beer talk\n\na hazy ipa", post.Text);
    }

    [Fact]
    public async Task BoostOfAStatusAlreadySentIsSkippedAndOfOneNotSentIsSentAsTheOriginal()
    {
        var sent = _server.AddStatus(Tag, "<p>stout</p>");
        using var source = Source();
        await using var items = Read(source);
        await NextAsync(items, 1);

        _server.AddReblog(Tag, sent, acct: "bob");
        var elsewhere = _server.AddStatus("wine", "<p>hazy ipa</p>", acct: "carol@example.org");
        _server.AddReblog(Tag, elsewhere, acct: "dan");
        var post = (await NextAsync(items, 1))[0].Post!;

        Assert.Equal("hazy ipa", post.Text);
        Assert.Equal(elsewhere.Uri, post.Id);
        Assert.Equal("carol@example.org", post.Author);
        Assert.Equal(1, source.Counters.Skipped);
        Assert.Equal(2, source.Counters.Matched);
    }

    [Fact]
    public async Task TwoInstancesAreMergedEachInItsOwnOrder()
    {
        await using var other = await MastodonTestServer.StartAsync();
        _server.AddStatuses(Tag, 30, "one");
        other.AddStatuses(Tag, 30, "two");
        using var source = Source(servers: [_server, other]);
        await using var items = Read(source);

        var texts = (await NextAsync(items, 60)).Select(post => post.Post!.Text).ToList();

        Assert.Equal(Enumerable.Range(1, 30).Select(number => $"one {number}"), texts.Where(text => text.StartsWith("one", StringComparison.Ordinal)));
        Assert.Equal(Enumerable.Range(1, 30).Select(number => $"two {number}"), texts.Where(text => text.StartsWith("two", StringComparison.Ordinal)));
        Assert.Contains(other.Url.ToString().TrimEnd('/'), source.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusThatTwoInstancesKnowIsSentOnce()
    {
        await using var other = await MastodonTestServer.StartAsync();
        var original = _server.AddStatus(Tag, "<p>stout</p>");
        other.AddStatus(Tag, "<p>stout</p>", uri: original.Uri);
        _server.AddStatus(Tag, "<p>sentinel one</p>");
        other.AddStatus(Tag, "<p>sentinel two</p>");
        using var source = Source(servers: [_server, other]);
        await using var items = Read(source);

        // Each sentinel comes after its instance's copy of the status: once both are read, both copies were handled.
        var posts = await NextAsync(items, 3);

        Assert.Equal(["sentinel one", "sentinel two", "stout"], posts.Select(post => post.Post!.Text).Order());
        Assert.Equal(1, source.Counters.Skipped);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(20)]
    [InlineData(38)]
    public async Task ResumingFromAnItemYieldsExactlyTheItemsAfterItOnEveryInstance(int k)
    {
        await using var other = await MastodonTestServer.StartAsync();
        _server.AddStatuses(Tag, 20, "one");
        other.AddStatuses(Tag, 20, "two");
        List<SourcedPost> first;
        using (var source = Source(servers: [_server, other]))
        {
            await using var items = Read(source);
            first = await NextAsync(items, 40);
        }

        using var resumed = Source(resume: first[k].Resume, servers: [_server, other]);
        await using var again = Read(resumed);
        var rest = await NextAsync(again, 40 - k - 1);
        _server.AddStatus(Tag, "<p>sentinel one</p>");
        other.AddStatus(Tag, "<p>sentinel two</p>");
        var sentinels = await NextAsync(again, 2);

        Assert.Equal(first.Skip(k + 1).Select(post => post.Post!.Id).Order(), rest.Select(post => post.Post!.Id).Order());
        foreach (var prefix in new[] { "one", "two" })
        {
            Assert.Equal(
                first.Skip(k + 1).Select(post => post.Post!.Text).Where(text => text.StartsWith(prefix, StringComparison.Ordinal)),
                rest.Select(post => post.Post!.Text).Where(text => text.StartsWith(prefix, StringComparison.Ordinal)));
        }

        Assert.Equal(["sentinel one", "sentinel two"], sentinels.Select(post => post.Post!.Text).Order());
    }

    [Fact]
    public async Task ResumeNamesEveryInstanceAtTheNewestStatusHandedOn()
    {
        await using var other = await MastodonTestServer.StartAsync();
        var one = _server.AddStatuses(Tag, 3, "one");
        var two = other.AddStatuses(Tag, 3, "two");
        using var source = Source(servers: [_server, other]);
        await using var items = Read(source);

        var last = (await NextAsync(items, 6))[^1];

        var cursors = JsonSerializer.Deserialize<Dictionary<string, string>>(last.Resume!)!;
        Assert.Equal(one[^1].Id, cursors[_server.Url.ToString().TrimEnd('/')]);
        Assert.Equal(two[^1].Id, cursors[other.Url.ToString().TrimEnd('/')]);
    }

    [Fact]
    public async Task UnreadableResumeIsLoggedAndTheNewestPageTaken()
    {
        _server.AddStatus(Tag, "<p>stout</p>");
        using var source = Source(resume: "cursor-of-another-feed");
        await using var items = Read(source);

        var posts = await NextAsync(items, 1);

        Assert.Equal("stout", posts[0].Post!.Text);
        Assert.Contains(_logger.At(LogLevel.Warning), message => message.Contains("not a Mastodon one", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LanguageFilterKeepsOnlyTheWantedLanguages()
    {
        _server.AddStatus(Tag, "<p>english</p>", language: "en");
        _server.AddStatus(Tag, "<p>deutsch</p>", language: "de");
        _server.AddStatus(Tag, "<p>british</p>", language: "en-GB");
        _server.AddStatus(Tag, "<p>unknown</p>", language: null);
        _server.AddStatus(Tag, "<p>shouting</p>", language: "EN");
        using var source = Source(languages: ["en"]);
        await using var items = Read(source);

        var posts = await NextAsync(items, 3);

        Assert.Equal(["english", "british", "shouting"], posts.Select(post => post.Post!.Text));
        Assert.Equal(2, source.Counters.Skipped);
        Assert.Equal(5, source.Counters.Seen);
    }

    [Fact]
    public async Task TokenIsSentAsABearerWithTheUserAgent()
    {
        _server.RequiredToken = "s3cret";
        _server.AddStatus(Tag, "<p>stout</p>");
        using var source = Source(token: "s3cret");
        await using var items = Read(source);

        var posts = await NextAsync(items, 1);

        Assert.Equal("stout", posts[0].Post!.Text);
        Assert.All(_server.Requests, request => Assert.Equal("Bearer s3cret", request.Authorization));
        Assert.Contains("OrleansCloud", _server.Requests[0].UserAgent, StringComparison.Ordinal);
        Assert.DoesNotContain(_logger.Entries, entry => entry.Message.Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RefusalIsLoggedAsAnErrorNamingTheInstanceAndTheInstanceIsAskedAgain()
    {
        _server.RequiredToken = "s3cret";
        _server.AddStatus(Tag, "<p>stout</p>");
        using var source = Source();
        await using var items = Read(source);
        var first = items.MoveNextAsync().AsTask();

        await _server.WaitForRequestsAsync(requests => requests.Count(request => request.StatusCode == 401) >= 2, Deadline);
        _server.RequiredToken = null;

        Assert.True(await first);
        Assert.Equal("stout", items.Current.Post!.Text);
        Assert.Contains(_logger.At(LogLevel.Error), message =>
            message.Contains(_server.Url.ToString().TrimEnd('/'), StringComparison.Ordinal) && message.Contains("401", StringComparison.Ordinal) && message.Contains("--token", StringComparison.Ordinal));
        Assert.True(source.Counters.Reconnects >= 2);
    }

    [Theory]
    [InlineData(500, "oops")]
    [InlineData(503, "")]
    [InlineData(200, "{not json")]
    [InlineData(200, """{"error":"not a timeline"}""")]
    public async Task FailedPollsAreRetriedAndTheRecoveryLogged(int statusCode, string body)
    {
        _server.Enqueue(statusCode, body);
        _server.Enqueue(statusCode, body);
        _server.AddStatus(Tag, "<p>stout</p>");
        using var source = Source();
        await using var items = Read(source);

        var posts = await NextAsync(items, 1);

        Assert.Equal("stout", posts[0].Post!.Text);
        Assert.Equal(2, source.Counters.Reconnects);
        var warnings = _logger.At(LogLevel.Warning).Where(message => message.Contains("poll failed", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains("attempt 2", warnings[1], StringComparison.Ordinal);
        Assert.Contains(_logger.At(LogLevel.Information), message => message.Contains("after 2 failed attempts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StatusWithoutTextIsSkippedAndOneWithoutUriReported()
    {
        _server.Enqueue(200, """[{"id":"3","uri":"https://x.example/3","content":"<p>stout</p>"},{"id":"2","content":"<p>no uri</p>"},{"id":"1","uri":"https://x.example/1","content":""}]""");
        using var source = Source();
        await using var items = Read(source);

        var posts = await NextAsync(items, 2);

        Assert.Contains("no \"uri\"", posts[0].Error, StringComparison.Ordinal);
        Assert.Equal("stout", posts[1].Post!.Text);
        Assert.Equal(1, source.Counters.Skipped);
        Assert.Equal(1, source.Counters.Malformed);
    }
}
