using System.Diagnostics;
using System.Globalization;

namespace WordCloud.Benchmarks.Load;

/// <summary>
/// Posts acknowledged so far, warm-up included, from every stream; <see cref="ReportAsync"/> writes the rate of each
/// interval, so a run shows whether it measured a steady rate (with the .NET default of quick JIT first, a loaded
/// silo on two cores spent its first 15-20 s at a third of its rate; see BENCHMARKS.md, "Warm-up").
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
