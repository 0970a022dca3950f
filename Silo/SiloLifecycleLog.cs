using Microsoft.Extensions.Options;
using WordCloud.Grains.Windows;

namespace WordCloud.Silo;

/// <summary>Logs the silo's configuration as it starts, where to reach it once it has, and its shutdown.</summary>
internal sealed partial class SiloLifecycleLog(
    IOptions<SiloHostOptions> silo,
    IOptions<WordWindowOptions> windows,
    ILogger<SiloLifecycleLog> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        var options = silo.Value;
        LogStarting(logger, options.Instance, options.ClusterId, options.ServiceId, options.EffectiveSiloPort,
            options.EffectiveGatewayPort, options.PrimarySiloPort, options.HttpUrl, windows.Value.Capacity, windows.Value.ExcludeTopicWord);
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var options = silo.Value;
        LogStarted(logger, options.Instance, options.EffectiveGatewayPort, options.HttpUrl);
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

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Instance} starting: cluster {ClusterId}/{ServiceId}, localhost clustering, silo port {SiloPort}, gateway port {GatewayPort}, primary silo 127.0.0.1:{PrimarySiloPort}, HTTP {HttpUrl}, in-memory grain storage, window capacity {Capacity}, topic word excluded: {ExcludeTopicWord}")]
    private static partial void LogStarting(ILogger logger, int instance, string clusterId, string serviceId, int siloPort, int gatewayPort, int primarySiloPort, string httpUrl, int capacity, bool excludeTopicWord);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Instance} is up: clients connect to gateway 127.0.0.1:{GatewayPort}; dashboard at {HttpUrl}/dashboard")]
    private static partial void LogStarted(ILogger logger, int instance, int gatewayPort, string httpUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Instance} stopping: leaving the cluster gracefully")]
    private static partial void LogStopping(ILogger logger, int instance);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Instance} stopped")]
    private static partial void LogStopped(ILogger logger, int instance);
}
