using Microsoft.Extensions.Options;
using WordCloud.Grains.Windows;
using WordCloud.ServiceDefaults;

namespace WordCloud.Silo;

/// <summary>Logs the silo's configuration as it starts, where to reach it once it has, and its shutdown.</summary>
internal sealed partial class SiloLifecycleLog(
    IOptions<SiloHostOptions> silo,
    IOptions<ClusterSettings> cluster,
    IOptions<WordWindowOptions> windows,
    IOptions<TlsSettings> tls,
    ILogger<SiloLifecycleLog> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        var options = silo.Value;
        var joined = cluster.Value;
        var (clustering, storage) = joined.Provider == ClusterProvider.Redis
            ? ($"Redis clustering at {joined.RedisEndpoints}", "Redis grain storage")
            : ($"localhost clustering through primary silo 127.0.0.1:{options.PrimarySiloPort}", "in-memory grain storage");
        LogStarting(logger, options.Instance, joined.ClusterId, joined.ServiceId, clustering, options.AdvertisedAddress, options.EffectiveSiloPort,
            options.EffectiveGatewayPort, options.HttpUrl, storage, windows.Value.Capacity, windows.Value.ExcludeTopicWord);
        LogCollector(logger, DescribeCollector(GC.GetConfigurationVariables()));
        LogTransport(logger, DescribeTransport(tls.Value));
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var options = silo.Value;
        LogStarted(logger, options.Instance, options.AdvertisedAddress, options.EffectiveGatewayPort, options.HttpUrl);
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        LogStopping(logger, silo.Value.Instance);
        return Task.CompletedTask;
    }

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        LogStopped(logger, silo.Value.Instance);
        return Task.CompletedTask;
    }

    /// <summary>The garbage collector's mode as the runtime applied it (settings come from runtimeconfig or DOTNET_ variables).</summary>
    private static string DescribeCollector(IReadOnlyDictionary<string, object> settings)
    {
        var kind = settings.GetValueOrDefault("ServerGC") is true ? "server" : "workstation";
        var concurrent = settings.GetValueOrDefault("ConcurrentGC") is true ? "concurrent" : "not concurrent";
        var conserve = settings.GetValueOrDefault("GCConserveMem") ?? 0;
        var why = kind == "workstation"
            ? " as Silo.csproj asks (Orleans' note above recommending ServerGC is expected; DOTNET_gcServer=1 turns it on)"
            : string.Empty;
        return $"{kind}, {concurrent}, conserve memory {conserve} (0-9){why}";
    }

    private static string DescribeTransport(TlsSettings tls)
    {
        if (!tls.Enabled)
        {
            return "plain TCP (no Tls settings)";
        }

        var trust = tls.AllowedThumbprints.Count > 0 ? $"certificates pinned by Tls:AllowedThumbprints ({tls.AllowedThumbprints.Count})" : "certificates chained to a trusted root";
        var clients = tls.RequireClientCertificate ? "clients must present one too" : "clients need no certificate";
        return $"TLS; silos present and check {trust}; {clients}";
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Instance} starting: cluster {ClusterId}/{ServiceId}, {Clustering}, address {Address}, silo port {SiloPort}, gateway port {GatewayPort}, HTTP {HttpUrl}, {Storage}, window capacity {Capacity}, topic word excluded: {ExcludeTopicWord}")]
    private static partial void LogStarting(ILogger logger, int instance, string clusterId, string serviceId, string clustering, string address, int siloPort, int gatewayPort, string httpUrl, string storage, int capacity, bool excludeTopicWord);

    [LoggerMessage(Level = LogLevel.Information, Message = "Garbage collector: {Collector}")]
    private static partial void LogCollector(ILogger logger, string collector);

    [LoggerMessage(Level = LogLevel.Information, Message = "Orleans traffic between silos and from clients: {Transport}")]
    private static partial void LogTransport(ILogger logger, string transport);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Instance} is up: clients connect to gateway {Address}:{GatewayPort}; word cloud at {HttpUrl}/, dashboard at {HttpUrl}/dashboard")]
    private static partial void LogStarted(ILogger logger, int instance, string address, int gatewayPort, string httpUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Instance} stopping: leaving the cluster gracefully")]
    private static partial void LogStopping(ILogger logger, int instance);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Instance} stopped")]
    private static partial void LogStopped(ILogger logger, int instance);
}
