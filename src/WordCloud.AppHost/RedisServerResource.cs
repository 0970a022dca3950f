using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WordCloud.AppHost;

/// <summary>
/// Redis as a local redis-server process rather than a container: the machines this runs on have no container engine.
/// It listens on 127.0.0.1 only, on a port Aspire picks, and saves nothing to disk.
/// </summary>
public static class RedisServerResource
{
    public const string EndpointName = "tcp";

    public static IResourceBuilder<ExecutableResource> AddRedisServer(this IDistributedApplicationBuilder builder, string name)
    {
        var redis = builder.AddExecutable(name, "redis-server", Path.GetTempPath())
            .WithEndpoint(name: EndpointName, scheme: "tcp", isProxied: false);
        var endpoint = redis.GetEndpoint(EndpointName);
        redis.WithArgs(context =>
        {
            context.Args.Add("--bind");
            context.Args.Add("127.0.0.1");
            context.Args.Add("--port");
            context.Args.Add(endpoint.Property(EndpointProperty.TargetPort));
            context.Args.Add("--save");
            context.Args.Add("");
            context.Args.Add("--appendonly");
            context.Args.Add("no");
        });

        // Running is not ready: the silos wait until Redis answers PING, or they would fail to reach it at start.
        var check = $"{name}-ping";
        builder.Services.AddHealthChecks().AddAsyncCheck(check, cancellationToken => PingAsync(endpoint, cancellationToken));
        return redis.WithHealthCheck(check);
    }

    /// <summary>The StackExchange.Redis connection string of that server, as the silos and clients read it.</summary>
    public static ReferenceExpression ConnectionString(this IResourceBuilder<ExecutableResource> redis) =>
        ReferenceExpression.Create($"127.0.0.1:{redis.GetEndpoint(EndpointName).Property(EndpointProperty.TargetPort)}");

    private static async Task<HealthCheckResult> PingAsync(EndpointReference endpoint, CancellationToken cancellationToken)
    {
        if (!endpoint.IsAllocated)
        {
            return HealthCheckResult.Unhealthy("the port is not allocated yet");
        }

        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", endpoint.TargetPort ?? endpoint.Port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
            var reply = new byte[64];
            var read = await stream.ReadAsync(reply, cancellationToken);
            var answer = Encoding.ASCII.GetString(reply, 0, read);
            return answer.StartsWith("+PONG", StringComparison.Ordinal)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"PING answered {answer.Trim()}");
        }
        catch (SocketException refused)
        {
            // Expected while redis-server starts: one line, no stack trace.
            return HealthCheckResult.Unhealthy($"no answer on the Redis port yet: {refused.Message}");
        }
    }
}
