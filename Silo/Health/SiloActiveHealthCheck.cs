using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WordCloud.Silo.Health;

/// <summary>Ready when the cluster's membership lists this silo as active: it takes grain calls.</summary>
public sealed class SiloActiveHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"silo {silo.SiloAddress} is active in cluster {silo.ClusterId}")
            : HealthCheckResult.Unhealthy($"silo {silo.SiloAddress} is {status} in cluster {silo.ClusterId}, not active: it takes no grain calls"));
    }
}
