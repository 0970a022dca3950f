namespace WordCloud.EndToEndTests.Infrastructure;

/// <summary>A span as the OpenTelemetry console exporter prints it.</summary>
public sealed record ConsoleSpan(string TraceId, string SpanId, string DisplayName, string Kind, string ServiceName);

public static class ConsoleSpans
{
    /// <summary>Reads the "Activity.*" blocks the OpenTelemetry console exporter writes.</summary>
    public static IReadOnlyList<ConsoleSpan> Parse(string output)
    {
        var spans = new List<ConsoleSpan>();
        Dictionary<string, string>? current = null;
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("Activity.TraceId:", StringComparison.Ordinal))
            {
                Flush();
                current = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            if (current is null)
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                current.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
            }
        }

        Flush();
        return spans;

        void Flush()
        {
            if (current is not null
                && current.TryGetValue("Activity.TraceId", out var traceId)
                && current.TryGetValue("Activity.SpanId", out var spanId)
                && current.TryGetValue("Activity.DisplayName", out var name)
                && current.TryGetValue("Activity.Kind", out var kind))
            {
                spans.Add(new ConsoleSpan(traceId, spanId, name, kind, current.GetValueOrDefault("service.name", string.Empty)));
            }

            current = null;
        }
    }
}
