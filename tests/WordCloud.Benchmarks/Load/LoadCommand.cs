using System.CommandLine;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WordCloud.Abstractions;
using WordCloud.Client.Cluster;
using WordCloud.Client.Commands;
using WordCloud.ServiceDefaults;

namespace WordCloud.Benchmarks.Load;

/// <summary>The `load` command: parses its options, connects like the client does, and runs a <see cref="LoadRun"/>.</summary>
public static class LoadCommand
{
    private static readonly Option<int> Producers = new("--producers", "-p") { Description = "Concurrent producers.", DefaultValueFactory = _ => 2 };
    private static readonly Option<int> Topics = new("--topics", "-t") { Description = "Topics written.", DefaultValueFactory = _ => 1 };
    private static readonly Option<int> Batch = new("--batch", "-b") { Description = "Posts per append call.", DefaultValueFactory = _ => 100 };
    private static readonly Option<int> InFlight = new("--in-flight") { Description = "Batches in flight per producer and topic.", DefaultValueFactory = _ => 4 };
    private static readonly Option<TimeSpan> Duration = new("--duration", "-d")
    {
        Description = "How long to measure, after the warm-up.",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(20),
        CustomParser = result => CommonOptions.ParseDuration(result, "--duration"),
    };

    private static readonly Option<TimeSpan> Warmup = new("--warmup")
    {
        Description = "Load before measuring starts (JIT, activations).",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(3),
        CustomParser = result => CommonOptions.ParseDuration(result, "--warmup"),
    };

    private static readonly Option<double?> MaxRate = new("--max-rate") { Description = "At most this many posts per second in all (to measure latency below saturation)." };
    private static readonly Option<bool> NoBaselines = new("--no-baselines") { Description = "Skip the in-process and Python baselines." };
    private static readonly Option<Uri[]> CloudUrl = new("--cloud-url")
    {
        Description = "A silo whose HTTP API the top-50 queries go to, timed apart; repeat for more. Default http://127.0.0.1:8080.",
        AllowMultipleArgumentsPerToken = false,
        CustomParser = result =>
        {
            var urls = new List<Uri>();
            foreach (var text in result.Tokens.Select(token => token.Value))
            {
                if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttp)
                {
                    urls.Add(url);
                }
                else
                {
                    result.AddError($"invalid --cloud-url '{text}': a silo's HTTP address such as http://127.0.0.1:8080");
                }
            }

            return [.. urls];
        },
    };
    private static readonly Option<int> PostLength = new("--post-length") { Description = "Every post's text this many characters (demo sentences joined and cut); 0 for the demo posts as they are (72 on average)." };
    private static readonly Option<string> TopicPrefix = new("--topic-prefix") { Description = "Topics are PREFIX0, PREFIX1, …", DefaultValueFactory = _ => "bench" };
    private static readonly Option<string[]> Gateway = new("--gateway", "-g") { Description = "A gateway host:port, repeatable; default the local cluster's." };
    private static readonly Option<ClusterProvider?> Cluster = new("--cluster") { Description = "Localhost or Redis." };
    private static readonly Option<string?> Redis = new("--redis") { Description = "Redis connection string of a Redis cluster." };

    public static RootCommand Create()
    {
        var command = new RootCommand("OrleansCloud load: drive a running cluster and report rate, latencies and memory beside two baselines.")
        {
            Producers, Topics, Batch, InFlight, Duration, Warmup, MaxRate, NoBaselines, CloudUrl, PostLength, TopicPrefix, Gateway, Cluster, Redis,
        };
        foreach (var (option, min, max) in new[] { (Producers, 1, 256), (Topics, 1, 100_000), (Batch, 1, 10_000), (InFlight, 1, 64), (PostLength, 0, PostRules.MaxTextLength) })
        {
            option.Validators.Add(result =>
            {
                var value = result.GetValueOrDefault<int>();
                if (value < min || value > max)
                {
                    result.AddError($"invalid {option.Name} {value}: it must be between {min} and {max}");
                }
            });
        }

        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken stop)
    {
        // The report is the only thing on standard output; logs and the 1% of spans that are sampled go to standard error.
        var report = Console.Out;
        Console.SetOut(Console.Error);
        if (Environment.GetEnvironmentVariable("OTEL_TRACES_SAMPLER") is null)
        {
            Environment.SetEnvironmentVariable("OTEL_TRACES_SAMPLER", "parentbased_traceidratio");
            Environment.SetEnvironmentVariable("OTEL_TRACES_SAMPLER_ARG", "0.01");
        }

        var gateways = new List<IPEndPoint>();
        foreach (var text in parse.GetValue(Gateway) ?? [])
        {
            if (!CommonOptions.TryParseEndpoint(text, out var endpoint, out var error))
            {
                await Console.Error.WriteLineAsync(error);
                return 1;
            }

            gateways.Add(endpoint);
        }

        var cluster = parse.GetValue(Cluster);
        var settings = new ClientSettings(await CommonOptions.GatewaysAsync(gateways, cluster), TimeSpan.FromSeconds(10), Verbose: false, "bench", cluster, parse.GetValue(Redis));
        using var host = ClientHost.Build(settings);
        if (!await ClientHost.TryStartAsync(host, settings, stop))
        {
            return 3;
        }

        try
        {
            var load = new LoadSettings(parse.GetValue(Producers), parse.GetValue(Topics), parse.GetValue(Batch), parse.GetValue(InFlight),
                parse.GetValue(Duration), parse.GetValue(Warmup), !parse.GetValue(NoBaselines), parse.GetValue(TopicPrefix)!, parse.GetValue(CloudUrl) is { Length: > 0 } urls ? urls : [new Uri("http://127.0.0.1:8080")],
                parse.GetValue(MaxRate), parse.GetValue(PostLength));
            return await new LoadRun(host.Services.GetRequiredService<IClusterClient>(), load, report).RunAsync(stop);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            // A window that fails other than by timeout (out of memory, say) ends the run: its figures would be wrong.
            await Console.Error.WriteLineAsync($"load: the run failed, no figures: {failure.GetType().Name}: {failure.Message}");
            return 1;
        }
        finally
        {
            await ClientHost.StopAsync(host);
            await report.FlushAsync(CancellationToken.None);
        }
    }
}
