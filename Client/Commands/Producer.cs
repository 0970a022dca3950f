using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using WordCloud.Abstractions;
using WordCloud.Client.Cluster;
using WordCloud.Client.Sources;

namespace WordCloud.Client.Commands;

/// <summary>How a producer run groups and paces its posts.</summary>
/// <param name="BatchSize">Most posts per append call.</param>
/// <param name="Every">One post per period, or null to send batches as fast as the cluster takes them.</param>
/// <param name="Limit">Stop after this many input items (posts and invalid lines), or null.</param>
/// <param name="MaxRate">At most this many posts per second on average, or null.</param>
internal sealed record ProducerSettings(int BatchSize, TimeSpan? Every, long? Limit, double? MaxRate);

/// <summary>
/// Reads posts, groups them into numbered batches, sends each batch and waits for its acknowledgement, and keeps the
/// tally. A batch that fails or times out is sent again, with the same number, until the cluster acknowledges it;
/// the window drops a batch it already applied, so a retry never counts a post twice.
/// </summary>
internal sealed partial class Producer(IWordWindowGrain window, ProducerSettings settings, ILogger logger)
{
    /// <summary>Batches are also cut by size, well below Orleans' 100 MiB message limit.</summary>
    public const int MaxBatchBytes = 4 * 1024 * 1024;

    /// <summary>A slow source (a pipe, a terminal) sends what it has after this long without a new post.</summary>
    public static readonly TimeSpan IdleFlush = TimeSpan.FromMilliseconds(200);

    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly string _producerId = Guid.NewGuid().ToString("N");
    private readonly List<Post> _batch = [];
    private readonly List<string> _origins = [];
    private readonly Stopwatch _clock = new();
    private int _batchBytes;
    private long _sequence;
    private long _read;
    private long _sent;
    private long _accepted;
    private long _rejected;
    private bool _failed;
    private bool _abandoned;

    public string ProducerId => _producerId;

    public async Task<ProduceOutcome> RunAsync(IAsyncEnumerable<SourcedPost> posts, CancellationToken stop)
    {
        _clock.Start();
        using var pace = settings.Every is { } period ? new PeriodicTimer(period) : null;
        // Cancelled on the way out, so a read still waiting for input (a quiet pipe) ends before the source closes.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var items = posts.GetAsyncEnumerator(reading.Token);
        Task<bool>? next = null;
        try
        {
            while (true)
            {
                next ??= items.MoveNextAsync().AsTask();
                if (_batch.Count > 0 && !next.IsCompleted && await Task.WhenAny(next, Task.Delay(IdleFlush, stop)) != next)
                {
                    if (stop.IsCancellationRequested || !await SendAsync(stop))
                    {
                        break;
                    }

                    continue;
                }

                if (!await next)
                {
                    break;
                }

                next = null;
                Take(items.Current);
                if ((_batch.Count >= settings.BatchSize || _batchBytes >= MaxBatchBytes) && !await SendAsync(stop))
                {
                    break;
                }

                if (settings.Limit is { } max && _read >= max)
                {
                    break;
                }

                if (pace is not null && !await pace.WaitForNextTickAsync(stop))
                {
                    break;
                }

                await KeepRateAsync(stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            LogStopping(logger, _batch.Count);
        }
        finally
        {
            await reading.CancelAsync();
            await CloseAsync(items, next);
        }

        // The last, partial batch: still sent after Ctrl-C, since those posts were read and are not yet in the window.
        if (_batch.Count > 0 && !_failed && !_abandoned)
        {
            await SendAsync(stop);
        }

        return new ProduceOutcome(_read, _sent, _accepted, _rejected, _clock.Elapsed, _failed, _abandoned);
    }

    private void Take(SourcedPost item)
    {
        _read++;
        if (item.IsDeletion)
        {
            // Sending deletions to the window belongs with the producer's resume state; until then they are read and let go.
            LogDeletionNotSent(logger, item.Origin, item.DeletedId!);
            return;
        }

        if (item.Error is { } error)
        {
            _rejected++;
            LogInvalidInput(logger, item.Origin, error);
            return;
        }

        _batch.Add(item.Post!);
        _origins.Add(item.Origin);
        _batchBytes += 2 * (item.Post!.Text.Length + (item.Post.Id?.Length ?? 0) + (item.Post.Author?.Length ?? 0) + (item.Post.Source?.Length ?? 0)) + 64;
    }

    /// <summary>Sends the batch until it is acknowledged. False when the run must end (Ctrl-C, or a call that cannot succeed).</summary>
    private async Task<bool> SendAsync(CancellationToken stop)
    {
        // Never disposed here: after a call times out, Orleans may still be writing the batch to a connection. Its
        // buffers go to the garbage collector.
        var batch = PostBatch.Encode([.. _batch], _producerId, ++_sequence);
        var origins = _origins.ToArray();
        _batch.Clear();
        _origins.Clear();
        _batchBytes = 0;

        var delay = FirstRetryDelay;
        var attempts = 0;
        Stopwatch? outage = null;
        while (true)
        {
            attempts++;
            var append = window.AppendAsync(batch);
            try
            {
                var result = await append.WaitAsync(stop);
                if (result.OutOfOrder)
                {
                    // Only one batch is in flight, so the window has lost track of this producer's earlier ones.
                    outage ??= Stopwatch.StartNew();
                    LogOutOfOrder(logger, batch.Sequence, attempts, delay.TotalMilliseconds);
                    await Task.Delay(delay, stop);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
                    continue;
                }

                if (outage is not null)
                {
                    LogRecovered(logger, batch.Sequence, attempts, outage.Elapsed.TotalSeconds);
                }

                Tally(batch, origins, result);
                return true;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return await FinishInFlightAsync(append, batch, origins);
            }
            catch (Exception failure) when (ClientHost.IsConnectionFailure(failure))
            {
                outage ??= Stopwatch.StartNew();
                LogRetrying(logger, batch.Sequence, batch.Count, failure.GetType().Name, failure.Message, attempts, delay.TotalMilliseconds);
            }
            catch (ArgumentException invalid)
            {
                _failed = true;
                LogAppendFailed(logger, batch.Count, origins[0], origins[^1], invalid.Message);
                return false;
            }

            try
            {
                await Task.Delay(delay, stop);
            }
            catch (OperationCanceledException)
            {
                _abandoned = true;
                LogAbandonedInFlight(logger, batch.Count, origins[0], origins[^1], "stop requested while retrying");
                return false;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    /// <summary>After Ctrl-C: gives the batch already sent a few seconds to be acknowledged, then abandons it.</summary>
    private async Task<bool> FinishInFlightAsync(Task<AppendResult> append, PostBatch batch, string[] origins)
    {
        try
        {
            var result = await append.WaitAsync(ProduceCommand.InFlightGrace, CancellationToken.None);
            LogFinishedInFlight(logger, batch.Count, result.Accepted);
            Tally(batch, origins, result);
        }
        catch (Exception failure) when (failure is TimeoutException || ClientHost.IsConnectionFailure(failure))
        {
            _abandoned = true;
            LogAbandonedInFlight(logger, batch.Count, origins[0], origins[^1], $"no acknowledgement within {ProduceCommand.InFlightGrace.TotalSeconds} s ({failure.Message})");
        }

        return false;
    }

    private void Tally(PostBatch batch, string[] origins, AppendResult result)
    {
        _sent += batch.Count;
        if (result.AlreadyApplied)
        {
            // A retry of a batch the window applied before its acknowledgement was lost: the posts are in, once.
            _accepted += batch.Count;
            LogAlreadyApplied(logger, batch.Sequence);
            return;
        }

        _accepted += result.Accepted;
        _rejected += result.Rejected.Count;
        foreach (var rejection in result.Rejected)
        {
            LogRejected(logger, origins[rejection.Index], rejection.Reason);
        }

        LogSent(logger, batch.Sequence, batch.Count, result.Accepted, result.Evicted);
    }

    private async Task KeepRateAsync(CancellationToken stop)
    {
        if (settings.MaxRate is { } rate && _batch.Count == 0)
        {
            var due = TimeSpan.FromSeconds(_sent / rate) - _clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, stop);
            }
        }
    }

    private async Task CloseAsync(IAsyncEnumerator<SourcedPost> items, Task<bool>? pendingRead)
    {
        try
        {
            if (pendingRead is not null)
            {
                await pendingRead;
            }
        }
        catch (OperationCanceledException)
        {
            // The read was waiting for input when the run ended; cancelling it was the point.
            LogSourceClosed(logger);
        }

        await items.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Origin}: {Error}; skipped")]
    private static partial void LogInvalidInput(ILogger logger, string origin, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Origin}: the deletion of {Id} is not sent; this producer sends posts only")]
    private static partial void LogDeletionNotSent(ILogger logger, string origin, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Origin}: rejected by the window: {Reason}")]
    private static partial void LogRejected(ILogger logger, string origin, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Batch {Sequence} of {Count} posts acknowledged: {Accepted} accepted, {Evicted} older posts evicted")]
    private static partial void LogSent(ILogger logger, long sequence, int count, int accepted, int evicted);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {Sequence} had already been applied before its acknowledgement was lost; not counted twice")]
    private static partial void LogAlreadyApplied(ILogger logger, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch {Sequence} of {Count} posts failed ({Error}: {Message}); attempt {Attempt}, sending it again in {DelayMs} ms")]
    private static partial void LogRetrying(ILogger logger, long sequence, int count, string error, string message, int attempt, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch {Sequence} was deferred by the window as out of order; attempt {Attempt}, sending it again in {DelayMs} ms")]
    private static partial void LogOutOfOrder(ILogger logger, long sequence, int attempt, double delayMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {Sequence} acknowledged after {Attempts} attempts; appends succeed again {OutageSeconds:0.000} s after the first failure")]
    private static partial void LogRecovered(ILogger logger, long sequence, int attempts, double outageSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stop requested: sending the {Pending} posts already read, then exiting")]
    private static partial void LogStopping(ILogger logger, int pending);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stop requested while a batch of {Count} posts was in flight: it finished, {Accepted} accepted")]
    private static partial void LogFinishedInFlight(ILogger logger, int count, int accepted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stop requested: abandoned the in-flight batch of {Count} posts ({First} to {Last}): {Why}; they may or may not be in the window")]
    private static partial void LogAbandonedInFlight(ILogger logger, int count, string first, string last, string why);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending a batch of {Count} posts ({First} to {Last}) cannot succeed: {Message}. Posts from there on were not sent")]
    private static partial void LogAppendFailed(ILogger logger, int count, string first, string last, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The post source was closed while a read was pending")]
    private static partial void LogSourceClosed(ILogger logger);
}

/// <summary>What a producer run did, and its one-line summary.</summary>
/// <param name="Read">Input items read: posts and invalid lines.</param>
/// <param name="Sent">Posts sent to the cluster and acknowledged.</param>
/// <param name="Accepted">Posts the window took.</param>
/// <param name="Rejected">Invalid input lines plus posts the window refused.</param>
/// <param name="Elapsed">From the first read to the last acknowledgement.</param>
/// <param name="Failed">A batch could not succeed (not a connection problem) and the run stopped.</param>
/// <param name="AbandonedInFlight">Stopped with a batch sent but not acknowledged.</param>
internal sealed record ProduceOutcome(long Read, long Sent, long Accepted, long Rejected, TimeSpan Elapsed, bool Failed, bool AbandonedInFlight)
{
    public string Summary(string topic)
    {
        var seconds = Math.Max(Elapsed.TotalSeconds, 1e-6);
        return string.Create(CultureInfo.InvariantCulture,
            $"produce: topic={topic} sent={Sent} accepted={Accepted} rejected={Rejected} elapsed={Elapsed.TotalSeconds:0.000}s rate={Accepted / seconds:0.0} posts/s{(Failed ? " (stopped by an error)" : AbandonedInFlight ? " (in-flight batch abandoned)" : string.Empty)}");
    }
}
