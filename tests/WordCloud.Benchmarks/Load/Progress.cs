using System.Diagnostics;
using System.Globalization;

namespace WordCloud.Benchmarks.Load;

/// <summary>
/// Posts acknowledged so far, warm-up included, from every stream; <see cref="ReportAsync"/> writes the rate of each
/// interval, so a run shows whether it measured a steady rate (a silo that compiles quickly first, then optimised, is
/// slow for its first seconds: BENCHMARKS.md, "Why the code is as it is").
/// </summary>
public sealed class Progress
{
    private long _acknowledged;

    public void Add(int posts) => Interlocked.Add(ref _acknowledged, posts);

    /// <summary>Writes one line per <paramref name="interval"/> until <paramref name="end"/>.</summary>
    public async Task ReportAsync(TextWriter log, TimeSpan interval, Stopwatch clock, TimeSpan warmup, CancellationToken end)
    {
        var last = 0L;
        var lastAt = clock.Elapsed;
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(end))
            {
                var now = clock.Elapsed;
                var total = Interlocked.Read(ref _acknowledged);
                var rate = (total - last) / (now - lastAt).TotalSeconds;
                var phase = now <= warmup ? " (warm-up)" : string.Empty;
                await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"load: {now.TotalSeconds:0} s: {rate:N0} posts/s{phase}"));
                (last, lastAt) = (total, now);
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }
}
