using System.Globalization;
using System.Net;
using System.Text.Json;
using WordCloud.EndToEndTests.Infrastructure;

namespace WordCloud.EndToEndTests;

/// <summary>A Redis cluster whose Redis goes away for a while under a real producer: what the probes say, and that no post is lost.</summary>
public sealed class HealthEndToEndTests : IAsyncLifetime
{
    private const int Posts = 150;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly string _redisDirectory = Directory.CreateTempSubdirectory("wordcloud-redis-aof-").FullName;
    private readonly int _redisPort = FreePorts.Take(1)[0];
    private RedisServer? _redis;
    private LocalCluster? _cluster;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync(_redisPort, _redisDirectory);
        _cluster = await LocalCluster.StartAsync(silos: 1, capacity: 1000, _redis);
    }

    [Fact]
    public async Task WhileRedisIsGoneReadyIs503NamingItTheProducerRetriesAndAfterwardsEveryPostLandsOnce()
    {
        // Arrange: a producer sending the demo feed, a post every 50 ms, and its first posts acknowledged.
        var topic = $"health{Guid.NewGuid():N}"[..16];
        var before = await ReadAsync("/health/ready");
        await using var producer = RunningProcess.StartExecutable("producer", "dotnet",
            [RepoPaths.ClientDll, "produce", "--topic", topic, "--count", Posts.ToString(CultureInfo.InvariantCulture), "--every", "50ms", "--no-progress", .. _cluster!.GatewayArguments]);
        await producer.WaitForOutputAsync(line => line.Contains(" SPAN  IWordWindowGrain/AppendAsync ", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "a first append");

        // Act: Redis stops; the producer keeps trying; Redis comes back with what it had acknowledged.
        await _redis!.DisposeAsync();
        await producer.WaitForOutputAsync(line => line.Contains("WARN ", StringComparison.Ordinal) && line.Contains(" posts failed (", StringComparison.Ordinal) && line.Contains("sending it again", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "a batch retried");
        var during = await WaitForReadyAsync(HttpStatusCode.ServiceUnavailable);
        using var liveDuring = await _http.GetAsync(Url("/health/live"));
        _redis = await RedisServer.StartAsync(_redisPort, _redisDirectory);
        var exitCode = await producer.WaitForExitAsync(TimeSpan.FromSeconds(120));
        var after = await WaitForReadyAsync(HttpStatusCode.OK);
        var posts = await WindowPosts.ReadAsync(_cluster, topic);

        // Assert
        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.Contains($"Redis at 127.0.0.1:{_redisPort} answered PING", Check(before.Body, "redis").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("Unhealthy", during.Body.GetProperty("status").GetString());
        Assert.Equal("Unhealthy", Check(during.Body, "redis").GetProperty("status").GetString());
        Assert.Contains($"Redis at 127.0.0.1:{_redisPort} did not answer PING", Check(during.Body, "redis").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("Unhealthy", Check(during.Body, "storage").GetProperty("status").GetString());
        Assert.StartsWith("window storage ", Check(during.Body, "storage").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, liveDuring.StatusCode);
        Assert.Equal("Healthy", after.Body.GetProperty("status").GetString());
        Assert.True(exitCode == 0, producer.AllOutput);
        Assert.Contains($"sent={Posts} accepted={Posts} duplicates=0", producer.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", producer.AllOutput, StringComparison.Ordinal);
        Assert.Equal(Posts, posts?.Length);
        Assert.Contains("could not save its state", _cluster.AllSiloOutput, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        Directory.Delete(_redisDirectory, recursive: true);
    }

    private static JsonElement Check(JsonElement report, string name) => report.GetProperty("checks").GetProperty(name);

    private string Url(string path) => $"http://127.0.0.1:{_cluster!.HttpPorts[0].ToString(CultureInfo.InvariantCulture)}{path}";

    private async Task<(HttpStatusCode Status, JsonElement Body)> WaitForReadyAsync(HttpStatusCode wanted)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var ready = await ReadAsync("/health/ready");
            if (ready.Status == wanted || DateTime.UtcNow > deadline)
            {
                return ready.Status == wanted ? ready : throw new Xunit.Sdk.XunitException($"/health/ready stayed {ready.Status} for 60 s: {ready.Body}");
            }

            await Task.Delay(200);
        }
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> ReadAsync(string path)
    {
        using var response = await _http.GetAsync(Url(path));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
