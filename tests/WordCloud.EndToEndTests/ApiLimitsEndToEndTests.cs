using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WordCloud.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace WordCloud.EndToEndTests;

/// <summary>
/// What <c>POST …/posts</c> refuses, and how: bodies over the size or post limits, other content types, retries with
/// an Idempotency-Key; and that refusing large bodies costs the silo no memory to speak of.
/// </summary>
[Collection(TwoSiloClusterCollection.Name)]
public sealed class ApiLimitsEndToEndTests(TwoSiloClusterFixture fixture, ITestOutputHelper output) : IDisposable
{
    private const long MaxBodyBytes = 4 * 1024 * 1024;
    private const long ThirtyMegabytes = 30L * 1024 * 1024;

    /// <summary>A post of 1,000 characters: a few thousand of them pass the body limit long before the post limit.</summary>
    private static readonly string LargePost = $$"""{"text":"{{string.Join(' ', Enumerable.Repeat("lager", 166))}}"}""";

    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Cluster.HttpPorts[0]}"), Timeout = TimeSpan.FromSeconds(60) };

    [Fact]
    public async Task ABodyWhoseContentLengthPassesTheLimitAnswers413WithoutBeingSent()
    {
        // Arrange: Expect: 100-continue, so the client sends the body only if the silo starts to read it.
        var topic = NewTopic();
        var content = RepeatedJsonContent.OfSize("{}", ThirtyMegabytes, chunked: false);
        using var request = new HttpRequestMessage(HttpMethod.Post, PostsPath(topic)) { Content = content };
        request.Headers.ExpectContinue = true;

        // Act
        using var response = await _http.SendAsync(request);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        // Assert
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"the body is {content.Length} bytes (Content-Length); the limit is {MaxBodyBytes} bytes (Api:MaxBodyBytes)", Detail(problem), StringComparison.Ordinal);
        Assert.Equal(0, await TotalAppendedAsync(topic));
    }

    [Fact]
    public async Task AChunkedBodyThatPassesTheLimitAnswers413AndAppendsNothing()
    {
        // Arrange: 5 MB of valid posts, fewer than the post limit, with no Content-Length.
        var topic = NewTopic();
        var content = RepeatedJsonContent.OfSize(LargePost, 5 * 1024 * 1024, chunked: true);
        Assert.True(content.Count < 10_000);

        // Act
        using var response = await _http.PostAsync(PostsPath(topic), content);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        // Assert
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains($"the body passed {MaxBodyBytes} bytes as it was read; the limit is {MaxBodyBytes} bytes (Api:MaxBodyBytes)", Detail(problem), StringComparison.Ordinal);
        Assert.Equal(0, await TotalAppendedAsync(topic));
    }

    [Fact]
    public async Task ABodyOfMoreThanTenThousandPostsAnswers400AtPost10001AndAppendsNothing()
    {
        // Arrange
        var topic = NewTopic();

        // Act
        using var response = await _http.PostAsync(PostsPath(topic), new RepeatedJsonContent("""{"text":"ale"}""", 10_001, chunked: false));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("the body holds more than 10000 posts (post 10001 was seen); one request takes 1 to 10000 posts", Detail(problem), StringComparison.Ordinal);
        Assert.Equal(0, await TotalAppendedAsync(topic));
    }

    [Fact]
    public async Task ExactlyTenThousandPostsSentChunkedAreAllAppended()
    {
        var topic = NewTopic();
        var content = new RepeatedJsonContent("""{"text":"ale"}""", 10_000, chunked: true);

        using var response = await _http.PostAsync(PostsPath(topic), content);

        Assert.Equal(10_000, content.Count);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(10_000, await TotalAppendedAsync(topic));
    }

    [Theory]
    [InlineData("text/plain", "Content-Type 'text/plain'")]
    [InlineData("application/x-www-form-urlencoded", "Content-Type 'application/x-www-form-urlencoded'")]
    [InlineData("multipart/form-data; boundary=x", "Content-Type 'multipart/form-data; boundary=x'")]
    [InlineData("application/json; charset=latin1", "Content-Type 'application/json; charset=latin1'")]
    [InlineData(null, "no Content-Type")]
    public async Task APostThatIsNotJsonAnswers415NamingTheTypeItHad(string? contentType, string expected)
    {
        // Arrange: a body a cross-site form or a fetch without preflight could send.
        var topic = NewTopic();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""[{"text":"sent by a form"}]"""));
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        // Act
        using var response = await _http.PostAsync(PostsPath(topic), content);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        // Assert
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains($"the request has {expected}; posts must be sent as application/json", Detail(problem), StringComparison.Ordinal);
        Assert.Equal(0, await TotalAppendedAsync(topic));
    }

    [Fact]
    public async Task ARetryWithTheSameIdempotencyKeyIsCountedOnceThroughEitherSilo()
    {
        // Arrange
        var topic = NewTopic();
        var key = $"retry-{Guid.NewGuid():N}";
        using var other = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Cluster.HttpPorts[1]}"), Timeout = TimeSpan.FromSeconds(30) };

        // Act: the first POST, a retry through the same silo, a retry through the other, and the same key on another topic.
        using var first = JsonDocument.Parse(await PostWithKeyAsync(_http, topic, key, ["stout porter", "ale"]));
        using var sameSilo = JsonDocument.Parse(await PostWithKeyAsync(_http, topic, key, ["stout porter", "ale"]));
        using var otherSilo = JsonDocument.Parse(await PostWithKeyAsync(other, topic, key, ["stout porter", "ale"]));
        var otherTopic = NewTopic();
        using var elsewhere = JsonDocument.Parse(await PostWithKeyAsync(_http, otherTopic, key, ["stout porter", "ale"]));

        // Assert
        Assert.Equal(2, first.RootElement.GetProperty("accepted").GetInt32());
        Assert.False(first.RootElement.TryGetProperty("already_applied", out _));
        Assert.Equal(2, sameSilo.RootElement.GetProperty("accepted").GetInt32());
        Assert.True(sameSilo.RootElement.GetProperty("already_applied").GetBoolean());
        Assert.True(otherSilo.RootElement.GetProperty("already_applied").GetBoolean());
        Assert.Equal(0, otherSilo.RootElement.GetProperty("accepted").GetInt32());
        Assert.Equal(2, await TotalAppendedAsync(topic));
        Assert.Equal(2, elsewhere.RootElement.GetProperty("accepted").GetInt32());
        Assert.Equal(2, await TotalAppendedAsync(otherTopic));
    }

    [Theory]
    [InlineData(129, "the Idempotency-Key header is 129 characters long; it must be 1 to 128 visible ASCII characters")]
    [InlineData(0, "the Idempotency-Key header has character U+0020 at position 3")]
    public async Task AnInvalidIdempotencyKeyAnswers400NamingTheRule(int length, string expected)
    {
        // Arrange: a key too long, or one with a space in it.
        var topic = NewTopic();
        using var request = new HttpRequestMessage(HttpMethod.Post, PostsPath(topic)) { Content = JsonContent.Create(new[] { new { text = "ale" } }) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", length > 0 ? new string('k', length) : "key with spaces");

        // Act
        using var response = await _http.SendAsync(request);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Invalid idempotency key", problem.GetProperty("title").GetString());
        Assert.Contains(expected, Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SixThirtyMegabyteBodiesAtOnceGrowTheSilosMemoryByLessThan100Megabytes()
    {
        // Arrange: the silo warmed up by a post, then its resident memory.
        var pid = fixture.Cluster.Silos[0].Id;
        var topic = NewTopic();
        using (var warmUp = await _http.PostAsJsonAsync(PostsPath(topic), new[] { new { text = "warm up" } }))
        {
            warmUp.EnsureSuccessStatusCode();
        }

        var before = Memory(pid);

        // Act: six 30 MB bodies of empty posts at once, then six 30 MB bodies of 1,000-character posts at once, chunked
        // so that the silo has to read them; the first are refused at post 10,001, the others at 4 MB.
        var emptyPosts = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => SendRefusedAsync(topic, RepeatedJsonContent.OfSize("{}", ThirtyMegabytes, chunked: true))));
        var between = Memory(pid);
        var largePosts = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => SendRefusedAsync(topic, RepeatedJsonContent.OfSize(LargePost, ThirtyMegabytes, chunked: true))));
        var after = Memory(pid);

        // Assert
        var grown = (after.Resident - before.Resident) / 1024.0;
        var peakGrown = (after.Peak - before.Peak) / 1024.0;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"silo VmRSS {before.Resident / 1024.0:F1} MB -> {between.Resident / 1024.0:F1} MB after the empty posts -> {after.Resident / 1024.0:F1} MB after the large posts (+{grown:F1} MB); VmHWM {before.Peak / 1024.0:F1} MB -> {after.Peak / 1024.0:F1} MB (+{peakGrown:F1} MB)"));
        Assert.All(emptyPosts, status => Assert.Equal(HttpStatusCode.BadRequest, status));
        Assert.All(largePosts, status => Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status));
        Assert.True(grown < 100, $"the silo's resident memory grew by {grown:F1} MB");
        Assert.Equal(1, await TotalAppendedAsync(topic));
    }

    public void Dispose() => _http.Dispose();

    private static string NewTopic() => $"lim{Guid.NewGuid():N}"[..20];

    private static Uri PostsPath(string topic) => new($"/api/topics/{topic}/posts", UriKind.Relative);

    private static string Detail(JsonElement problem) => problem.GetProperty("detail").GetString() ?? string.Empty;

    /// <summary>VmRSS and VmHWM (the peak) of a process, in KB.</summary>
    private static (long Resident, long Peak) Memory(int pid)
    {
        var lines = File.ReadAllLines($"/proc/{pid}/status");
        long Kilobytes(string name) => long.Parse(lines.Single(line => line.StartsWith(name, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return (Kilobytes("VmRSS:"), Kilobytes("VmHWM:"));
    }

    private Task<HttpStatusCode> SendRefusedAsync(string topic, RepeatedJsonContent content) =>
        EarlyAnswerPost.SendChunkedAsync(fixture.Cluster.HttpPorts[0], PostsPath(topic).OriginalString, content);

    private async Task<long> TotalAppendedAsync(string topic)
    {
        using var answer = await _http.GetAsync(new Uri($"/api/topics/{topic}/cloud", UriKind.Relative));
        if (answer.StatusCode == HttpStatusCode.NotFound)
        {
            // A topic that never had posts: nothing was appended.
            return 0;
        }

        using var cloud = JsonDocument.Parse(await answer.EnsureSuccessStatusCode().Content.ReadAsStringAsync());
        return cloud.RootElement.GetProperty("total_appended").GetInt64();
    }

    private static async Task<string> PostWithKeyAsync(HttpClient http, string topic, string key, string[] texts)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, PostsPath(topic)) { Content = JsonContent.Create(texts.Select(text => new { text })) };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return body;
    }
}
