using System.Globalization;
using System.Net;
using System.Text.Json;
using WordCloud.EndToEndTests.Infrastructure;

namespace WordCloud.EndToEndTests;

/// <summary>A silo of a Redis cluster whose Redis goes away: what its health probes say.</summary>
public sealed class HealthEndToEndTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private RedisServer? _redis;
    private LocalCluster? _cluster;
    private bool _redisStopped;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _cluster = await LocalCluster.StartAsync(silos: 1, capacity: 10, _redis);
    }

    [Fact]
    public async Task ReadyTurns503NamingRedisAndTheStorageWhenRedisIsGoneWhileLiveStays200()
    {
        // Arrange
        var ready = Url("/health/ready");
        var before = await ReadAsync(ready);

        // Act
        await _redis!.DisposeAsync();
        _redisStopped = true;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        (HttpStatusCode Status, JsonElement Body) after;
        while (true)
        {
            after = await ReadAsync(ready);
            if (after.Status != HttpStatusCode.OK || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(200);
        }

        using var live = await _http.GetAsync(Url("/health/live"));

        // Assert
        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.Equal("Healthy", before.Body.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
        Assert.Contains($"Redis at {_redis.ConnectionString} answered PING", before.Body.GetProperty("checks").GetProperty("redis").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, after.Status);
        Assert.Equal("Unhealthy", after.Body.GetProperty("status").GetString());
        var redis = after.Body.GetProperty("checks").GetProperty("redis");
        Assert.Equal("Unhealthy", redis.GetProperty("status").GetString());
        Assert.Contains($"Redis at {_redis.ConnectionString} did not answer PING", redis.GetProperty("description").GetString(), StringComparison.Ordinal);
        var storage = after.Body.GetProperty("checks").GetProperty("storage");
        Assert.Equal("Unhealthy", storage.GetProperty("status").GetString());
        Assert.StartsWith("window storage", storage.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_cluster is not null)
        {
            // Its Redis is gone: a graceful stop would wait on the membership table in vain.
            await _cluster.KillSiloAsync(0);
            await _cluster.DisposeAsync();
        }

        if (_redis is not null && !_redisStopped)
        {
            await _redis.DisposeAsync();
        }
    }

    private Uri Url(string path) => new($"http://127.0.0.1:{_cluster!.HttpPorts[0].ToString(CultureInfo.InvariantCulture)}{path}");

    private async Task<(HttpStatusCode Status, JsonElement Body)> ReadAsync(Uri url)
    {
        using var response = await _http.GetAsync(url);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
