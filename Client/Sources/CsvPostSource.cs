using System.Globalization;
using System.Runtime.CompilerServices;
using CsvHelper;
using WordCloud.Abstractions;

namespace WordCloud.Client.Sources;

/// <summary>
/// Posts from a CSV file with a header row, or from standard input: one post per record, its fields found by column
/// name (<see cref="CsvColumns"/>). Quoted fields may hold commas, quotes and line breaks. A bad record (bad quoting,
/// the wrong number of fields, no text, a time that does not parse) is reported with its record and line numbers and
/// skipped; the rest are still read.
/// </summary>
public sealed class CsvPostSource : IPostSource, IDisposable
{
    private readonly CsvReader _reader;
    private readonly string _name;
    private readonly Queue<SourcedPost> _skipped = new();
    private readonly int _text;
    private readonly int? _id;
    private readonly int? _author;
    private readonly int? _time;
    private readonly int? _source;
    private readonly CsvColumns _columns;
    private long _records;
    private string? _recoveredProblem;

    private CsvPostSource(Func<CsvReaderOptions, CsvReader> open, string name, CsvColumns columns)
    {
        _name = name;
        _columns = columns;
        var options = CsvReaderOptions.Default with
        {
            // Posts are prose: a detected separator could be the semicolons of the first lines' text.
            Separator = ',',
            HasHeader = true,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Skip,
            FieldCountMismatch = CsvFieldCountHandling.Skip,
            OnMalformedRecord = OnMalformedRecord,

            // As a line of a text file: an unclosed quote at the start of a huge file (or /dev/zero) ends the read
            // instead of growing the buffer to gigabytes.
            MaxRecordSize = BoundedLineReader.MaxLineBytes,
        };
        _reader = open(options);
        try
        {
            var headers = _reader.Headers;
            if (headers.Count == 0 || headers.All(string.IsNullOrWhiteSpace))
            {
                throw new IOException($"{name} has no header row; a CSV posts file starts with one naming its columns, such as \"id,author,text\"");
            }

            _text = Column(columns.Text, "--text-column", headers) ?? throw new InvalidOperationException("a required column is always found or thrown for");
            _id = Column(columns.Id, "--id-column", headers);
            _author = Column(columns.Author, "--author-column", headers);
            _time = Column(columns.Time, "--time-column", headers);
            _source = Column(columns.Source, "--source-column", headers);
        }
        catch (Exception failure) when (failure is IOException or CsvFormatException)
        {
            _reader.Dispose();
            throw failure is IOException ? failure : new IOException($"cannot read the header row of {name}: {failure.Message}", failure);
        }
        catch
        {
            _reader.Dispose();
            throw;
        }
    }

    public string Description => $"{_name} (CSV, text in column '{_columns.Text}')";

    public FeedCounters Counters { get; } = new();

    /// <summary>
    /// Opens the file (or standard input for "-") and reads its header now, so a missing file or column is reported
    /// before connecting to the cluster.
    /// </summary>
    /// <exception cref="IOException">The file cannot be opened, has no header, or lacks a named column; the message says which.</exception>
    public static CsvPostSource Open(string path, CsvColumns columns)
    {
        if (path == FilePostSource.StandardInput)
        {
            return Open(Console.OpenStandardInput(), "standard input", columns);
        }

        if (Directory.Exists(path))
        {
            throw new IOException($"cannot read posts file '{path}': it is a directory");
        }

        Stream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan | FileOptions.Asynchronous);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot read posts file '{path}': {failure.Message}", failure);
        }

        return Open(stream, path, columns);
    }

    /// <summary>Reads CSV from <paramref name="stream"/>, which the source disposes; <paramref name="name"/> names it in messages.</summary>
    public static CsvPostSource Open(Stream stream, string name, CsvColumns columns) =>
        new(options => CsvReader.Create(stream, options, leaveOpen: false), name, columns);

    public async IAsyncEnumerable<SourcedPost> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            bool more;
            string? broken = null;
            try
            {
                // WaitAsync: a read from a pipe or terminal ignores the token itself, and Ctrl-C must not wait for a line.
                more = await _reader.ReadAsync(cancellationToken).AsTask().WaitAsync(cancellationToken);
            }
            catch (CsvFormatException failure)
            {
                // Only a record too large to buffer throws with these options: nothing after it can be trusted.
                more = false;
                broken = failure.Message;
            }

            while (_skipped.TryDequeue(out var skipped))
            {
                yield return Count(skipped);
            }

            if (broken is not null)
            {
                yield return Count(SourcedPost.Invalid($"{_name} record {_records + 1}", $"{broken}; the rest of the input is not read"));
            }

            if (!more)
            {
                yield break;
            }

            _records++;
            var origin = $"{_name} record {_records} (line {_reader.LineNumber})";
            if (_recoveredProblem is { } problem)
            {
                _recoveredProblem = null;
                yield return Count(SourcedPost.Invalid(origin, problem));
                continue;
            }

            yield return Count(ParseRecord(origin));
        }
    }

    public void Dispose() => _reader.Dispose();

    private SourcedPost ParseRecord(string origin)
    {
        var text = _reader.GetString(_text);
        if (string.IsNullOrWhiteSpace(text))
        {
            return SourcedPost.Invalid(origin, $"the '{_columns.Text}' column is empty; every post needs a text");
        }

        DateTimeOffset? createdAt = null;
        if (Field(_time) is { } time)
        {
            if (!DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return SourcedPost.Invalid(origin, $"the '{_columns.Time}' column is \"{time}\"; it must be an ISO 8601 date-time such as 2026-11-26T10:00:00Z");
            }

            createdAt = parsed;
        }

        var post = new Post(text, Id: Field(_id), Author: Field(_author), CreatedAt: createdAt, Source: Field(_source) ?? "file");
        return PostRules.Validate(post) is { } error ? SourcedPost.Invalid(origin, error) : SourcedPost.Valid(post, origin);
    }

    /// <summary>An optional column's value; null when the column is not used or the field is empty.</summary>
    private string? Field(int? column) =>
        column is { } index && _reader.GetString(index) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private SourcedPost Count(SourcedPost item)
    {
        Counters.CountSeen();
        if (item.Error is null)
        {
            Counters.CountMatched();
        }
        else
        {
            Counters.CountMalformed();
        }

        return item;
    }

    private void OnMalformedRecord(CsvMalformedRecord record)
    {
        var problem = record.Reason switch
        {
            CsvMalformedReason.FieldCountMismatch => $"the record does not have the header's {_reader.Headers.Count} fields; a field holding a comma must be quoted",
            CsvMalformedReason.StrayQuote => "a quote inside an unquoted field; a field holding quotes must be quoted, with each quote doubled",
            CsvMalformedReason.TextAfterClosingQuote => "text after the closing quote of a field; a quote inside a quoted field must be doubled",
            CsvMalformedReason.UnterminatedQuote => "a quoted field is never closed; the rest of the input was read as part of it",
            _ => $"malformed CSV ({record.Reason})",
        };
        if (!record.Skipped)
        {
            // Recovered and returned by the next read: reported there, with its number.
            _recoveredProblem = problem;
            return;
        }

        _records++;
        _skipped.Enqueue(SourcedPost.Invalid($"{_name} record {_records} (line {record.LineNumber})", problem));
    }

    private int? Column(string? name, string option, IReadOnlyList<string> headers)
    {
        if (name is null)
        {
            return null;
        }

        // Headers keep surrounding spaces as written; a name given on the command line matches them trimmed and in any case.
        for (var index = 0; index < headers.Count; index++)
        {
            if (string.Equals(headers[index].Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return index;
            }
        }

        throw new IOException($"column '{name}' ({option}) not found in {_name}; its columns are: {string.Join(", ", headers)}");
    }
}
