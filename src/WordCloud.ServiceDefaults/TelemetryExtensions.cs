using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace WordCloud.ServiceDefaults;

public static class TelemetryExtensions
{
    /// <summary>Orleans' grain-call spans. Its sibling "Microsoft.Orleans.Runtime" is left out: it is very noisy.</summary>
    public const string OrleansApplicationSource = "Microsoft.Orleans.Application";

    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>The setting that says how spans are written to the console: <see cref="ConsoleSpans"/>.</summary>
    public const string ConsoleSpansKey = "Telemetry:ConsoleSpans";

    /// <summary>
    /// Sends the process's logs, grain-call traces and metrics through OpenTelemetry: to the console by default, a line
    /// per log record and per span, and to OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (spans then leave the console
    /// unless <c>Telemetry:ConsoleSpans</c> asks for them). Trace sampling follows OTEL_TRACES_SAMPLER and
    /// OTEL_TRACES_SAMPLER_ARG (read by the OpenTelemetry SDK itself).
    /// </summary>
    /// <param name="builder">The host being built.</param>
    /// <param name="serviceName">The service.name resource attribute: "wordcloud-silo", "wordcloud-client".</param>
    /// <param name="serviceInstanceId">Tells processes of one service apart in the output ("silo-0").</param>
    /// <param name="meters">The process's own meters, exported beside Orleans'.</param>
    /// <exception cref="OptionsValidationException"><c>Telemetry:ConsoleSpans</c> is not one of its values.</exception>
    public static IHostApplicationBuilder AddWordCloudTelemetry(this IHostApplicationBuilder builder, string serviceName, string serviceInstanceId, params string[] meters)
    {
        var useOtlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var consoleSpans = ConsoleSpansOf(builder.Configuration, useOtlp);

        builder.Logging.ClearProviders();
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
            logging.AddProcessor(new SimpleLogRecordExportProcessor(new CompactConsoleLogExporter()));
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceNameOf(builder.Configuration, serviceName), serviceInstanceId: serviceInstanceId))
            .WithTracing(tracing =>
            {
                tracing.AddSource(OrleansApplicationSource);
                if (consoleSpans == ConsoleSpans.Compact)
                {
                    tracing.AddProcessor(new CompactConsoleSpanProcessor());
                }
                else if (consoleSpans == ConsoleSpans.Full)
                {
                    tracing.AddConsoleExporter();
                }
            });

        // Metrics only when something reads them: the console metric dump lists every Orleans instrument, so it is
        // opt-in to keep the logs readable, and without a reader the SDK would still aggregate every measurement of
        // every instrument for nobody (in clients on every grain call). A silo adds its Prometheus endpoint, a reader
        // that is always there; the dashboard keeps its own meter provider for what it shows.
        var consoleMetrics = !useOtlp && builder.Configuration.GetValue<bool>("Telemetry:ConsoleMetrics");
        if (useOtlp || consoleMetrics)
        {
            telemetry.WithMetrics(metrics =>
            {
                metrics.AddMeter([OrleansMeter, .. meters]);
                if (consoleMetrics)
                {
                    metrics.AddConsoleExporter();
                }
            });
        }

        if (useOtlp)
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// The service.name resource attribute: OTEL_SERVICE_NAME when it is set (an orchestrator such as Aspire names each
    /// process so, and shows its telemetry under that name), else <paramref name="serviceName"/>.
    /// </summary>
    public static string ServiceNameOf(IConfiguration configuration, string serviceName) =>
        configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } named ? named : serviceName;

    /// <summary><c>Telemetry:ConsoleSpans</c>, one of its names whatever the case; unset, Compact, or Off when spans go to OTLP.</summary>
    /// <exception cref="OptionsValidationException">The value is not one of the names.</exception>
    internal static ConsoleSpans ConsoleSpansOf(IConfiguration configuration, bool useOtlp)
    {
        var value = configuration[ConsoleSpansKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return useOtlp ? ConsoleSpans.Off : ConsoleSpans.Compact;
        }

        // Names only: Enum.TryParse would also take "1" or "Compact,Full".
        var name = Enum.GetNames<ConsoleSpans>().FirstOrDefault(name => string.Equals(name, value.Trim(), StringComparison.OrdinalIgnoreCase));
        return name is not null
            ? Enum.Parse<ConsoleSpans>(name)
            : throw new OptionsValidationException(ConsoleSpansKey, typeof(ConsoleSpans),
                [$"{ConsoleSpansKey} is '{value}'; it must be Compact (a line per span), Full (the console exporter's block) or Off"]);
    }
}
