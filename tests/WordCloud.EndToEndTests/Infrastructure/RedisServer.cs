using System.Globalization;

namespace WordCloud.EndToEndTests.Infrastructure;

/// <summary>A real redis-server (Debian's package) on a free loopback port, nothing saved to disk.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly RunningProcess _process;

    private RedisServer(RunningProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static async Task<RedisServer> StartAsync()
    {
        var port = FreePorts.Take(1)[0];
        var executable = Environment.GetEnvironmentVariable("REDIS_SERVER_PATH") is { Length: > 0 } path ? path : "redis-server";
        var process = RunningProcess.StartExecutable("redis", executable,
            ["--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no"]);
        var redis = new RedisServer(process, port);
        try
        {
            await process.WaitForOutputAsync(line => line.Contains("Ready to accept connections", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "that it accepts connections");
        }
        catch
        {
            await redis.DisposeAsync();
            throw;
        }

        return redis;
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
