using System.CommandLine;
using System.CommandLine.Parsing;
using Microsoft.Extensions.Logging;
using WordCloud.Client.Sources;

namespace WordCloud.Client.Commands;

/// <summary>Where the producer's posts come from (<c>--source</c>).</summary>
public enum PostSourceKind
{
    /// <summary>The built-in feed of made-up posts.</summary>
    Demo,

    /// <summary>A file or standard input (<c>--file</c>).</summary>
    File,

    /// <summary>Bluesky's public Jetstream.</summary>
    Jetstream,

    /// <summary>A Mastodon server's public timeline of a hashtag.</summary>
    Mastodon,
}

/// <summary>The options that choose and set up the producer's post source, and the source they describe.</summary>
public static class SourceOptions
{
    public static readonly Option<PostSourceKind?> Source = new("--source")
    {
        Description = "Where posts come from: demo, file, jetstream (Bluesky) or mastodon. Default: file when --file is given, else demo.",
    };

    public static readonly Option<string?> File = new("--file", "-f")
    {
        Description = "Read posts from this file, one per line (.jsonl/.ndjson: JSON objects; .csv: CSV records); '-' reads standard input. Default: the demo feed.",
    };

    public static readonly Option<PostFileFormat> Format = new("--format")
    {
        Description = "How to read --file: Auto (by extension), Text, JsonLines or Csv.",
        DefaultValueFactory = _ => PostFileFormat.Auto,
    };

    public static readonly Option<int> Seed = new("--seed")
    {
        Description = "Seed of the demo feed; the same seed gives the same posts.",
        DefaultValueFactory = _ => Environment.TickCount,
    };

    public static readonly Option<Uri?> JetstreamUrl = new("--jetstream-url")
    {
        Description = $"The Jetstream subscribe URL (ws:// or wss://). Default: {JetstreamSettings.PublicEndpoints[0]}, falling back to Bluesky's other public instances.",
        CustomParser = ParseJetstreamUrl,
    };

    public static readonly Option<string[]> Languages = new("--lang")
    {
        Description = "Keep only posts in this language, such as en (which also takes en-US); repeat for more. Posts that declare no language are then skipped. Default: every language.",
        CustomParser = ParseLanguages,
        AllowMultipleArgumentsPerToken = false,
    };

    public static void AddTo(Command command)
    {
        command.Options.Add(Source);
        command.Options.Add(File);
        command.Options.Add(Format);
        command.Options.Add(Seed);
        command.Options.Add(JetstreamUrl);
        command.Options.Add(Languages);
        MastodonOptions.AddTo(command);
        CsvOptions.AddTo(command);
        command.Validators.Add(ValidateCombination);
    }

    /// <summary>The source chosen: <c>--source</c>, else file when <c>--file</c> is given, else the demo feed.</summary>
    public static PostSourceKind KindOf(ParseResult parse) => KindOf(parse.GetValue(Source), parse.GetValue(File));

    /// <summary>Makes the chosen source; a file is opened now, so that a missing one is reported before connecting.</summary>
    /// <param name="parse">The parsed command line, already valid.</param>
    /// <param name="topic">The topic, normalized.</param>
    /// <param name="resume">Where an earlier run stopped (its last acknowledged item's resume), or null.</param>
    /// <param name="givesResume">Whether the items must say where to resume (a file gives its line numbers only then).</param>
    /// <param name="loggers">For the sources that log their own connections.</param>
    /// <exception cref="IOException">The file cannot be opened; the message names it.</exception>
    /// <exception cref="InvalidDataException">A file's <paramref name="resume"/> is not a line number.</exception>
    public static IPostSource Create(ParseResult parse, string topic, string? resume, bool givesResume, ILoggerFactory loggers) => KindOf(parse) switch
    {
        PostSourceKind.File => OpenFile(parse, parse.GetRequiredValue(File)!, resume, givesResume),
        PostSourceKind.Jetstream => new JetstreamSource(
            new JetstreamSettings(
                parse.GetValue(JetstreamUrl) is { } url ? [url] : JetstreamSettings.PublicEndpoints,
                topic,
                new LanguageFilter(parse.GetValue(Languages) ?? [])),
            resume,
            loggers.CreateLogger<JetstreamSource>()),
        PostSourceKind.Mastodon => MastodonOptions.Create(parse, topic, parse.GetValue(Languages) ?? [], resume, loggers),
        PostSourceKind.Demo => new DemoFeed(topic, parse.GetValue(Seed)),
        var other => throw new InvalidOperationException($"--source {other} passed validation but has no implementation"),
    };

    /// <summary>The names of the live feeds, whose options are refused with any other source.</summary>
    private static bool IsLiveFeed(PostSourceKind kind) => kind is PostSourceKind.Jetstream or PostSourceKind.Mastodon;

    /// <summary>
    /// What a state file records the chosen source as, so that it resumes only the same source: the file's full path,
    /// the Jetstream URL, or the Mastodon instances; null for a source that cannot resume (the demo feed, standard
    /// input, a CSV file).
    /// </summary>
    public static string? StateKey(ParseResult parse) => KindOf(parse) switch
    {
        PostSourceKind.File when parse.GetValue(File) is { } path && path != FilePostSource.StandardInput
            && FilePostSource.Resolve(path, parse.GetValue(Format)) != PostFileFormat.Csv => FilePostSource.SourceKey(path),
        PostSourceKind.Jetstream => $"jetstream:{parse.GetValue(JetstreamUrl)?.ToString() ?? "bluesky public"}",
        PostSourceKind.Mastodon => $"mastodon:{string.Join(' ', (parse.GetValue(MastodonOptions.Instance) is { Length: > 0 } instances ? instances : [MastodonSettings.DefaultInstance]).Select(MastodonSource.InstanceKey).Order(StringComparer.Ordinal))}",
        _ => null,
    };

    /// <summary>The chosen source in a few words, for messages.</summary>
    public static string Describe(ParseResult parse) => KindOf(parse) switch
    {
        PostSourceKind.Demo => "the demo feed",
        PostSourceKind.File when parse.GetValue(File) == FilePostSource.StandardInput => "standard input",
        PostSourceKind.File => $"the {FilePostSource.Resolve(parse.GetValue(File)!, parse.GetValue(Format))} file {parse.GetValue(File)}",
        var kind => $"--source {kind.ToString().ToLowerInvariant()}",
    };

    private static IPostSource OpenFile(ParseResult parse, string path, string? resume, bool givesResume)
    {
        var format = FilePostSource.Resolve(path, parse.GetValue(Format));
        if (format == PostFileFormat.Csv)
        {
            return CsvPostSource.Open(path, CsvOptions.ColumnsFrom(parse));
        }

        return CsvOptions.AnyGiven(parse)
            ? throw new IOException($"the --*-column options are for CSV, and '{path}' is read as {format}; give --format csv to read it as CSV")
            : FilePostSource.Open(path, format, resume, givesResume);
    }

    private static PostSourceKind KindOf(PostSourceKind? source, string? file) =>
        source ?? (file is null ? PostSourceKind.Demo : PostSourceKind.File);

    /// <summary>Options that belong to another source are refused rather than silently ignored.</summary>
    private static void ValidateCombination(CommandResult result)
    {
        var file = result.GetValue(File);
        var kind = KindOf(result.GetValue(Source), file);
        var name = kind.ToString().ToLowerInvariant();
        if (kind == PostSourceKind.File && file is null)
        {
            result.AddError("--source file needs --file PATH (or --file - for standard input)");
        }

        if (kind != PostSourceKind.File && file is not null)
        {
            result.AddError($"--file is for --source file; --source {name} does not read a file");
        }

        if (kind != PostSourceKind.Jetstream && result.GetResult(JetstreamUrl) is not null)
        {
            result.AddError($"--jetstream-url is for --source jetstream; the source here is {name}");
        }

        if (!IsLiveFeed(kind) && result.GetResult(Languages) is not null)
        {
            result.AddError($"--lang is for a live feed (--source jetstream or mastodon); the source here is {name}");
        }

        foreach (var option in (Option[])[MastodonOptions.Instance, MastodonOptions.Poll, MastodonOptions.Token])
        {
            if (kind != PostSourceKind.Mastodon && result.GetResult(option) is { Implicit: false })
            {
                result.AddError($"{option.Name} is for --source mastodon; the source here is {name}");
            }
        }
    }

    private static Uri? ParseJetstreamUrl(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "ws" or "wss" && !string.IsNullOrEmpty(url.Host))
        {
            return url;
        }

        result.AddError($"invalid --jetstream-url '{text}': it must be a ws:// or wss:// URL, such as {JetstreamSettings.PublicEndpoints[0]}");
        return null;
    }

    private static string[] ParseLanguages(ArgumentResult result)
    {
        var languages = new List<string>();
        foreach (var token in result.Tokens)
        {
            if (LanguageFilter.IsValidTag(token.Value))
            {
                languages.Add(token.Value);
            }
            else
            {
                result.AddError($"invalid --lang '{token.Value}': {LanguageFilter.TagRule}");
            }
        }

        return [.. languages];
    }
}
