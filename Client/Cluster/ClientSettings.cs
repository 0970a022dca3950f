using System.Net;

namespace WordCloud.Client.Cluster;

/// <summary>How a client command reaches the cluster and how much it logs.</summary>
/// <param name="Gateways">The gateways to connect through; any live one will do.</param>
/// <param name="ConnectTimeout">How long to keep trying to reach a gateway before giving up.</param>
/// <param name="Verbose">Debug logging.</param>
/// <param name="ServiceInstanceId">Tells client processes apart in telemetry ("produce-beer").</param>
public sealed record ClientSettings(IReadOnlyList<IPEndPoint> Gateways, TimeSpan ConnectTimeout, bool Verbose, string ServiceInstanceId);
