using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WordCloud.Abstractions;
using WordCloud.Client.Cluster;

namespace WordCloud.Client.Commands;

/// <summary><c>scan</c>: reads a topic's window every period and logs (or prints as JSON) its top words, and its rising words if asked.</summary>
public sealed partial class ScanCommand : Command
{
    private static readonly Option<TimeSpan> Every = new("--every")
    {
        Description = "Scan once per period, such as 5s.",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(5),
        CustomParser = result => CommonOptions.ParseDuration(result, "--every"),
    };

    private static readonly Option<int> Top = new("--top")
    {
        Description = $"How many top words to show ({WindowLimits.MinTop} to {WindowLimits.MaxTop}).",
        DefaultValueFactory = _ => 20,
    };

    private static readonly Option<int?> Rising = new("--rising")
    {
        Description = $"Also show the top N rising words ({WindowLimits.MinRising} to {WindowLimits.MaxRising}): those that rose most in the newer half of the window against the older half.",
    };

    private static readonly Option<bool> Once = new("--once")
    {
        Description = "Scan once and exit.",
    };

    private static readonly Option<bool> Json = new("--json")
    {
        Description = "Print each scan as one JSON object on one line to standard output; logs and telemetry go to standard error.",
    };

    public ScanCommand()
        : base("scan", "Read a topic's window every few seconds and show its top words.")
    {
        CommonOptions.AddTo(this);
        Options.Add(Every);
        Options.Add(Top);
        Options.Add(Rising);
        Options.Add(Once);
        Options.Add(Json);
        Top.Validators.Add(result =>
        {
            if (WindowLimits.ValidateTop(result.GetValueOrDefault<int>(), "--top") is { } error)
            {
                result.AddError(error);
            }
        });
        Rising.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is { } rising && WindowLimits.ValidateRising(rising, "--rising") is { } error)
            {
                result.AddError(error);
            }
        });
        SetAction(RunAsync);
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken stop)
    {
        var topic = parse.GetRequiredValue(CommonOptions.Topic);
        var top = parse.GetValue(Top);
        var rising = parse.GetValue(Rising);
        var json = parse.GetValue(Json);
        var once = parse.GetValue(Once);
        var every = parse.GetValue(Every);

        // With --json, standard output carries the scans and nothing else: every other writer (logs, the
        // OpenTelemetry console exporters) goes through Console.Out, which from here on is standard error.
        var data = Console.Out;
        if (json)
        {
            Console.SetOut(Console.Error);
        }

        var settings = await CommonOptions.SettingsFromAsync(parse, "scan");
        using var host = ClientHost.BuildOrReport(settings);
        if (host is null)
        {
            return ExitCodes.UsageError;
        }

        var logger = host.Services.GetRequiredService<ILogger<ScanCommand>>();
        LogStarting(logger, topic, top, once ? "once" : $"every {Duration.Format(every)}", json ? "JSON lines on standard output" : "log", ClientHost.Describe(host, settings));
        if (!await ClientHost.TryStartAsync(host, settings, stop))
        {
            return stop.IsCancellationRequested ? ExitCodes.Success : ExitCodes.ClusterUnavailable;
        }

        var window = host.Services.GetRequiredService<IClusterClient>().GetGrain<IWordWindowGrain>(topic);
        var exitCode = ExitCodes.Success;
        using var timer = new PeriodicTimer(every);
        try
        {
            do
            {
                try
                {
                    if (!json)
                    {
                        var view = await window.GetCloudAsync(top, 0).WaitAsync(stop);
                        LogScan(logger, topic, view.Stats.Count, view.Stats.Capacity, view.Stats.DistinctWords, view.Words.Count, Describe(view.Words));
                        if (rising is { } risingCount)
                        {
                            var risen = view.RisingOrNone.Take(risingCount).ToArray();
                            LogRising(logger, topic, risen.Length, Describe(risen));
                        }
                    }
                    else if (await window.ReadWholeWindowAsync(top, stop) is { } whole)
                    {
                        await data.WriteLineAsync(ToJsonLine(topic, whole.Stats, whole.Words, whole.Posts, rising is { } risingCount ? [.. whole.Rising.Take(risingCount)] : null));
                        await data.FlushAsync(stop);
                    }
                    else
                    {
                        LogWindowMoving(logger, topic);
                    }
                }
                catch (Exception failure) when (ClientHost.IsConnectionFailure(failure))
                {
                    // A silo going away moves the grain; the next scan finds it again.
                    LogScanFailed(logger, topic, failure.GetType().Name, failure.Message);
                    exitCode = ExitCodes.ClusterUnavailable;
                }
            }
            while (!once && await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            LogStopped(logger);
        }

        await ClientHost.StopAsync(host);
        return once ? exitCode : ExitCodes.Success;
    }

    /// <summary>
    /// One scan as <c>{"topic","capacity","count","posts":[oldest..newest],"top":[{"word","count"}]}</c>, and with
    /// <paramref name="rising"/> (not null) <c>"rising":[{"word","count","baseline","score"}]</c> after it.
    /// </summary>
    public static string ToJsonLine(string topic, WindowStats stats, IReadOnlyList<WordCount> top, IReadOnlyList<Post> posts, IReadOnlyList<RisingWord>? rising = null)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping keeps accented text readable; the output is a data stream, never embedded in HTML.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("topic", topic);
            writer.WriteNumber("capacity", stats.Capacity);
            writer.WriteNumber("count", stats.Count);
            writer.WriteStartArray("posts");
            foreach (var post in posts)
            {
                writer.WriteStringValue(post.Text);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("top");
            foreach (var word in top)
            {
                writer.WriteStartObject();
                writer.WriteString("word", word.Word);
                writer.WriteNumber("count", word.Count);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            if (rising is not null)
            {
                writer.WriteStartArray("rising");
                foreach (var word in rising)
                {
                    writer.WriteStartObject();
                    writer.WriteString("word", word.Word);
                    writer.WriteNumber("count", word.Count);
                    writer.WriteNumber("baseline", Math.Round(word.Baseline, 3));
                    writer.WriteNumber("score", Math.Round(word.Score, 3));
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static string Describe(IReadOnlyList<WordCount> top) =>
        top.Count == 0 ? "(no words yet)" : string.Join(", ", top.Select(word => $"{word.Word} {word.Count}"));

    [LoggerMessage(Level = LogLevel.Information, Message = "Scanner starting: topic {Topic}, top {Top}, {Schedule}, output {Output}, cluster {Gateways}")]
    private static partial void LogStarting(ILogger logger, string topic, int top, string schedule, string output, string gateways);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Topic}: {Count}/{Capacity} posts, {Distinct} distinct words; top {Shown}: {Words}")]
    private static partial void LogScan(ILogger logger, string topic, int count, int capacity, int distinct, int shown, string words);

    /// <summary>Each rising word as "word ↑ baseline → count", the change the page shows too.</summary>
    private static string Describe(IReadOnlyList<RisingWord> rising) =>
        rising.Count == 0 ? "(none)" : string.Join(", ", rising.Select(word => string.Create(CultureInfo.InvariantCulture, $"{word.Word} ↑ {word.Baseline:0.#} → {word.Count}")));

    [LoggerMessage(Level = LogLevel.Information, Message = "{Topic}: rising {Shown}: {Words}")]
    private static partial void LogRising(ILogger logger, string topic, int shown, string words);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scan of {Topic} failed, trying again next period: {Error}: {Message}")]
    private static partial void LogScanFailed(ILogger logger, string topic, string error, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scan of {Topic} skipped: posts kept arriving faster than the window could be read consistently; trying again next period")]
    private static partial void LogWindowMoving(ILogger logger, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scanner stopped")]
    private static partial void LogStopped(ILogger logger);
}
