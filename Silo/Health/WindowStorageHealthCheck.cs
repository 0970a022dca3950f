using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Storage;
using WordCloud.Grains;
using WordCloud.Grains.Windows;

namespace WordCloud.Silo.Health;

/// <summary>
/// Ready when the windows' storage answers a read: the same provider, and the same path, the windows' saves take (a
/// store grain in a localhost cluster, Redis in a Redis cluster). The record read is never written.
/// </summary>
public sealed class WindowStorageHealthCheck(
    [FromKeyedServices(WordWindowGrain.StorageName)] IGrainStorage storage,
    ILocalSiloDetails silo) : IHealthCheck
{
    /// <summary>A grain id of its own per silo, that no window ever has.</summary>
    private readonly GrainId _probe = GrainId.Create("wordcloud-health", silo.Name);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var state = new GrainState<StoredWindowHead>();
            // Providers may not watch the token; the wait does, so a storage that never answers is reported, not waited on.
            await storage.ReadStateAsync("probe", _probe, state, cancellationToken).WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy("window storage answered a read");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"window storage did not answer a read within {SiloHealth.CheckTimeout.TotalSeconds:0} s");
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"window storage failed a read: {failure.GetType().Name}: {failure.Message}");
        }
    }
}
