using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WordCloud.ServiceDefaults.Memory;

/// <summary>
/// Hands memory back once the process has been quiet for <c>Memory:IdleSeconds</c>. After a busy stretch the server
/// garbage collector keeps what it committed, even after full collections: a silo that took a million posts at full
/// rate stayed resident at about 1 GB with 326 MB live, for as long as it ran. One aggressive, compacting collection
/// (<see cref="GCCollectionMode.Aggressive"/>, made for this) brought it to 466 MB. It blocks the process while it
/// runs, which is why it waits for quiet and runs once per quiet stretch (<see cref="IdleTrimPolicy"/>).
/// </summary>
public sealed partial class IdleMemoryTrimmer(IOptions<MemoryTrimOptions> options, TimeProvider time, ILogger<IdleMemoryTrimmer> logger) : BackgroundService
{
    /// <summary>How often allocation and the heap are read.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>Allocating at most this much per second counts as quiet (an idle silo: about 80 KB/s).</summary>
    public const long QuietBytesPerSecond = 1024 * 1024;

    private const double Megabyte = 1024 * 1024;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.TrimWhenIdle)
        {
            LogOff(logger);
            return;
        }

        LogOn(logger, settings.IdleSeconds, settings.TrimMinimumMegabytes);
        var policy = new IdleTrimPolicy(TimeSpan.FromSeconds(settings.IdleSeconds), settings.TrimMinimumMegabytes * (long)Megabyte, QuietBytesPerSecond);
        var started = time.GetTimestamp();
        try
        {
            while (true)
            {
                await Task.Delay(CheckInterval, time, stoppingToken);
                var heap = GC.GetGCMemoryInfo();
                if (policy.ShouldTrim(time.GetElapsedTime(started), GC.GetTotalAllocatedBytes(), heap.TotalCommittedBytes, heap.HeapSizeBytes - heap.FragmentedBytes))
                {
                    Trim(heap, settings.IdleSeconds);
                    policy.Trimmed();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private void Trim(GCMemoryInfo before, int idleSeconds)
    {
        var residentBefore = Environment.WorkingSet;
        var started = time.GetTimestamp();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var took = time.GetElapsedTime(started);
        var after = GC.GetGCMemoryInfo();
        LogTrimmed(logger, idleSeconds, residentBefore / Megabyte, Environment.WorkingSet / Megabyte, before.TotalCommittedBytes / Megabyte,
            after.TotalCommittedBytes / Megabyte, after.HeapSizeBytes / Megabyte, took.TotalMilliseconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Idle memory trim: after {IdleSeconds} s quiet, one compacting collection if at least {MinimumMegabytes} MB of the heap's memory is not live data")]
    private static partial void LogOn(ILogger logger, int idleSeconds, int minimumMegabytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Idle memory trim is off (Memory:TrimWhenIdle is false)")]
    private static partial void LogOff(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Memory returned after {IdleSeconds} s quiet: resident {ResidentBefore:0} MB -> {ResidentAfter:0} MB, heap committed {CommittedBefore:0} MB -> {CommittedAfter:0} MB, live {Live:0} MB; the collection took {Milliseconds:0} ms")]
    private static partial void LogTrimmed(ILogger logger, int idleSeconds, double residentBefore, double residentAfter, double committedBefore, double committedAfter, double live, double milliseconds);
}
