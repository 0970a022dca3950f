using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
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

    [Theory]
    [InlineData("compact", false, ConsoleSpans.Compact)]
    [InlineData(" Full ", false, ConsoleSpans.Full)]
    [InlineData("OFF", false, ConsoleSpans.Off)]
    [InlineData(null, false, ConsoleSpans.Compact)]
    [InlineData(null, true, ConsoleSpans.Off)]
    [InlineData("Compact", true, ConsoleSpans.Compact)]
    public void ConsoleSpansIsANameWhateverItsCaseAndOffByDefaultWithOtlp(string? value, bool useOtlp, ConsoleSpans expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Telemetry:ConsoleSpans", value)]).Build();

        Assert.Equal(expected, TelemetryExtensions.ConsoleSpansOf(configuration, useOtlp));
    }

    [Theory]
    [InlineData("Verbose")]
    [InlineData("1")]
    [InlineData("Compact,Full")]
    public void AnUnknownConsoleSpansValueIsRefusedWithTheKeyAndTheValues(string value)
    {
        var refusal = Assert.Throws<OptionsValidationException>(() => BuildHost(consoleMetrics: false, consoleSpans: value));

        Assert.Equal($"Telemetry:ConsoleSpans is '{value}'; it must be Compact (a line per span), Full (the console exporter's block) or Off", refusal.Message);
    }

    private static IHost BuildHost(bool consoleMetrics, string? consoleSpans = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new("Telemetry:ConsoleMetrics", consoleMetrics ? "true" : "false"), new("Telemetry:ConsoleSpans", consoleSpans)]);
        builder.AddWordCloudTelemetry("wordcloud-test", "test-0");
        return builder.Build();
    }
}
