using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WordCloud.EndToEndTests.Infrastructure;

namespace WordCloud.EndToEndTests;

/// <summary>The limits per client address, on a silo started with them set low: posts per second and open event streams.</summary>
public sealed class ApiRateLimitEndToEndTests(ApiRateLimitEndToEndTests.LowLimitSilo silo) : IClassFixture<ApiRateLimitEndToEndTests.LowLimitSilo>, IDisposable
{
    public const int PermitsPerSecond = 1;
    public const int Burst = 3;
    public const int MaxEventStreams = 2;

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://127.0.0.1:{silo.Cluster.HttpPorts[0]}"), Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task PostsBeyondTheBurstAnswer429WithRetryAfterAndNameTheLimit()
    {
        // Arrange
        var topic = $"rate{Guid.NewGuid():N}"[..20];
        var path = new Uri($"/api/topics/{topic}/posts", UriKind.Relative);

        // Act: twice the burst, faster than the bucket refills.
        var responses = new List<HttpResponseMessage>();
        for (var post = 0; post < 2 * Burst; post++)
        {
            responses.Add(await _http.PostAsJsonAsync(path, new[] { new { text = $"post {post}" } }));
        }

        // Assert
        Assert.Equal(HttpStatusCode.OK, responses[0].StatusCode);
        var refused = responses.First(response => response.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {refused.Headers.RetryAfter}");
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Contains(
            $"127.0.0.1 posted faster than {PermitsPerSecond} requests per second with bursts of {Burst} (Api:RateLimit:PermitsPerSecond, Api:RateLimit:Burst)",
            problem.GetProperty("detail").GetString(),
            StringComparison.Ordinal);
        var accepted = responses.Count(response => response.StatusCode == HttpStatusCode.OK);
        using var cloud = JsonDocument.Parse(await _http.GetStringAsync(new Uri($"/api/topics/{topic}/cloud", UriKind.Relative)));
        Assert.Equal(accepted, cloud.RootElement.GetProperty("total_appended").GetInt64());
        responses.ForEach(response => response.Dispose());
    }

    [Fact]
    public async Task MoreOpenEventStreamsFromOneAddressThanTheCapAnswer429UntilOneCloses()
    {
        // Arrange: a topic with a post (a topic without is not streamed), and as many streams open as the cap allows.
        var topic = $"streams{Guid.NewGuid():N}"[..36];
        for (var until = DateTime.UtcNow + TimeSpan.FromSeconds(20); ;)
        {
            // The other test may have spent this address's tokens: the post waits for the limiter, as a client would.
            using var post = await _http.PostAsync(new Uri($"/api/topics/{topic}/posts", UriKind.Relative), new StringContent("""[{"text":"stout"}]""", System.Text.Encoding.UTF8, "application/json"));
            if (post.StatusCode != HttpStatusCode.TooManyRequests)
            {
                post.EnsureSuccessStatusCode();
                break;
            }

            Assert.True(DateTime.UtcNow < until, "the rate limiter did not let one post through within 20 s");
            await Task.Delay(post.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
        }

        var path = new Uri($"/api/topics/{topic}/events", UriKind.Relative);
        var open = new List<HttpResponseMessage>();
        for (var stream = 0; stream < MaxEventStreams; stream++)
        {
            open.Add(await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead));
        }

        // Act
        using var refused = await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        open[0].Dispose();
        var reopened = await RetryUntilAsync(() => _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead), response => response.StatusCode == HttpStatusCode.OK);

        // Assert
        Assert.All(open, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Contains($"127.0.0.1 has {MaxEventStreams} event streams open; the limit is {MaxEventStreams} per address (Api:MaxEventStreamsPerAddress)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, reopened.StatusCode);
        reopened.Dispose();
        open.ForEach(response => response.Dispose());
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The silo notices a closed stream when its connection closes: asks again until it has, within a deadline.</summary>
    private static async Task<HttpResponseMessage> RetryUntilAsync(Func<Task<HttpResponseMessage>> send, Func<HttpResponseMessage, bool> done)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var response = await send();
            if (done(response) || DateTime.UtcNow > deadline)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(100);
        }
    }

    /// <summary>One silo whose API limits are low enough to reach from a test.</summary>
    public sealed class LowLimitSilo : IAsyncLifetime
    {
        private LocalCluster? _cluster;

        public LocalCluster Cluster => _cluster ?? throw new InvalidOperationException("The silo has not started.");

        public async Task InitializeAsync() => _cluster = await LocalCluster.StartAsync(
            silos: 1,
            capacity: 100,
            "--Api:RateLimit:PermitsPerSecond", $"{PermitsPerSecond}",
            "--Api:RateLimit:Burst", $"{Burst}",
            "--Api:MaxEventStreamsPerAddress", $"{MaxEventStreams}");

        public async Task DisposeAsync()
        {
            if (_cluster is not null)
            {
                await _cluster.DisposeAsync();
            }
        }
    }
}
