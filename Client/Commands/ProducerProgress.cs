using System.Globalization;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using WordCloud.Client.Sources;

namespace WordCloud.Client.Commands;

/// <summary>
/// Shows how a producer run is going, from a timer that reads the producer's tally and the source's counters (never
/// from the run's own path): on a terminal, a live line on standard error (standard output carries the logs and the
/// summary); otherwise, or with <c>--no-progress</c>, an Information log line every <see cref="LogPeriod"/>. For a
/// file it gives the share read and the time left; for a live feed, how far behind the feed the source is.
/// </summary>
internal sealed partial class ProducerProgress(Func<ProducerTally> tally, IPostSource source, ILogger logger, TimeProvider time)
{
    public static readonly TimeSpan LogPeriod = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan RefreshPeriod = TimeSpan.FromMilliseconds(250);

    private ProducerTally _last;

    /// <summary>Whether a live line can be drawn: standard error is a terminal.</summary>
    public static bool CanShowLive => !Console.IsErrorRedirected;

    /// <summary>Reports until <paramref name="end"/>, then once more with the final figures.</summary>
    public Task RunAsync(bool live, CancellationToken end) => live ? ShowLiveAsync(end) : LogAsync(end);

    private async Task LogAsync(CancellationToken end)
    {
        using var timer = new PeriodicTimer(LogPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(end))
            {
                var figures = Measure(fileShare: true);
                LogProgress(logger, figures.Tally.Read, figures.Tally.Sent, figures.Tally.Duplicates, figures.Skipped, figures.Rate, figures.Where);
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended; the summary line says the rest.
        }
    }

    private async Task ShowLiveAsync(CancellationToken end)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var file = source as FilePostSource;
        var length = file?.Length;
        ProgressColumn[] columns = length is > 0
            ? [new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn()]
            : [new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }];
        await console.Progress().AutoClear(false).HideCompleted(false).Columns(columns).StartAsync(async context =>
        {
            var task = context.AddTask(Markup.Escape(Describe(Measure(fileShare: false))), maxValue: length is > 0 ? length.Value : 1);
            task.IsIndeterminate = length is not > 0;
            using var timer = new PeriodicTimer(RefreshPeriod, time);
            try
            {
                while (await timer.WaitForNextTickAsync(end))
                {
                    Update(task, file);
                }
            }
            catch (OperationCanceledException)
            {
                // The run ended: one last update below, with the final figures.
            }

            Update(task, file);
            task.StopTask();
        });
    }

    private void Update(ProgressTask task, FilePostSource? file)
    {
        task.Description = Markup.Escape(Describe(Measure(fileShare: false)));
        if (file is { Length: > 0 })
        {
            task.Value = file.BytesRead;
        }
    }

    /// <param name="fileShare">Say how much of a file is read (the live line has a bar and a percentage for it).</param>
    private Figures Measure(bool fileShare)
    {
        var now = tally();
        var seconds = (now.Elapsed - _last.Elapsed).TotalSeconds;
        var rate = seconds > 0 ? (now.Sent - _last.Sent) / seconds : 0;
        _last = now;
        var where = string.Empty;
        if (source.Counters.LagAt(time.GetUtcNow()) is { } lag)
        {
            where = string.Create(CultureInfo.InvariantCulture, $", lag {lag.TotalSeconds:0.0} s");
        }
        else if (fileShare && source is FilePostSource { Length: > 0 and var length } file)
        {
            where = string.Create(CultureInfo.InvariantCulture, $", {100.0 * file.BytesRead / length:0.0}% of the file");
        }

        return new Figures(now, source.Counters.Skipped + now.Invalid, rate, where);
    }

    private static string Describe(Figures figures) => string.Create(CultureInfo.InvariantCulture,
        $"read {figures.Tally.Read:N0} · sent {figures.Tally.Sent:N0} · duplicates {figures.Tally.Duplicates:N0} · skipped {figures.Skipped:N0} · {figures.Rate:N0} posts/s{figures.Where}");

    private readonly record struct Figures(ProducerTally Tally, long Skipped, double Rate, string Where);

    [LoggerMessage(Level = LogLevel.Information, Message = "Progress: {Read} read, {Sent} sent, {Duplicates} duplicates, {Skipped} skipped, {Rate:0} posts/s{Where}")]
    private static partial void LogProgress(ILogger logger, long read, long sent, long duplicates, long skipped, double rate, string where);
}
