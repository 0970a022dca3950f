using System.CommandLine;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WordCloud.Abstractions;
using WordCloud.Client.Cluster;
using WordCloud.Client.Sources;

namespace WordCloud.Client.Commands;

/// <summary><c>produce</c>: pushes posts from the demo feed, a file, standard input or a live feed into a topic's window.</summary>
public sealed partial class ProduceCommand : Command
{
    public const int MaxBatch = WindowLimits.MaxBatch;

    /// <summary>How long Ctrl-C waits for the batches already sent before abandoning them.</summary>
    public static readonly TimeSpan InFlightGrace = TimeSpan.FromSeconds(5);

    private static readonly Option<TimeSpan?> Every = new("--every")
    {
        Description = "Send one post per period, such as 2s (the demo feed's default). 0, or no --every for a file or a live feed: send in batches as fast as they come and the cluster takes them.",
        CustomParser = result => CommonOptions.ParseDuration(result, "--every", allowZero: true),
    };

    private static readonly Option<int> Batch = new("--batch", "-b")
    {
        Description = $"Posts per append call when sending as fast as possible (1 to {MaxBatch}).",
        DefaultValueFactory = _ => 100,
    };

    private static readonly Option<long?> Count = new("--count", "-n")
    {
        Description = "Stop after this many input items: posts and invalid lines (a live feed's deletions do not count).",
    };

    private static readonly Option<double?> MaxRate = new("--max-rate")
    {
        Description = "Send at most this many posts per second on average (batches keep their size).",
    };

    private static readonly Option<int> InFlight = new("--in-flight")
    {
        Description = $"Batches sent and not yet acknowledged, at most (1 to {Producer.MaxInFlight}). Posts still land in the order they were read.",
        DefaultValueFactory = _ => Producer.DefaultInFlight,
    };

    private static readonly Option<string?> StateFile = new("--state-file")
    {
        Description = "Keep where the source stopped in this JSON file, and resume from it: a restarted producer goes on after the last post the window acknowledged. For a file or a live feed.",
    };

    private static readonly Option<bool> NoProgress = new("--no-progress")
    {
        Description = "No live progress line on a terminal; a progress log line every 10 s instead (as when standard error is redirected).",
    };

    public ProduceCommand()
        : base("produce", "Push posts into a topic's window: a demo feed by default, or a file, standard input, or Bluesky's live feed.")
    {
        CommonOptions.AddTo(this);
        SourceOptions.AddTo(this);
        Options.Add(Every);
        Options.Add(Batch);
        Options.Add(Count);
        Options.Add(MaxRate);
        Options.Add(InFlight);
        Options.Add(StateFile);
        Options.Add(NoProgress);
        InFlight.Validators.Add(result =>
        {
            var inFlight = result.GetValueOrDefault<int>();
            if (inFlight is < 1 or > Producer.MaxInFlight)
            {
                result.AddError($"invalid --in-flight {inFlight}: it must be between 1 and {Producer.MaxInFlight}");
            }
        });
        MaxRate.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is { } rate && !(rate > 0))
            {
                result.AddError($"invalid --max-rate {rate}: it must be a number of posts per second above 0");
            }
        });
        Batch.Validators.Add(result =>
        {
            var batch = result.GetValueOrDefault<int>();
            if (batch is < 1 or > MaxBatch)
            {
                result.AddError($"invalid --batch {batch}: it must be between 1 and {MaxBatch}");
            }
        });
        Count.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<long?>() is < 1 and var count)
            {
                result.AddError($"invalid --count {count}: it must be at least 1");
            }
        });
        SetAction(RunAsync);
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken stop)
    {
        var topic = parse.GetRequiredValue(CommonOptions.Topic);
        var settings = await CommonOptions.SettingsFromAsync(parse, "produce");
        using var host = ClientHost.BuildOrReport(settings);
        if (host is null)
        {
            return ExitCodes.UsageError;
        }

        var logger = host.Services.GetRequiredService<ILogger<ProduceCommand>>();

        var statePath = parse.GetValue(StateFile);
        ProducerStateFile? state = null;
        IPostSource source;
        try
        {
            // The state first: a state file of another source or topic is an input error, found before connecting.
            string? resume = null;
            if (statePath is not null)
            {
                var sourceKey = SourceOptions.StateKey(parse)
                    ?? throw new ProducerStateException($"--state-file {statePath}: {SourceOptions.Describe(parse)} cannot resume; a state file needs a file or a live feed");
                resume = ProducerStateFile.Load(statePath, sourceKey, topic);
                state = new ProducerStateFile(statePath, sourceKey, topic);
                if (resume is not null)
                {
                    LogResuming(logger, statePath, resume);
                }
            }

            source = SourceOptions.Create(parse, topic, resume, givesResume: statePath is not null, host.Services.GetRequiredService<ILoggerFactory>());
        }
        catch (Exception unusable) when (unusable is IOException or InvalidDataException or ProducerStateException)
        {
            LogUnreadable(logger, unusable.Message);
            return ExitCodes.InputError;
        }

        using var disposeSource = source as IDisposable;
        var pause = parse.GetValue(Every) ?? source.DefaultPace ?? TimeSpan.Zero;
        TimeSpan? every = pause > TimeSpan.Zero ? pause : null;
        var batchSize = every is null ? parse.GetValue(Batch) : 1;
        var inFlight = parse.GetValue(InFlight);
        var limit = parse.GetValue(Count);
        LogStarting(logger, topic, source.Description, every is { } period ? $"one post every {Duration.Format(period)}" : $"batches of {batchSize}, up to {inFlight} in flight, as fast as the cluster takes them",
            limit?.ToString(CultureInfo.InvariantCulture) ?? "no limit", ClientHost.Describe(host, settings));

        if (!await ClientHost.TryStartAsync(host, settings, stop))
        {
            return stop.IsCancellationRequested ? ExitCodes.Success : ExitCodes.ClusterUnavailable;
        }

        var time = TimeProvider.System;
        var producer = new Producer(host.Services.GetRequiredService<IClusterClient>().GetGrain<IWordWindowGrain>(topic),
            new ProducerSettings(batchSize, every, limit, parse.GetValue(MaxRate), inFlight), logger,
            state is null ? null : resume => state.Save(resume, time.GetUtcNow()), time);
        LogProducerId(logger, producer.ProducerId);
        ProducerMetrics.Register(host.Services.GetRequiredService<IMeterFactory>().Create(ProducerMetrics.MeterName), source.Counters, () => producer.Tally, time);

        using var progressEnd = new CancellationTokenSource();
        var progress = new ProducerProgress(() => producer.Tally, source, logger, time)
            .RunAsync(live: ProducerProgress.CanShowLive && !parse.GetValue(NoProgress), progressEnd.Token);
        var outcome = await producer.RunAsync(source.ReadAsync(stop), stop);
        await progressEnd.CancelAsync();
        await progress;
        await ClientHost.StopAsync(host);

        var summary = outcome.Summary(topic);
        LogFinished(logger, summary);
        await Console.Out.WriteLineAsync(summary);
        return outcome.Failed ? ExitCodes.ClusterUnavailable
            : outcome.SourceFailed ? ExitCodes.InputError
            : outcome.AbandonedInFlight ? ExitCodes.Interrupted
            : ExitCodes.Success;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Reason}")]
    private static partial void LogUnreadable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Producer starting: topic {Topic}, source {Source}, {Pacing}, count {Limit}, cluster {Gateways}")]
    private static partial void LogStarting(ILogger logger, string topic, string source, string pacing, string limit, string gateways);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming from state file {StateFile}: the source starts after {Resume}")]
    private static partial void LogResuming(ILogger logger, string stateFile, string resume);

    [LoggerMessage(Level = LogLevel.Information, Message = "Producer id {ProducerId}: the window uses it with each batch's number to drop retries it already applied")]
    private static partial void LogProducerId(ILogger logger, string producerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Producer finished: {Summary}")]
    private static partial void LogFinished(ILogger logger, string summary);
}
