using System.CommandLine;
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

    /// <summary>How long Ctrl-C waits for the batch already sent before abandoning it.</summary>
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
        Description = "Stop after this many posts.",
    };

    private static readonly Option<double?> MaxRate = new("--max-rate")
    {
        Description = "Send at most this many posts per second on average (batches keep their size).",
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
        using var host = ClientHost.Build(settings);
        var logger = host.Services.GetRequiredService<ILogger<ProduceCommand>>();

        IPostSource source;
        try
        {
            source = SourceOptions.Create(parse, topic, resume: null, host.Services.GetRequiredService<ILoggerFactory>());
        }
        catch (IOException unreadable)
        {
            LogUnreadable(logger, unreadable.Message);
            return ExitCodes.InputError;
        }

        using var disposeSource = source as IDisposable;
        var pause = parse.GetValue(Every) ?? source.DefaultPace ?? TimeSpan.Zero;
        TimeSpan? every = pause > TimeSpan.Zero ? pause : null;
        var batchSize = every is null ? parse.GetValue(Batch) : 1;
        var limit = parse.GetValue(Count);
        LogStarting(logger, topic, source.Description, every is { } period ? $"one post every {Duration.Format(period)}" : $"batches of {batchSize} as fast as the cluster takes them",
            limit?.ToString(CultureInfo.InvariantCulture) ?? "no limit", ClientHost.Describe(host, settings));

        if (!await ClientHost.TryStartAsync(host, settings, stop))
        {
            return stop.IsCancellationRequested ? ExitCodes.Success : ExitCodes.ClusterUnavailable;
        }

        var producer = new Producer(host.Services.GetRequiredService<IClusterClient>().GetGrain<IWordWindowGrain>(topic),
            new ProducerSettings(batchSize, every, limit, parse.GetValue(MaxRate)), logger);
        LogProducerId(logger, producer.ProducerId);
        var outcome = await producer.RunAsync(source.ReadAsync(stop), stop);
        await ClientHost.StopAsync(host);

        var summary = outcome.Summary(topic);
        LogFinished(logger, summary);
        await Console.Out.WriteLineAsync(summary);
        return outcome.Failed ? ExitCodes.ClusterUnavailable
            : outcome.AbandonedInFlight ? ExitCodes.Interrupted
            : ExitCodes.Success;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Reason}")]
    private static partial void LogUnreadable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Producer starting: topic {Topic}, source {Source}, {Pacing}, count {Limit}, cluster {Gateways}")]
    private static partial void LogStarting(ILogger logger, string topic, string source, string pacing, string limit, string gateways);

    [LoggerMessage(Level = LogLevel.Information, Message = "Producer id {ProducerId}: the window uses it with each batch's number to drop retries it already applied")]
    private static partial void LogProducerId(ILogger logger, string producerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Producer finished: {Summary}")]
    private static partial void LogFinished(ILogger logger, string summary);
}
