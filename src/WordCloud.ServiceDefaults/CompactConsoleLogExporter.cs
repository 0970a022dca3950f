using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace WordCloud.ServiceDefaults;

/// <summary>
/// Writes each OpenTelemetry log record as one line on the console's standard output:
/// <c>2026-11-26T10:00:00.000Z INFO  Category: message [trace=… span=…]</c>. The stock console log exporter spends
/// about ten lines on every record, which buries what a person running the demo wants to read.
/// </summary>
public sealed class CompactConsoleLogExporter : BaseExporter<LogRecord>
{
    private static readonly object ConsoleLock = new();

    public override ExportResult Export(in Batch<LogRecord> batch)
    {
        var text = new StringBuilder();
        foreach (var record in batch)
        {
            Format(record, text);
        }

        lock (ConsoleLock)
        {
            // Console.Out is read at each write: `scan --json` points it at standard error after start-up.
            Console.Out.Write(text.ToString());
            Console.Out.Flush();
        }

        return ExportResult.Success;
    }

    internal static void Format(LogRecord record, StringBuilder text)
    {
        text.Append(record.Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
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

        text.Append('\n');
        if (record.Exception is not null && record.LogLevel >= LogLevel.Error)
        {
            // The stack trace of an error goes on the lines after it, indented, for whoever must debug it.
            foreach (var line in record.Exception.ToString().Split('\n').Skip(1))
            {
                text.Append("    ").Append(line.TrimEnd()).Append('\n');
            }
        }
    }

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
