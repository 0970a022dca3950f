using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WordCloud.EndToEndTests.Infrastructure;

namespace WordCloud.EndToEndTests;

/// <summary>The silo's JSON API and pages, through the real HTTP pipeline of a real silo process.</summary>
[Collection(TwoSiloClusterCollection.Name)]
public sealed class ApiEndToEndTests(TwoSiloClusterFixture fixture) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Cluster.HttpPorts[0]}"), Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task PostingPostsAnswersAcceptedAndRejectedCountsAndTheTopicIsListed()
    {
        // Arrange
        var topic = NewTopic();
        var body = """[{"text":"stout stout porter","author":"ann","created_at":"2026-11-26T10:00:00Z"},{"text":"   "},{"author":"nobody"},{"text":"porter ale"}]""";

        // Act
        var post = await _http.PostAsync(new Uri($"/api/topics/{topic}/posts", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        using var answer = JsonDocument.Parse(await post.Content.ReadAsStringAsync());
        // The list comes from the topic directory, which each window tells what it holds within seconds of a change.
        using var topics = await WaitForListedCountAsync(topic, 2);

        // Assert
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(2, answer.RootElement.GetProperty("accepted").GetInt32());
        Assert.Equal(2, answer.RootElement.GetProperty("rejected").GetInt32());
        var rejections = answer.RootElement.GetProperty("rejections").EnumerateArray().ToArray();
        Assert.Equal([1, 2], rejections.Select(rejection => rejection.GetProperty("index").GetInt32()));
        Assert.Contains("empty or whitespace", rejections[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        var listed = Assert.Single(topics.RootElement.EnumerateArray(), entry => entry.GetProperty("topic").GetString() == topic);
        Assert.Equal(2, listed.GetProperty("count").GetInt32());
        Assert.Equal(TwoSiloClusterFixture.Capacity, listed.GetProperty("capacity").GetInt32());
    }

    [Fact]
    public async Task CloudAndPostsDescribeTheWindow()
    {
        // Arrange
        var topic = NewTopic();
        await PostAsync(topic, ["stout stout porter", "porter ale stout", "lager"]);

        // Act
        using var cloud = JsonDocument.Parse(await _http.GetStringAsync(new Uri($"/api/topics/{topic}/cloud?top=2", UriKind.Relative)));
        using var posts = JsonDocument.Parse(await _http.GetStringAsync(new Uri($"/api/topics/{topic}/posts", UriKind.Relative)));

        // Assert
        var root = cloud.RootElement;
        Assert.Equal(topic, root.GetProperty("topic").GetString());
        Assert.Equal(TwoSiloClusterFixture.Capacity, root.GetProperty("capacity").GetInt32());
        Assert.Equal(3, root.GetProperty("count").GetInt32());
        Assert.Equal(
            [("stout", 3), ("porter", 2)],
            root.GetProperty("words").EnumerateArray().Select(word => (word.GetProperty("word").GetString(), word.GetProperty("count").GetInt32())));
        Assert.Equal(
            ["stout stout porter", "porter ale stout", "lager"],
            posts.RootElement.EnumerateArray().Select(post => post.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task ABurstWordLeadsTheRisingWordsOfTheRisingEndpointTheCloudAndTheEventStream()
    {
        // Arrange: 20 steady posts (each word in half of them), then 12 that name a new word beside the steady ones.
        var topic = NewTopic();
        string[] steady = ["stout porter", "hoppy lager", "stout lager", "hoppy porter"];
        await PostAsync(topic, Enumerable.Range(0, 20).Select(index => steady[index % 4]));
        await PostAsync(topic, Enumerable.Range(0, 12).Select(index => $"zymurgy {steady[index % 4]}"));

        // Act
        using var rising = JsonDocument.Parse(await _http.GetStringAsync(new Uri($"/api/topics/{topic}/rising?top=3", UriKind.Relative)));
        using var cloud = JsonDocument.Parse(await _http.GetStringAsync(new Uri($"/api/topics/{topic}/cloud?top=5&rising=3", UriKind.Relative)));
        using var stream = new StreamReader(await _http.GetStreamAsync(new Uri($"/api/topics/{topic}/events?top=5&rising=3", UriKind.Relative)));
        var pushed = await NextCloudEventAsync(stream);

        // Assert: 12 mentions in the newer 16 posts against none in the older 16, 12 / √(12 + 2); the steady words did not rise.
        Assert.Equal(topic, rising.RootElement.GetProperty("topic").GetString());
        var first = Assert.Single(rising.RootElement.GetProperty("words").EnumerateArray());
        Assert.Equal(["word", "count", "baseline", "score"], first.EnumerateObject().Select(property => property.Name));
        Assert.Equal(("zymurgy", 12, 0.0, 3.207), (first.GetProperty("word").GetString(), first.GetProperty("count").GetInt32(), first.GetProperty("baseline").GetDouble(), first.GetProperty("score").GetDouble()));
        Assert.Equal(first.ToString(), Assert.Single(cloud.RootElement.GetProperty("rising").EnumerateArray()).ToString());
        Assert.Equal(first.ToString(), Assert.Single(pushed.GetProperty("rising").EnumerateArray()).ToString());
    }

    [Theory]
    [InlineData("/api/topics/be%20er/cloud", "invalid topic 'be er'")]
    [InlineData("/api/topics/beer!/posts", "invalid topic 'beer!'")]
    [InlineData("/api/topics/beer/cloud?top=0", "invalid top 0: it must be between 1 and 1000")]
    [InlineData("/api/topics/beer/cloud?top=1001", "invalid top 1001: it must be between 1 and 1000")]
    [InlineData("/api/topics/beer/events?top=5000", "invalid top 5000")]
    [InlineData("/api/topics/beer/rising?top=0", "invalid top 0: it must be between 1 and 100")]
    [InlineData("/api/topics/beer/cloud?rising=101", "invalid rising 101: it must be between 0 (none) and 100")]
    [InlineData("/api/topics/beer/events?rising=-1", "invalid rising -1")]
    public async Task AnInvalidTopicOrCountAnswers400WithProblemDetailsNamingTheRule(string path, string expected)
    {
        var response = await _http.GetAsync(new Uri(path, UriKind.Relative));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("nope", "must be a JSON array of posts")]
    [InlineData("[]", "1 to 10000 posts; it held 0")]
    [InlineData("{\"text\":\"not in an array\"}", "must be a JSON array of posts")]
    public async Task AMalformedPostBodyAnswers400AndNamesTheProblem(string body, string expected)
    {
        var response = await _http.PostAsync(new Uri($"/api/topics/{NewTopic()}/posts", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheEventStreamPushesTheCloudAgainWhenPostsArrive()
    {
        // Arrange: a stream open on a topic with one post.
        var topic = NewTopic();
        await PostAsync(topic, ["first words"]);
        using var stream = new StreamReader(await _http.GetStreamAsync(new Uri($"/api/topics/{topic}/events?top=10", UriKind.Relative)));
        var first = await NextCloudEventAsync(stream);

        // Act
        await PostAsync(topic, ["second words arrive"]);
        var second = await NextCloudEventAsync(stream);

        // Assert
        Assert.Equal(1, first.GetProperty("total_appended").GetInt64());
        Assert.Equal(2, second.GetProperty("total_appended").GetInt64());
        Assert.Contains(second.GetProperty("words").EnumerateArray(), word => word.GetProperty("word").GetString() == "arrive");
        Assert.Equal("second words arrive", second.GetProperty("newest_posts").EnumerateArray().Last().GetProperty("text").GetString());
    }

    [Fact]
    public async Task APostThroughOneSiloReachesAStreamOpenOnTheOtherAndACloudReadAfterAPostShowsIt()
    {
        // Arrange: a stream open on silo 1 (which watches the topic from then on); silo 0 is where posts go.
        var topic = NewTopic();
        await PostAsync(topic, ["first words"]);
        using var other = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Cluster.HttpPorts[1]}"), Timeout = TimeSpan.FromSeconds(30) };
        using var stream = new StreamReader(await other.GetStreamAsync(new Uri($"/api/topics/{topic}/events?top=10", UriKind.Relative)));
        var first = await NextCloudEventAsync(stream);
        using var before = JsonDocument.Parse(await _http.GetStringAsync(new Uri($"/api/topics/{topic}/cloud", UriKind.Relative)));

        // Act: a post through silo 0, then a cloud read there at once.
        await PostAsync(topic, ["pushed across silos"]);
        using var after = JsonDocument.Parse(await _http.GetStringAsync(new Uri($"/api/topics/{topic}/cloud", UriKind.Relative)));
        var pushed = await NextCloudEventAsync(stream);

        // Assert
        Assert.Equal(1, first.GetProperty("total_appended").GetInt64());
        Assert.Equal(1, before.RootElement.GetProperty("total_appended").GetInt64());
        Assert.Equal(2, after.RootElement.GetProperty("total_appended").GetInt64());
        Assert.Equal(2, pushed.GetProperty("total_appended").GetInt64());
        Assert.Equal("pushed across silos", pushed.GetProperty("newest_posts").EnumerateArray().Last().GetProperty("text").GetString());
    }

    [Fact]
    public async Task ManyOpenStreamsOfATopicAreOneWatchOfItsWindowPerSilo()
    {
        // Arrange
        var topic = NewTopic();
        await PostAsync(topic, ["many readers"]);

        // Act: five streams and a cloud read on silo 0, all open at once.
        var streams = new List<StreamReader>();
        for (var page = 0; page < 5; page++)
        {
            streams.Add(new StreamReader(await _http.GetStreamAsync(new Uri($"/api/topics/{topic}/events?top=5", UriKind.Relative))));
        }

        foreach (var stream in streams)
        {
            await NextCloudEventAsync(stream);
        }

        await _http.GetStringAsync(new Uri($"/api/topics/{topic}/cloud", UriKind.Relative));
        await PostAsync(topic, ["one more post"]);
        foreach (var stream in streams)
        {
            Assert.Equal(2, (await NextCloudEventAsync(stream)).GetProperty("total_appended").GetInt64());
            stream.Dispose();
        }

        // Assert: silo 0 logged that it watches the window once.
        var watching = fixture.Cluster.Silos[0].AllOutput.Split('\n').Count(line => line.Contains($"Watching the window of {topic}:", StringComparison.Ordinal));
        Assert.Equal(1, watching);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/cloud/beer")]
    public async Task PagesAreServedWithAPolicyThatAllowsNoInlineScript(string path)
    {
        var response = await _http.GetAsync(new Uri(path, UriKind.Relative));
        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLayoutLibraryInstalledFromNpmIsServedByTheSilo()
    {
        var response = await _http.GetAsync(new Uri("/assets/lib/d3.layout.cloud.js", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("cloud", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public void Dispose() => _http.Dispose();

    private static string NewTopic() => $"api{Guid.NewGuid():N}"[..20];

    private async Task PostAsync(string topic, IEnumerable<string> texts)
    {
        var response = await _http.PostAsJsonAsync(new Uri($"/api/topics/{topic}/posts", UriKind.Relative), texts.Select(text => new { text }));
        response.EnsureSuccessStatusCode();
    }

    private static async Task<JsonElement> NextCloudEventAsync(StreamReader stream)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var eventType = string.Empty;
        while (await stream.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                eventType = line["event:".Length..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal) && eventType == "cloud")
            {
                return JsonDocument.Parse(line["data:".Length..]).RootElement.Clone();
            }
        }

        throw new InvalidOperationException("The event stream ended.");
    }

    /// <summary>The topic list once it shows <paramref name="topic"/> with <paramref name="count"/> posts.</summary>
    private async Task<JsonDocument> WaitForListedCountAsync(string topic, int count)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var topics = JsonDocument.Parse(await _http.GetStringAsync(new Uri("/api/topics", UriKind.Relative)));
            if (topics.RootElement.EnumerateArray().Any(entry => entry.GetProperty("topic").GetString() == topic && entry.GetProperty("count").GetInt32() == count))
            {
                return topics;
            }

            topics.Dispose();
            Assert.True(DateTime.UtcNow < until, $"the topic list did not show {topic} with {count} posts within 20 s");
            await Task.Delay(100);
        }
    }
}
