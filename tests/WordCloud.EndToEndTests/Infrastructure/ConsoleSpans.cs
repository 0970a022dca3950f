using System.Text.RegularExpressions;

namespace WordCloud.EndToEndTests.Infrastructure;

/// <summary>A span as a process writes it on its console: one line (Telemetry:ConsoleSpans=Compact, the default).</summary>
public sealed record ConsoleSpan(string TraceId, string SpanId, string? ParentSpanId, string DisplayName, string Kind, string Status, IReadOnlyDictionary<string, string> Tags);

public static partial class ConsoleSpans
{
    /// <summary>
    /// Reads the span lines of a process's output:
    /// <c>2026-…Z SPAN  storage write 2.1 ms client OK wordcloud.storage.record=head [trace=… span=… parent=…]</c>.
    /// </summary>
    public static IReadOnlyList<ConsoleSpan> Parse(string output)
    {
        var spans = new List<ConsoleSpan>();
        foreach (var raw in output.Split('\n'))
        {
            var match = SpanLine().Match(raw.TrimEnd('\r'));
            if (!match.Success)
            {
                continue;
            }

            var tags = match.Groups["tags"].Value
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(tag => tag.Split('=', 2))
                .Where(pair => pair.Length == 2)
                .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
            spans.Add(new ConsoleSpan(
                match.Groups["trace"].Value,
                match.Groups["span"].Value,
                match.Groups["parent"].Success ? match.Groups["parent"].Value : null,
                match.Groups["name"].Value,
                match.Groups["kind"].Value,
                match.Groups["status"].Value,
                tags));
        }

        return spans;
    }

    /// <summary>True when <paramref name="line"/> is a span line, not a log line.</summary>
    public static bool IsSpanLine(string line) => SpanLine().IsMatch(line.TrimEnd('\r'));

    [GeneratedRegex(@"^\S+Z SPAN  (?<name>.+?) \d+(\.\d+)? (ms|s) (?<kind>server|client|internal|producer|consumer) (?<status>OK|ERROR(\(.*\))?)(?<tags>.*?) \[trace=(?<trace>[0-9a-f]{32}) span=(?<span>[0-9a-f]{16})( parent=(?<parent>[0-9a-f]{16}))?\]$")]
    private static partial Regex SpanLine();
}
