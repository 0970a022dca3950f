using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using WordCloud.ServiceDefaults;
using WordCloud.Silo.Security;

namespace WordCloud.Silo.Health;

/// <summary>
/// <c>/health/live</c> (the process answers HTTP) and <c>/health/ready</c> (the silo is active in the cluster, its
/// window storage answers, and in a Redis cluster Redis answers PING) for load balancers and orchestrators. Each
/// answers JSON: the status and, for ready, each check with what it saw; ready answers 503 when a check fails.
/// </summary>
public static class SiloHealth
{
    public const string LivePath = ApiKeyGate.HealthPath + "/live";
    public const string ReadyPath = ApiKeyGate.HealthPath + "/ready";

    /// <summary>How long a check may take before it counts as failed: a probe must not hang on a storage that is gone.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    private const string ReadyTag = "ready";

    public static WebApplicationBuilder AddSiloHealth(this WebApplicationBuilder builder, ClusterSettings cluster)
    {
        var checks = builder.Services.AddHealthChecks()
            .AddCheck<SiloActiveHealthCheck>("silo", tags: [ReadyTag], timeout: CheckTimeout)
            .AddCheck<WindowStorageHealthCheck>("storage", tags: [ReadyTag], timeout: CheckTimeout);
        if (cluster.Provider == ClusterProvider.Redis)
        {
            builder.Services.AddSingleton<RedisHealthCheck>();
            checks.AddCheck<RedisHealthCheck>("redis", tags: [ReadyTag], timeout: CheckTimeout);
        }

        return builder;
    }

    public static IEndpointRouteBuilder MapSiloHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });
        return endpoints;
    }

    /// <summary><c>{"status":"Unhealthy","checks":{"storage":{"status":"Unhealthy","description":"…","seconds":3.0}}}</c></summary>
    /// <remarks>
    /// With <c>Silo:ApiKey</c> set, only a request that offers the key reads the descriptions (they name addresses and
    /// errors); others read the statuses.
    /// </remarks>
    private static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        var details = !context.RequestServices.GetRequiredService<IOptions<SiloHostOptions>>().Value.HasApiKey
            || context.Items.ContainsKey(ApiKeyGate.KeyOfferedItem);
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            if (details)
            {
                json.WriteString("description", entry.Description ?? entry.Exception?.Message);
            }

            json.WriteNumber("seconds", Math.Round(entry.Duration.TotalSeconds, 3));
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}
