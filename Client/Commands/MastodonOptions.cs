using System.CommandLine;
using System.CommandLine.Parsing;
using Microsoft.Extensions.Logging;
using WordCloud.Client.Sources;

namespace WordCloud.Client.Commands;

/// <summary>The options of <c>produce --source mastodon</c>, and the source they make.</summary>
public static class MastodonOptions
{
    public static readonly TimeSpan MinPoll = TimeSpan.FromSeconds(1);

    public static readonly Option<Uri[]> Instance = new("--instance")
    {
        Description = $"A Mastodon instance whose public #topic timeline to poll, such as {MastodonSettings.DefaultInstance}; repeat for more.",
        DefaultValueFactory = _ => [MastodonSettings.DefaultInstance],
        CustomParser = ParseInstances,
        AllowMultipleArgumentsPerToken = false,
    };

    public static readonly Option<TimeSpan> Poll = new("--poll")
    {
        Description = $"How long to wait between polls of an instance once caught up, such as 10s (at least {Duration.Format(MinPoll)}).",
        DefaultValueFactory = _ => MastodonSettings.DefaultPoll,
        CustomParser = ParsePoll,
    };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = $"An access token for instances whose timelines need one, sent as Authorization: Bearer. Default: {MastodonSettings.TokenVariable}.",
    };

    public static void AddTo(Command command)
    {
        command.Options.Add(Instance);
        command.Options.Add(Poll);
        command.Options.Add(Token);
        command.Validators.Add(result =>
        {
            // One token for several instances would hand each instance the others' credential.
            // Counted from the tokens: a value that did not parse has its own error, and reading it would throw.
            var instances = result.GetResult(Instance)?.Tokens.Count ?? 0;
            var token = result.GetResult(Token) is { Tokens: [var given, ..] } ? given.Value : null;
            if (instances > 1 && TokenFrom(token) is not null)
            {
                result.AddError($"a --token (or {MastodonSettings.TokenVariable}) is for one instance, and {instances} --instance were given; run one producer per instance that needs a token");
            }
        });
    }

    /// <summary>The source the options describe.</summary>
    public static MastodonSource Create(ParseResult parse, string topic, IReadOnlyList<string> langs, string? resume, ILoggerFactory loggers)
    {
        var settings = new MastodonSettings
        {
            Instances = parse.GetValue(Instance) is { Length: > 0 } instances ? instances : [MastodonSettings.DefaultInstance],
            Poll = parse.GetValue(Poll),
            Token = TokenFrom(parse.GetValue(Token)),
        };
        return new MastodonSource(settings, topic, new LanguageFilter(langs), resume, loggers.CreateLogger<MastodonSource>());
    }

    private static string? TokenFrom(string? option) =>
        !string.IsNullOrWhiteSpace(option) ? option.Trim()
            : Environment.GetEnvironmentVariable(MastodonSettings.TokenVariable) is { } variable && !string.IsNullOrWhiteSpace(variable) ? variable.Trim()
            : null;

    private static TimeSpan ParsePoll(ArgumentResult result)
    {
        var poll = CommonOptions.ParseDuration(result, "--poll");
        if (poll != TimeSpan.Zero && poll < MinPoll)
        {
            result.AddError($"invalid --poll {Duration.Format(poll)}: it must be at least {Duration.Format(MinPoll)}, which is as often as an instance should be asked");
        }

        return poll;
    }

    private static Uri[] ParseInstances(ArgumentResult result)
    {
        var instances = new List<Uri>();
        foreach (var token in result.Tokens)
        {
            if (Uri.TryCreate(token.Value, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
                && url.Query.Length == 0 && url.Fragment.Length == 0)
            {
                instances.Add(url);
            }
            else
            {
                result.AddError($"invalid --instance '{token.Value}': an instance is an http:// or https:// URL without query or fragment, such as {MastodonSettings.DefaultInstance}");
            }
        }

        return [.. instances];
    }
}
