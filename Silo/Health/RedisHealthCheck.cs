using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WordCloud.ServiceDefaults;

namespace WordCloud.Silo.Health;

/// <summary>
/// In a Redis cluster, ready when Redis answers PING: it holds the membership as well as the windows. Uses a connection
/// of its own, opened at the first check and kept, so a Redis that comes back is seen again at the next check.
/// </summary>
public sealed class RedisHealthCheck(IOptions<ClusterSettings> settings) : IHealthCheck, IAsyncDisposable
{
    private readonly ClusterSettings _cluster = settings.Value;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _redis;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var redis = await ConnectAsync(cancellationToken);
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy($"Redis at {_cluster.RedisEndpoints} answered PING in {latency.TotalMilliseconds:0.0} ms");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"Redis at {_cluster.RedisEndpoints} did not answer PING within {SiloHealth.CheckTimeout.TotalSeconds:0} s");
        }
        catch (Exception failure) when (failure is RedisException or TimeoutException)
        {
            // The message names the endpoint, never the connection string's password.
            return HealthCheckResult.Unhealthy($"Redis at {_cluster.RedisEndpoints} did not answer PING: {failure.GetType().Name}: {failure.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        _connecting.Dispose();
    }

    private async Task<ConnectionMultiplexer> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_redis is { } connected)
        {
            return connected;
        }

        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (_redis is null)
            {
                var options = ConfigurationOptions.Parse(_cluster.Redis);
                // Keep trying in the background rather than fail for good: Redis may be down when the first check runs.
                options.AbortOnConnectFail = false;
                options.ConnectTimeout = (int)SiloHealth.CheckTimeout.TotalMilliseconds;
                options.ClientName = "wordcloud-silo-health";
                _redis = await ConnectionMultiplexer.ConnectAsync(options);
            }

            return _redis;
        }
        finally
        {
            _connecting.Release();
        }
    }
}
