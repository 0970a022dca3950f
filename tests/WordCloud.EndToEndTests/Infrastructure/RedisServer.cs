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

    public static Task<RedisServer> StartAsync() => StartAsync(FreePorts.Take(1)[0], appendOnlyDirectory: null);

    /// <summary>
    /// A Redis on <paramref name="port"/>; with <paramref name="appendOnlyDirectory"/>, one that logs every write to an
    /// append-only file there (fsync on each), so a Redis started again on the same directory has everything it acknowledged.
    /// </summary>
    public static async Task<RedisServer> StartAsync(int port, string? appendOnlyDirectory)
    {
        var executable = Environment.GetEnvironmentVariable("REDIS_SERVER_PATH") is { Length: > 0 } path ? path : "redis-server";
        string[] persistence = appendOnlyDirectory is null
            ? ["--appendonly", "no"]
            : ["--appendonly", "yes", "--appendfsync", "always", "--dir", appendOnlyDirectory];
        var process = RunningProcess.StartExecutable("redis", executable,
            ["--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--save", "", .. persistence]);
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
