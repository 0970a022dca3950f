namespace WordCloud.ServiceDefaults;

/// <summary>How spans are written to the console (<c>Telemetry:ConsoleSpans</c>).</summary>
public enum ConsoleSpans
{
    /// <summary>One line per span: time, name, duration, status, the tags that matter, trace and span ids.</summary>
    Compact,

    /// <summary>The OpenTelemetry console exporter's block of about twenty lines per span, every tag and event included.</summary>
    Full,

    /// <summary>No spans on the console; they still go to OTLP when it is set.</summary>
    Off,
}
