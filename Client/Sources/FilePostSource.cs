using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using WordCloud.Abstractions;

namespace WordCloud.Client.Sources;

/// <summary>
/// Posts from a file, one per line, or from standard input when the path is "-". Each line is checked on its own:
/// a bad line is reported with its number and skipped, and the rest still go through. A line over
/// <see cref="BoundedLineReader.MaxLineBytes"/> is skipped unread, and a NUL byte ends the run (the file is not text).
/// </summary>
/// <remarks>
/// A file can resume (<c>produce --state-file</c>): each item's <see cref="SourcedPost.Resume"/> is then its line
/// number, and a source opened with one skips that many lines, so a restarted producer goes on after the last line
/// the window acknowledged. It suits a file that is only ever appended to; a file rewritten in between is not detected.
/// </remarks>
public sealed class FilePostSource : IPostSource, IDisposable
{
    public const string StandardInput = "-";

    private readonly BoundedLineReader _reader;
    private readonly CountingStream? _file;
    private readonly string _name;
    private readonly PostFileFormat _format;
    private readonly long _skip;
    private readonly bool _givesResume;

    private FilePostSource(BoundedLineReader reader, CountingStream? file, string name, PostFileFormat format, long skip = 0, bool givesResume = false)
    {
        _reader = reader;
        _file = file;
        _name = name;
        _format = format;
        _skip = skip;
        _givesResume = givesResume;
    }

    public string Description => $"{_name} ({(_format == PostFileFormat.JsonLines ? "JSON lines" : "text, one post per line")}){(_skip > 0 ? $", resuming after line {_skip}" : string.Empty)}";

    public FeedCounters Counters { get; } = new();

    /// <summary>Bytes of the file read so far (read ahead of the posts given by at most a buffer); 0 for standard input.</summary>
    public long BytesRead => _file?.BytesRead ?? 0;

    /// <summary>The file's size in bytes when it was opened; null for standard input.</summary>
    public long? Length { get; private init; }

    /// <summary>What a state file records the source as: the file's full path (standard input cannot resume).</summary>
    public static string SourceKey(string path) => $"file:{Path.GetFullPath(path)}";

    /// <summary>Opens the file now, so a missing or unreadable file is reported before connecting to the cluster.</summary>
    /// <exception cref="IOException">The file cannot be opened; the message names it.</exception>
    public static FilePostSource Open(string path, PostFileFormat format) => Open(path, format, resume: null, givesResume: false);

    /// <summary>
    /// Opens the file now; with <paramref name="resume"/> (a line number a run of this source gave) it starts after
    /// that line, and with <paramref name="givesResume"/> each item carries its line number as where to resume.
    /// </summary>
    /// <exception cref="IOException">The file cannot be opened; the message names it.</exception>
    /// <exception cref="InvalidDataException"><paramref name="resume"/> is not a line number.</exception>
    /// <exception cref="ArgumentException">The format is CSV, which <see cref="CsvPostSource"/> reads.</exception>
    public static FilePostSource Open(string path, PostFileFormat format, string? resume, bool givesResume)
    {
        if (Resolve(path, format) == PostFileFormat.Csv)
        {
            throw new ArgumentException($"'{path}' is CSV, which {nameof(CsvPostSource)} reads", nameof(format));
        }

        var skip = 0L;
        if (resume is not null && (!long.TryParse(resume, NumberStyles.None, CultureInfo.InvariantCulture, out skip)))
        {
            throw new InvalidDataException($"cannot resume posts file '{path}' at '{resume}': a file resumes at a line number, such as 1200");
        }

        if (path == StandardInput)
        {
            if (resume is not null || givesResume)
            {
                throw new IOException("standard input cannot resume: it is read once, so --state-file needs a file or a live feed");
            }

            var stdin = new BoundedLineReader(Console.OpenStandardInput(), "standard input");
            return new FilePostSource(stdin, null, "standard input", Resolve(path, format));
        }

        if (Directory.Exists(path))
        {
            throw new IOException($"cannot read posts file '{path}': it is a directory");
        }

        FileStream? stream = null;
        try
        {
            // No buffer in the file stream: the reader's own is enough, and the counting stream sees every read.
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            if (!stream.CanSeek)
            {
                // A named pipe, /dev/stdin or <(command): read as standard input is, waiting for lines without blocking.
                return givesResume || resume is not null
                    ? throw new IOException($"cannot resume '{path}': it is a pipe, read once, so --state-file needs a file or a live feed")
                    : new FilePostSource(new BoundedLineReader(stream, path), null, path, Resolve(path, format));
            }

            var file = new CountingStream(stream);
            return new FilePostSource(new BoundedLineReader(file, path), file, path, Resolve(path, format), skip, givesResume) { Length = stream.Length };
        }
        catch (IOException) when (stream is { CanSeek: false })
        {
            stream.Dispose();
            throw;
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

    public IAsyncEnumerable<SourcedPost> ReadAsync(CancellationToken cancellationToken) =>
        _file is null ? ReadPipeAsync(cancellationToken) : ReadFileAsync(cancellationToken);

    /// <summary>
    /// A file on disk is read synchronously: a read from the reader's buffer, or a disk read of 64 KiB, takes
    /// microseconds, and an awaited read per line cost the producer a task per post (BENCHMARKS.md, "Producing from a
    /// file").
    /// </summary>
    private async IAsyncEnumerable<SourcedPost> ReadFileAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var number = 0L;
        while (number < _skip && _reader.Read(out _) != LineRead.End)
        {
            number++;
        }

        while (_reader.Read(out var line) is var found && found != LineRead.End)
        {
            cancellationToken.ThrowIfCancellationRequested();
            number++;
            yield return Item(found, line, number);
        }

        // Never awaited above, on purpose: each step completes at once, and the producer takes that fast path.
        await Task.CompletedTask;
    }

    private async IAsyncEnumerable<SourcedPost> ReadPipeAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var number = 0L;
        // The reader waits with WaitAsync: a read from a pipe or terminal ignores the token itself, and Ctrl-C must not
        // wait for a line.
        while (await _reader.ReadAsync(cancellationToken) is var (found, line) && found != LineRead.End)
        {
            number++;
            yield return Item(found, line, number);
        }
    }

    private SourcedPost Item(LineRead found, string? line, long number)
    {
        var origin = $"{_name} line {number}";
        var item = found == LineRead.TooLong
            ? SourcedPost.Invalid(origin, $"the line is over {BoundedLineReader.MaxLineBytes:N0} bytes, the limit; skipped unread")
            : _format == PostFileFormat.JsonLines ? ParseJsonLine(line!, origin) : ParseTextLine(line!, origin);
        Counters.CountSeen();
        if (item.Error is null)
        {
            Counters.CountMatched();
        }
        else
        {
            Counters.CountMalformed();
        }

        return _givesResume ? item with { Resume = number.ToString(CultureInfo.InvariantCulture) } : item;
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

            Post post;
            try
            {
                post = new Post(
                    text.GetString()!,
                    Id: ScalarText(root, "id"),
                    Author: ScalarText(root, "author"),
                    CreatedAt: createdAt,
                    Source: ScalarText(root, "source") ?? "file");
            }
            catch (InvalidOperationException halfPair)
            {
                // An escaped lone surrogate ("\ud800") is well-formed JSON, but no string: the post is refused, not mangled.
                return SourcedPost.Invalid(origin, $"a string escapes half of a surrogate pair (such as \\ud800 alone): {halfPair.Message}");
            }

            return PostRules.Validate(post) is { } error ? SourcedPost.Invalid(origin, error) : SourcedPost.Valid(post, origin);
        }
    }

    /// <summary>A string or number member as text (ids are often numbers); null when absent or of another kind.</summary>
    private static string? ScalarText(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;
}
