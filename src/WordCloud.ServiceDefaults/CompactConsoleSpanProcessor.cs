using System.Diagnostics;
using System.Globalization;
using System.Text;
using OpenTelemetry;

namespace WordCloud.ServiceDefaults;

/// <summary>
/// Writes each finished span as one line on the console, beside the log lines (<see cref="CompactConsoleLogExporter"/>):
/// <c>2026-11-26T10:00:00.000Z SPAN  POST /api/topics/{topic}/posts 12.4 ms server OK url.path=/api/topics/beer/posts
/// http.response.status_code=200 [trace=… span=… parent=…]</c>. The time is the span's start. The stock console exporter
/// spends about twenty lines on every span, which drowns the log lines an operator looks for.
/// </summary>
/// <remarks>
/// A grain call between two grains of this process makes two spans that say the same thing, the caller's (client) and
/// the callee's (server): only the server span is written, with the caller's parent as its parent, so the lines still
/// make one tree. Calls to other processes keep their client span, the only one this process has, and so do one-way
/// calls, whose client span ends before the server span starts.
/// </remarks>
public sealed class CompactConsoleSpanProcessor : BaseProcessor<Activity>
{
    /// <summary>Tags worth a place on the line, in this order; the others stay in OTLP and the full console output.</summary>
    private static readonly string[] ShownTags =
    [
        "url.path",
        "http.response.status_code",
        "orleans.rpc.target_id",
        "error.type",
        "exception.type",
        "exception.message",
    ];

    /// <summary>Tags of this project's own spans (storage calls) all start so, and are all shown.</summary>
    private const string OwnTagPrefix = "wordcloud.";

    /// <summary>Calls in flight remembered at most; far more than a process has, so only a leak could reach it.</summary>
    private const int MaxCallsInFlight = 16_384;

    private readonly object _gate = new();
    private readonly Action<string> _write;
    private readonly bool _colour;

    /// <summary>Client spans of this process in flight: span id, and its parent's (default: none).</summary>
    private readonly Dictionary<ActivitySpanId, ActivitySpanId> _callsInFlight = [];

    /// <summary>Client spans whose call's server span was written in their stead.</summary>
    private readonly HashSet<ActivitySpanId> _writtenAsServer = [];

    /// <summary>Writes to the console, in colour on a terminal.</summary>
    public CompactConsoleSpanProcessor()
        : this(ConsoleWriter.Write, ConsoleWriter.UseColour)
    {
    }

    /// <summary>Writes each line, ending in a line break, to <paramref name="write"/>.</summary>
    public CompactConsoleSpanProcessor(Action<string> write, bool colour = false) => (_write, _colour) = (write, colour);

    public override void OnStart(Activity span)
    {
        if (span.Kind != ActivityKind.Client || !span.Recorded)
        {
            return;
        }

        lock (_gate)
        {
            if (_callsInFlight.Count >= MaxCallsInFlight)
            {
                _callsInFlight.Clear();
                _writtenAsServer.Clear();
            }

            _callsInFlight[span.SpanId] = span.ParentSpanId;
        }
    }

    public override void OnEnd(Activity span)
    {
        if (!span.Recorded)
        {
            return;
        }

        var parent = span.ParentSpanId;
        lock (_gate)
        {
            if (span.Kind == ActivityKind.Client)
            {
                _callsInFlight.Remove(span.SpanId);
                if (_writtenAsServer.Remove(span.SpanId))
                {
                    return;
                }
            }
            else if (span.Kind == ActivityKind.Server && parent != default && _callsInFlight.TryGetValue(parent, out var callersParent))
            {
                _writtenAsServer.Add(parent);
                parent = callersParent;
            }
        }

        var text = new StringBuilder();
        Format(span, parent, text, _colour);
        _write(text.ToString());
    }

    /// <param name="span">The span.</param>
    /// <param name="parent">The parent to show: the span's own, or its caller's when the caller's span is not written.</param>
    /// <param name="text">Where the line goes.</param>
    /// <param name="colour">Whether to dim the line with ANSI codes (a failed span is red).</param>
    private static void Format(Activity span, ActivitySpanId parent, StringBuilder text, bool colour = false)
    {
        var failed = span.Status == ActivityStatusCode.Error;
        // Spans are the background: dim on a terminal, so warnings and errors of the log stand out; a failed span is red.
        text.Append(colour ? failed ? "\u001b[31m" : "\u001b[2m" : null)
            .Append(span.StartTimeUtc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
            .Append(" SPAN  ")
            .Append(span.DisplayName)
            .Append(' ');
        AppendDuration(span.Duration, text);
        text.Append(' ').Append(KindOf(span.Kind)).Append(' ').Append(StatusOf(span));

        foreach (var key in ShownTags)
        {
            if (span.GetTagItem(key) is { } value)
            {
                AppendTag(key, value, text);
            }
        }

        foreach (var (key, value) in span.TagObjects)
        {
            if (key.StartsWith(OwnTagPrefix, StringComparison.Ordinal) && value is not null)
            {
                AppendTag(key, value, text);
            }
        }

        text.Append(" [trace=").Append(span.TraceId.ToHexString())
            .Append(" span=").Append(span.SpanId.ToHexString());
        if (parent != default)
        {
            text.Append(" parent=").Append(parent.ToHexString());
        }

        text.Append(']').Append(colour ? "\u001b[0m" : null).Append('\n');
    }

    private static void AppendDuration(TimeSpan duration, StringBuilder text)
    {
        if (duration.TotalSeconds >= 1)
        {
            text.Append(duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)).Append(" s");
        }
        else
        {
            text.Append(duration.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)).Append(" ms");
        }
    }

    private static void AppendTag(string key, object value, StringBuilder text)
    {
        text.Append(' ').Append(key).Append('=').Append(FirstLine(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""));
    }

    /// <summary>One span, one line: a message with line breaks is cut at the first.</summary>
    private static string FirstLine(string text)
    {
        var lineBreak = text.AsSpan().IndexOfAny('\r', '\n');
        return lineBreak < 0 ? text : text[..lineBreak];
    }

    private static string KindOf(ActivityKind kind) => kind switch
    {
        ActivityKind.Server => "server",
        ActivityKind.Client => "client",
        ActivityKind.Producer => "producer",
        ActivityKind.Consumer => "consumer",
        _ => "internal",
    };

    private static string StatusOf(Activity span) => span.Status switch
    {
        ActivityStatusCode.Error => string.IsNullOrEmpty(span.StatusDescription) ? "ERROR" : $"ERROR({FirstLine(span.StatusDescription)})",
        ActivityStatusCode.Ok => "OK",
        // Unset: the instrumentation saw nothing wrong (ASP.NET Core leaves every answer below 500 so).
        _ => "OK",
    };
}
