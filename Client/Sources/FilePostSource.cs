using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using WordCloud.Abstractions;

namespace WordCloud.Client.Sources;

/// <summary>
/// Posts from a file, one per line, or from standard input when the path is "-". Each line is checked on its own:
/// a bad line is reported with its number and skipped, and the rest still go through.
/// </summary>
public sealed class FilePostSource : IPostSource, IDisposable
{
    public const string StandardInput = "-";

    private readonly TextReader _reader;
    private readonly string _name;
    private readonly PostFileFormat _format;

    private FilePostSource(TextReader reader, string name, PostFileFormat format)
    {
        _reader = reader;
        _name = name;
        _format = format;
    }

    public string Description => $"{_name} ({(_format == PostFileFormat.JsonLines ? "JSON lines" : "text, one post per line")})";

    public FeedCounters Counters { get; } = new();

    /// <summary>Opens the file now, so a missing or unreadable file is reported before connecting to the cluster.</summary>
    /// <exception cref="IOException">The file cannot be opened; the message names it.</exception>
    /// <exception cref="ArgumentException">The format is CSV, which <see cref="CsvPostSource"/> reads.</exception>
    public static FilePostSource Open(string path, PostFileFormat format)
    {
        if (Resolve(path, format) == PostFileFormat.Csv)
        {
            throw new ArgumentException($"'{path}' is CSV, which {nameof(CsvPostSource)} reads", nameof(format));
        }

        if (path == StandardInput)
        {
            var stdin = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
            return new FilePostSource(stdin, "standard input", Resolve(path, format));
        }

        if (Directory.Exists(path))
        {
            throw new IOException($"cannot read posts file '{path}': it is a directory");
        }

        try
        {
            var reader = new StreamReader(path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
            return new FilePostSource(reader, path, Resolve(path, format));
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot read posts file '{path}': {failure.Message}", failure);
        }
    }

    public static PostFileFormat FormatOf(string path) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".jsonl" or ".ndjson" => PostFileFormat.JsonLines,
            ".csv" => PostFileFormat.Csv,
            _ => PostFileFormat.Text,
        };

    /// <summary>The format a file is read in: the one given, or for <see cref="PostFileFormat.Auto"/> the one its name says.</summary>
    public static PostFileFormat Resolve(string path, PostFileFormat format) =>
        format != PostFileFormat.Auto ? format : path == StandardInput ? PostFileFormat.Text : FormatOf(path);

    public async IAsyncEnumerable<SourcedPost> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var number = 0;
        // WaitAsync: a read from a pipe or terminal ignores the token itself, and Ctrl-C must not wait for a line.
        while (await _reader.ReadLineAsync(cancellationToken).AsTask().WaitAsync(cancellationToken) is { } line)
        {
            number++;
            var origin = $"{_name} line {number}";
            var item = _format == PostFileFormat.JsonLines ? ParseJsonLine(line, origin) : ParseTextLine(line, origin);
            Counters.CountSeen();
            if (item.Error is null)
            {
                Counters.CountMatched();
            }
            else
            {
                Counters.CountMalformed();
            }

            yield return item;
        }
    }

    public void Dispose() => _reader.Dispose();

    public static SourcedPost ParseTextLine(string line, string origin)
    {
        var post = new Post(line.Trim(), Source: "file");
        return PostRules.Validate(post) is { } error ? SourcedPost.Invalid(origin, error) : SourcedPost.Valid(post, origin);
    }

    public static SourcedPost ParseJsonLine(string line, string origin)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return SourcedPost.Invalid(origin, "the line is empty; each line must be a JSON object with a \"text\"");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException malformed)
        {
            return SourcedPost.Invalid(origin, $"malformed JSON: {malformed.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return SourcedPost.Invalid(origin, $"the line is a JSON {root.ValueKind.ToString().ToLowerInvariant()}; it must be an object with a \"text\"");
            }

            if (!root.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
            {
                return SourcedPost.Invalid(origin, "\"text\" is missing or not a string; every post needs a text");
            }

            DateTimeOffset? createdAt = null;
            if (root.TryGetProperty("created_at", out var created) && created.ValueKind != JsonValueKind.Null)
            {
                if (created.ValueKind != JsonValueKind.String
                    || !DateTimeOffset.TryParse(created.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    return SourcedPost.Invalid(origin, $"\"created_at\" is {created.GetRawText()}; it must be an ISO 8601 date-time string such as \"2026-11-26T10:00:00Z\"");
                }

                createdAt = parsed;
            }

            var post = new Post(
                text.GetString()!,
                Id: ScalarText(root, "id"),
                Author: ScalarText(root, "author"),
                CreatedAt: createdAt,
                Source: ScalarText(root, "source") ?? "file");
            return PostRules.Validate(post) is { } error ? SourcedPost.Invalid(origin, error) : SourcedPost.Valid(post, origin);
        }
    }

    /// <summary>A string or number member as text (ids are often numbers); null when absent or of another kind.</summary>
    private static string? ScalarText(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;
}
