using System.Net;
using WordCloud.ServiceDefaults;

namespace WordCloud.Client.Cluster;

/// <summary>How a client command reaches the cluster and how much it logs.</summary>
/// <param name="Gateways">The gateways to connect through; any live one will do.</param>
/// <param name="ConnectTimeout">How long to keep trying to reach a gateway before giving up.</param>
/// <param name="Verbose">Debug logging.</param>
/// <param name="ServiceInstanceId">Tells client processes apart in telemetry ("produce-beer").</param>
/// <param name="Cluster">--cluster, overriding the "Cluster:Provider" setting; null keeps the setting.</param>
/// <param name="Redis">--redis, overriding the "Cluster:Redis" setting; null keeps the setting.</param>
/// <param name="TlsCertificate">--tls-certificate, overriding the "Tls:CertificatePath" setting; null keeps the setting.</param>
/// <param name="TlsThumbprints">--tls-thumbprint, replacing the "Tls:AllowedThumbprints" setting; empty keeps the setting.</param>
public sealed record ClientSettings(
    IReadOnlyList<IPEndPoint> Gateways,
    TimeSpan ConnectTimeout,
    bool Verbose,
    string ServiceInstanceId,
    ClusterProvider? Cluster = null,
    string? Redis = null,
    string? TlsCertificate = null,
    IReadOnlyList<string>? TlsThumbprints = null);
