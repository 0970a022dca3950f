using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using WordCloud.ServiceDefaults;

namespace WordCloud.Tests.ServiceDefaults;

public sealed class TelemetryExtensionsTests
{
    [Fact]
    public void WithNoMetricsExporterNoMetricsAreCollected()
    {
        using var host = BuildHost(consoleMetrics: false);

        Assert.Null(host.Services.GetService<MeterProvider>());
        Assert.NotNull(host.Services.GetService<TracerProvider>());
    }

    [Fact]
    public void ConsoleMetricsTurnMetricsCollectionOn()
    {
        using var host = BuildHost(consoleMetrics: true);

        Assert.NotNull(host.Services.GetService<MeterProvider>());
    }

    private static IHost BuildHost(bool consoleMetrics)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new("Telemetry:ConsoleMetrics", consoleMetrics ? "true" : "false")]);
        builder.AddWordCloudTelemetry("wordcloud-test", "test-0");
        return builder.Build();
    }
}
