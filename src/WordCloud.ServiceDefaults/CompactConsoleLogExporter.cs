using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace WordCloud.ServiceDefaults;

/// <summary>
/// Writes each OpenTelemetry log record as one line on the console's standard output:
/// <c>2026-11-26T10:00:00.000Z INFO  Category: message [trace=… span=…]</c>. The stock console log exporter spends
/// about ten lines on every record, which buries what a person running the demo wants to read. On a terminal, warnings
/// are yellow and errors red, so they stand out among the span lines (<see cref="CompactConsoleSpanProcessor"/>).
/// </summary>
public sealed class CompactConsoleLogExporter : BaseExporter<LogRecord>
{
    public override ExportResult Export(in Batch<LogRecord> batch)
    {
        var text = new StringBuilder();
        foreach (var record in batch)
        {
            Format(record, text, ConsoleWriter.UseColour);
        }

        ConsoleWriter.Write(text.ToString());
        return ExportResult.Success;
    }

    internal static void Format(LogRecord record, StringBuilder text, bool colour = false)
    {
        var paint = colour ? ColourOf(record.LogLevel) : null;
        text.Append(paint)
            .Append(record.Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
            .Append(' ')
            .Append(SeverityOf(record.LogLevel))
            .Append(' ')
            .Append(record.CategoryName)
            .Append(": ")
            .Append(record.FormattedMessage ?? record.Body);
        if (record.Exception is { } exception)
        {
            text.Append(" | ").Append(exception.GetType().Name).Append(": ").Append(exception.Message);
        }

        if (record.TraceId != default)
        {
            text.Append(" [trace=").Append(record.TraceId.ToHexString())
                .Append(" span=").Append(record.SpanId.ToHexString()).Append(']');
        }

        text.Append(paint is null ? null : AnsiReset).Append('\n');
        if (record.Exception is not null && record.LogLevel >= LogLevel.Error)
        {
            // The stack trace of an error goes on the lines after it, indented, for whoever must debug it.
            foreach (var line in record.Exception.ToString().Split('\n').Skip(1))
            {
                text.Append("    ").Append(line.TrimEnd()).Append('\n');
            }
        }
    }

    private const string AnsiReset = "\u001b[0m";

    private static string? ColourOf(LogLevel level) => level switch
    {
        LogLevel.Warning => "\u001b[1;33m",
        >= LogLevel.Error and < LogLevel.None => "\u001b[1;31m",
        _ => null,
    };

    private static string SeverityOf(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO ",
        LogLevel.Warning => "WARN ",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "FATAL",
        _ => "NONE ",
    };
}
