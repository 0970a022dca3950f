using System.Diagnostics;
using WordCloud.Abstractions;

namespace WordCloud.Benchmarks.Load;

/// <summary>
/// One producer's numbered batches into one window with several in flight. Acknowledgements are taken in order; a
/// batch the window deferred as out of order (it overtook its predecessor) or that failed is sent again, in order,
/// so the posts land in the order they were read however the calls interleave. A batch acknowledged on its first
/// attempt gives its buffers back (it has been written and read); one sent again leaves them to the garbage collector,
/// since an earlier attempt may still be on its way.
/// </summary>
public sealed class OrderedBatchStream(IWordWindowGrain window, string producerId, int inFlight, LatencyRecorder latencies, Progress progress)
{
    private readonly Queue<(PostBatch Batch, Task<(AppendResult Result, long Acknowledged)> Call, long Started)> _pending = new();
    private long _sequence;

    public long Acknowledged { get; private set; }

    public long Resent { get; private set; }

    /// <summary>Posts the window dropped because it held a post with the same id: none, if the posts are varied enough.</summary>
    public long Duplicates { get; private set; }

    /// <summary>Sends batches from <paramref name="next"/> until <paramref name="stop"/>, then waits for those in flight.</summary>
    /// <param name="next">The next batch's posts.</param>
    /// <param name="counting">Whether acknowledgements count yet (false during the warm-up).</param>
    /// <param name="pace">Waits, before each batch is sent, until the rate limit allows it.</param>
    /// <param name="stop">Ends the run.</param>
    public async Task RunAsync(Func<IReadOnlyCollection<Post>> next, Func<bool> counting, Func<Task> pace, CancellationToken stop)
    {
        // The first batch alone: the window takes a producer's first batch as its start, so it must not be overtaken.
        await SendUntilAppliedAsync(PostBatch.Encode(next(), producerId, ++_sequence), Stopwatch.GetTimestamp(), counting);
        while (!stop.IsCancellationRequested)
        {
            while (_pending.Count < inFlight && !stop.IsCancellationRequested)
            {
                await pace();
                var batch = PostBatch.Encode(next(), producerId, ++_sequence);
                _pending.Enqueue((batch, TimedAsync(window.AppendAsync(batch)), Stopwatch.GetTimestamp()));
            }

            if (!await TakeHeadAsync(counting))
            {
                // The batches sent behind a deferred one overtook it and will be deferred too: settle all of them, in
                // order, before sending more, or every later batch would overtake a re-sent one again.
                await DrainAsync(counting);
            }
        }

        await DrainAsync(counting);
    }

    private async Task DrainAsync(Func<bool> counting)
    {
        while (_pending.Count > 0)
        {
            await TakeHeadAsync(counting);
        }
    }

    /// <summary>Takes the oldest batch in flight; false when it had to be sent again.</summary>
    private async Task<bool> TakeHeadAsync(Func<bool> counting)
    {
        var (batch, call, started) = _pending.Dequeue();
        try
        {
            var (result, acknowledged) = await call;
            if (!result.OutOfOrder)
            {
                Record(batch, result, started, acknowledged, counting);
                batch.Dispose();
                return true;
            }
        }
        catch (Exception failure) when (failure is OrleansException or TimeoutException)
        {
            // Sent again below; if it had landed, the window says AlreadyApplied and nothing is counted twice.
        }

        Resent++;
        await SendUntilAppliedAsync(batch, started, counting, resent: true);
        return false;
    }

    private async Task SendUntilAppliedAsync(PostBatch batch, long started, Func<bool> counting, bool resent = false)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var result = await window.AppendAsync(batch);
                if (!result.OutOfOrder)
                {
                    Record(batch, result, started, Stopwatch.GetTimestamp(), counting);
                    if (attempt == 0 && !resent)
                    {
                        batch.Dispose();
                    }

                    return;
                }
            }
            catch (Exception failure) when (failure is OrleansException or TimeoutException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 << Math.Min(attempt, 6))));
            }
        }
    }

    /// <summary>
    /// The call's result with the moment it arrived. Acknowledgements are taken in order, and the stream may first wait
    /// for its next slot (<c>--max-rate</c>) or for an older batch: timing at that point would add those waits.
    /// </summary>
    private static async Task<(AppendResult Result, long Acknowledged)> TimedAsync(Task<AppendResult> call)
    {
        var result = await call;
        return (result, Stopwatch.GetTimestamp());
    }

    private void Record(PostBatch batch, AppendResult result, long started, long acknowledged, Func<bool> counting)
    {
        progress.Add(batch.Count);
        Duplicates += result.Duplicates;
        if (counting())
        {
            Acknowledged += batch.Count;
            latencies.Add(Stopwatch.GetElapsedTime(started, acknowledged));
        }
    }
}
