using Microsoft.Extensions.Configuration;

namespace WordCloud.AppHost;

/// <summary>The whole cluster as Aspire resources: Redis, the silos of a Redis cluster, a producer and a scanner.</summary>
public static class WordCloudResources
{
    public const string Redis = "redis";
    public const string Producer = "producer";
    public const string Scanner = "scanner";

    /// <summary>The name of the HTTP endpoint of a silo: the word cloud pages, the JSON API and the Orleans Dashboard.</summary>
    public const string SiloHttp = "http";

    public static string Silo(int instance) => $"silo-{instance}";

    /// <summary>
    /// Adds Redis, <c>Silos</c> silos (3) in a Redis cluster, a producer on the demo feed and a scanner of the topic
    /// <c>Topic</c> (beer). The AppHost's settings: <c>dotnet run --project src/WordCloud.AppHost -- --Topic coffee</c>.
    /// </summary>
    public static IDistributedApplicationBuilder AddWordCloud(this IDistributedApplicationBuilder builder)
    {
        var topic = builder.Configuration.GetValue("Topic", "beer")!;
        var siloCount = builder.Configuration.GetValue("Silos", 3);
        var redis = builder.AddRedisServer(Redis);

        var silos = Enumerable.Range(0, siloCount).Select(instance => builder.AddProject<Projects.Silo>(Silo(instance))
                .WithRedisCluster(redis)
                .WithEnvironment("ORLEANSCLOUD_Silo__Instance", instance.ToString(System.Globalization.CultureInfo.InvariantCulture))
                // Other silos and clients reach this one at its advertised address: loopback, as everything here.
                .WithEnvironment("ORLEANSCLOUD_Silo__AdvertisedAddress", "127.0.0.1")
                .WithEnvironment("ORLEANSCLOUD_Silo__HttpAddress", "127.0.0.1")
                // Aspire picks the port and the silo listens on it itself (no proxy), so the dashboard links straight to it.
                .WithHttpEndpoint(name: SiloHttp, env: "ORLEANSCLOUD_Silo__HttpPort", isProxied: false)
                .WithUrlForEndpoint(SiloHttp, url => (url.Url, url.DisplayText) = ($"/cloud/{topic}", $"#{topic} cloud"))
                .WithUrlForEndpoint(SiloHttp, endpoint => new ResourceUrlAnnotation { Url = $"{endpoint.Url}/dashboard", DisplayText = "Orleans Dashboard" })
                // Ready: active in the cluster, its storage and Redis answering (docs/operations.md, "Health probes").
                .WithHttpHealthCheck("/health/ready", endpointName: SiloHttp)
                .WaitFor(redis))
            .ToList();

        var producer = builder.AddProject<Projects.Client>(Producer)
            .WithArgs("produce", "--topic", topic)
            .WithRedisCluster(redis);
        var scanner = builder.AddProject<Projects.Client>(Scanner)
            .WithArgs("scan", "--topic", topic)
            .WithRedisCluster(redis);
        foreach (var silo in silos)
        {
            producer.WaitFor(silo);
            scanner.WaitFor(silo);
        }

        return builder;
    }

    /// <summary>Our own settings (docs/configuration.md) rather than Aspire's Orleans integration: see docs/apphost.md.</summary>
    private static IResourceBuilder<ProjectResource> WithRedisCluster(this IResourceBuilder<ProjectResource> process, IResourceBuilder<ExecutableResource> redis) =>
        process.WithEnvironment("ORLEANSCLOUD_Cluster__Provider", "Redis")
            .WithEnvironment("ORLEANSCLOUD_Cluster__Redis", redis.ConnectionString());
}
