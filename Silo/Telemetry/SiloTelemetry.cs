using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using WordCloud.Grains;
using WordCloud.Grains.Storage;
using WordCloud.ServiceDefaults;
using WordCloud.Silo.Security;

namespace WordCloud.Silo.Telemetry;

/// <summary>
/// What a silo adds to the shared telemetry: a span for every HTTP request (so a POST's trace continues into the window
/// grain and its storage calls) and <c>/metrics</c>, every meter below in Prometheus' text format.
/// </summary>
/// <remarks>
/// The scrape has a meter provider of its own, with the views Prometheus needs (<see cref="ScrapedForm"/>), so that
/// OTLP, when it is set, still gets every instrument as its meter made it.
/// </remarks>
public static class SiloTelemetry
{
    public const string MetricsPath = ApiKeyGate.MetricsPath;

    /// <summary>
    /// The meters scraped: Orleans', the project's, ASP.NET Core's requests, Kestrel's connections, the rate limiter's
    /// refusals, and the .NET runtime's (garbage collector, thread pool, exceptions).
    /// </summary>
    public static readonly IReadOnlyList<string> Meters =
    [
        TelemetryExtensions.OrleansMeter,
        WordCloudMetrics.MeterName,
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.RateLimiting",
        "System.Runtime",
    ];

    /// <summary>The labels Orleans 10 gives its instruments in snake_case; the rest are in CamelCase.</summary>
    private static readonly string[] OrleansSnakeCaseLabels = ["type", "silo", "grain_type", "state_type", "state_name", "provider_type_name", "duration"];

    /// <summary>The runtime's gauges whose names end in ".count", a suffix Prometheus keeps for histograms, renamed.</summary>
    private static readonly Dictionary<string, string> RenamedRuntimeGauges = new(StringComparer.Ordinal)
    {
        ["dotnet.assembly.count"] = "dotnet.assemblies",
        ["dotnet.process.cpu.count"] = "dotnet.process.cpus",
        ["dotnet.timer.count"] = "dotnet.timers",
    };

    public static WebApplicationBuilder AddSiloTelemetry(this WebApplicationBuilder builder, SiloHostOptions silo)
    {
        var serviceInstanceId = $"silo-{silo.Instance}";
        builder.AddWordCloudTelemetry("wordcloud-silo", serviceInstanceId, WordCloudMetrics.MeterName);
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing
                .AddSource(GrainStorageWindowStore.ActivitySourceName)
                .AddAspNetCoreInstrumentation(options => options.Filter = context => IsTraced(context.Request.Path)));
        builder.Services.AddSingleton(services => new ScrapedMeters(Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(resource => resource.AddService(TelemetryExtensions.ServiceNameOf(builder.Configuration, "wordcloud-silo"), serviceInstanceId: serviceInstanceId))
            .AddMeter([.. Meters])
            .AddView(ScrapedForm)
            .AddPrometheusExporter()
            .Build()));
        return builder;
    }

    public static IEndpointRouteBuilder MapSiloTelemetry(this IEndpointRouteBuilder endpoints)
    {
        // Built now, so the meters are listened to from the start rather than from the first scrape.
        var scraped = endpoints.ServiceProvider.GetRequiredService<ScrapedMeters>();
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath, scraped.Provider, configureBranchedPipeline: null, optionsName: null);
        return endpoints;
    }

    /// <summary>
    /// Keeps the scrape one that <c>promtool check metrics</c> accepts without a complaint. Orleans' durations in
    /// milliseconds and memory in megabytes are left out, as Prometheus wants base units (seconds, bytes); the
    /// project's own <c>wordcloud.append.duration</c> and <c>wordcloud.storage.duration</c> time the calls that matter
    /// here in seconds, and the runtime's and process' memory is in bytes. The runtime's gauges named "….count" are
    /// renamed, as Prometheus keeps that suffix for histograms. Orleans' instruments without a description get one
    /// that names them, since every metric needs help text, and keep only their snake_case labels: the others
    /// (Direction, MessageDirection, ConnectionDirection, Destination, Phase, Context) are summed over, since
    /// Prometheus wants label names in snake_case and a view cannot rename them.
    /// </summary>
    private static MetricStreamConfiguration? ScrapedForm(Instrument instrument)
    {
        if (instrument.Meter.Name == TelemetryExtensions.OrleansMeter && instrument.Unit is "ms" or "MB")
        {
            return MetricStreamConfiguration.Drop;
        }

        if (instrument.Meter.Name == "System.Runtime" && RenamedRuntimeGauges.TryGetValue(instrument.Name, out var name))
        {
            return new MetricStreamConfiguration { Name = name };
        }

        if (instrument.Meter.Name == TelemetryExtensions.OrleansMeter)
        {
            return new MetricStreamConfiguration
            {
                Description = string.IsNullOrEmpty(instrument.Description) ? Undescribed(instrument) : null,
                TagKeys = OrleansSnakeCaseLabels,
            };
        }

        return string.IsNullOrEmpty(instrument.Description) ? new MetricStreamConfiguration { Description = Undescribed(instrument) } : null;
    }

    private static string Undescribed(Instrument instrument) => $"{instrument.Name}, an instrument of the meter {instrument.Meter.Name} that ships without a description";

    /// <summary>
    /// Probes, scrapes and the dashboard's polling (a request a second per open dashboard) start no trace: they would
    /// bury the requests that change or read the clouds.
    /// </summary>
    public static bool IsTraced(PathString path) =>
        !path.StartsWithSegments(ApiKeyGate.HealthPath, StringComparison.OrdinalIgnoreCase)
        && !path.StartsWithSegments(MetricsPath, StringComparison.OrdinalIgnoreCase)
        && !path.StartsWithSegments(SecurityHeaders.DashboardPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>The meter provider behind <c>/metrics</c>, disposed with the silo's services.</summary>
    private sealed class ScrapedMeters(MeterProvider provider) : IDisposable
    {
        public MeterProvider Provider { get; } = provider;

        public void Dispose() => Provider.Dispose();
    }
}
