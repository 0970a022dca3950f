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
/// <param name="Limit">Stop after this many input items (posts and invalid lines; not deletions), or null.</param>
/// <param name="MaxRate">At most this many posts per second on average, or null.</param>
/// <param name="InFlight">Most batches sent and not yet acknowledged (1 to <see cref="Producer.MaxInFlight"/>).</param>
/// <param name="FirstRetryDelay">The pause before a failed batch is first sent again; it doubles up to five seconds.</param>
internal sealed record ProducerSettings(int BatchSize, TimeSpan? Every, long? Limit, double? MaxRate, int InFlight = Producer.DefaultInFlight, TimeSpan? FirstRetryDelay = null);

/// <summary>
/// Reads posts, encodes them into numbered batches as it reads, keeps up to <see cref="ProducerSettings.InFlight"/>
/// batches in flight and takes their acknowledgements in order, keeping the tally. The window applies a producer's
/// batches in the order of their numbers, so the posts land in the order they were read however the calls interleave.
/// A batch that fails, or that the window deferred because it overtook a predecessor that failed, is sent again with
/// the same number once every batch before it is acknowledged, and the batches behind it are settled one by one before
/// more are sent; the window drops a batch it already applied, so a retry never counts a post twice.
/// </summary>
internal sealed partial class Producer
{
    /// <summary>Batches are also cut by size, well below Orleans' 100 MiB message limit.</summary>
    public const int MaxBatchBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Eight batches in flight: with one, the window idles while each batch and its answer cross the network; from a
    /// file on this project's machine 4 gave 547,000-592,000 posts/s, 8 gave 584,000-627,000 and 16 gave
    /// 683,000-730,000 (BENCHMARKS.md, "Producing from a file"). Not 16: batches that overtake a late one wait in the
    /// window, which keeps at most <c>WaitingBatches.MaxWaiting</c> (256) for all its producers together.
    /// </summary>
    public const int DefaultInFlight = 8;

    public const int MaxInFlight = 64;

    /// <summary>A slow source (a pipe, a terminal) sends what it has after this long without a new post.</summary>
    public static readonly TimeSpan IdleFlush = TimeSpan.FromMilliseconds(200);

    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A batch the window keeps deferring as out of order, though every batch before it was acknowledged, is given up
    /// after this many answers spanning at least <see cref="OutOfOrderPatience"/>: the window has lost track of this
    /// producer's earlier batches (its storage was rolled back, or it forgot the producer), and retrying cannot help.
    /// </summary>
    public const int MaxOutOfOrderAnswers = 10;

    public static readonly TimeSpan OutOfOrderPatience = TimeSpan.FromSeconds(30);

    /// <summary>
    /// After this long with nothing in flight, the next batch starts a new producer id at number 1: a window forgets a
    /// producer a day after its last batch (<c>ProducerLedger.Retention</c>), and a quiet live feed may be idle longer.
    /// </summary>
    public static readonly TimeSpan IdleRenewal = TimeSpan.FromHours(1);

    /// <summary>The state file is written at most this often while running, and once more at the end.</summary>
    public static readonly TimeSpan StateSavePeriod = TimeSpan.FromSeconds(1);

    private readonly IWordWindowGrain _window;
    private readonly ProducerSettings _settings;
    private readonly ILogger _logger;
    private readonly Action<string>? _saveResume;
    private readonly TimeProvider _time;
    private string _producerId = Guid.NewGuid().ToString("N");
    private long _lastAcknowledgedTimestamp;
    private readonly Queue<InFlightBatch> _inFlight = new();
    private readonly Stopwatch _clock = new();

    // The batch being read: its entries (a post, or the id a deletion names) and where each came from.
    private readonly Post?[] _posts;
    private readonly string?[] _deletions;
    private readonly string[] _origins;
    private int _count;
    private int _batchBytes;
    private string? _batchResume;

    private string? _acknowledgedResume;
    private string? _savedResume;
    private long _lastSaveTimestamp;
    private bool _saved;

    private Task<bool>? _pendingRead;
    private long _sequence;
    private long _dispatched;

    // Written by the run only; read by the progress line and the metrics from other threads.
    private long _read;
    private long _deletionsRead;
    private long _sent;
    private long _accepted;
    private long _duplicates;
    private long _deleted;
    private long _rejected;
    private long _invalid;
    private bool _failed;
    private bool _abandoned;
    private bool _sourceFailed;

    /// <param name="window">The topic's window.</param>
    /// <param name="settings">Batching and pacing.</param>
    /// <param name="logger">Where the run's events go.</param>
    /// <param name="saveResume">
    /// Called with the <see cref="SourcedPost.Resume"/> of the newest acknowledged item, at most once per
    /// <see cref="StateSavePeriod"/> and once at the end: a restart from there sends nothing twice that was acknowledged.
    /// </param>
    /// <param name="time">The clock of the state-file saves.</param>
    public Producer(IWordWindowGrain window, ProducerSettings settings, ILogger logger, Action<string>? saveResume = null, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.InFlight, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.InFlight, MaxInFlight);
        _window = window;
        _settings = settings;
        _logger = logger;
        _saveResume = saveResume;
        _time = time ?? TimeProvider.System;
        _posts = new Post?[settings.BatchSize];
        _deletions = new string?[settings.BatchSize];
        _origins = new string[settings.BatchSize];
    }

    public string ProducerId => _producerId;

    /// <summary>The tally so far; safe to read from any thread while the run goes on.</summary>
    public ProducerTally Tally => new(
        Volatile.Read(ref _read), Volatile.Read(ref _sent), Volatile.Read(ref _accepted), Volatile.Read(ref _duplicates),
        Volatile.Read(ref _deleted), Volatile.Read(ref _rejected), Volatile.Read(ref _invalid), _clock.Elapsed);

    public async Task<ProduceOutcome> RunAsync(IAsyncEnumerable<SourcedPost> posts, CancellationToken stop)
    {
        _clock.Start();
        using var pace = _settings.Every is { } period ? new PeriodicTimer(period) : null;
        // Cancelled on the way out, so a read still waiting for input (a quiet pipe) ends before the source closes.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var items = posts.GetAsyncEnumerator(reading.Token);
        try
        {
            while (await ReadNextAsync(items, stop) is var next && next != ReadOutcome.End)
            {
                if (next == ReadOutcome.Failed)
                {
                    break;
                }

                Take(items.Current);
                if ((_count >= _settings.BatchSize || _batchBytes >= MaxBatchBytes) && !await DispatchAsync(stop))
                {
                    break;
                }

                if (_settings.Limit is { } max && _read - _deletionsRead >= max)
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
            LogStopping(_logger, _count, _inFlight.Count);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            // The source broke (a file that cannot be read further, say): what was read still goes out, and the state
            // file still records the last acknowledged item, so a restart goes on from there.
            _sourceFailed = true;
            LogSourceFailed(_logger, _read, failure.GetType().Name, failure.Message, _count, _inFlight.Count);
        }
        finally
        {
            await reading.CancelAsync();
            await CloseAsync(items);
        }

        await FinishAsync(stop);
        return new ProduceOutcome(_read, _sent, _accepted, _rejected, _clock.Elapsed, _failed, _abandoned, _duplicates, _deleted, _sourceFailed);
    }

    private enum ReadOutcome
    {
        Item,
        End,

        /// <summary>A batch sent while waiting for the source cannot succeed: the run ends.</summary>
        Failed,
    }

    /// <summary>
    /// Moves to the next item. While a slow source has nothing to give, it settles the batches in flight as their
    /// acknowledgements come and sends what it has read after <see cref="IdleFlush"/>.
    /// </summary>
    private async ValueTask<ReadOutcome> ReadNextAsync(IAsyncEnumerator<SourcedPost> items, CancellationToken stop)
    {
        var move = items.MoveNextAsync();
        if (move.IsCompleted)
        {
            return move.Result ? ReadOutcome.Item : ReadOutcome.End;
        }

        // Kept in a field: if the run ends while it waits, the source must not be closed under it (CloseAsync).
        var pending = _pendingRead = move.AsTask();
        Task? idle = null;
        while (!pending.IsCompleted)
        {
            idle ??= _count > 0 ? Task.Delay(IdleFlush, stop) : null;
            var head = _inFlight.Count > 0 ? _inFlight.Peek().Call : null;
            var done = await Task.WhenAny(Waits(pending, idle, head));
            if (done == pending)
            {
                break;
            }

            stop.ThrowIfCancellationRequested();
            if (done == head ? !await SettleHeadAsync(stop) : !await DispatchAsync(stop))
            {
                return ReadOutcome.Failed;
            }

            if (done == idle)
            {
                idle = null;
            }
        }

        bool hasItem;
        try
        {
            hasItem = await pending;
        }
        finally
        {
            // Done, whatever its outcome: a failure is the run's to report, not the close's.
            _pendingRead = null;
        }

        return hasItem ? ReadOutcome.Item : ReadOutcome.End;
    }

    private static Task[] Waits(Task<bool> pending, Task? idle, Task? head) => (idle, head) switch
    {
        (null, null) => [pending],
        (null, _) => [pending, head],
        (_, null) => [pending, idle],
        _ => [pending, idle, head],
    };

    private void Take(SourcedPost item)
    {
        _read++;
        if (item.IsDeletion)
        {
            // A live feed passes on deletions of posts on any topic: --count counts what it reads for the topic.
            _deletionsRead++;
        }

        if (item.Resume is { } resume)
        {
            _batchResume = resume;
        }

        if (item.Error is { } error)
        {
            _rejected++;
            _invalid++;
            LogInvalidInput(_logger, item.Origin, error);
            return;
        }

        if (item.IsDeletion)
        {
            _posts[_count] = null;
            _deletions[_count] = item.DeletedId;
            _batchBytes += (2 * item.DeletedId!.Length) + 16;
        }
        else
        {
            var post = item.Post!;
            _posts[_count] = post;
            _deletions[_count] = null;
            _batchBytes += (2 * (post.Text.Length + (post.Id?.Length ?? 0) + (post.Author?.Length ?? 0) + (post.Source?.Length ?? 0))) + 64;
        }

        _origins[_count] = item.Origin;
        _count++;
    }

    /// <summary>
    /// Encodes the batch read so far and sends it, first waiting for a free place among those in flight. False when
    /// the run must end (a call that cannot succeed). The first batch goes alone: a window that does not know the
    /// producer yet applies nothing before batch 1, so the others would only wait there for it.
    /// </summary>
    private async Task<bool> DispatchAsync(CancellationToken stop)
    {
        if (_count == 0)
        {
            return true;
        }

        while (_inFlight.Count >= _settings.InFlight)
        {
            if (!await SettleHeadAsync(stop))
            {
                return false;
            }
        }

        if (_inFlight.Count == 0 && _sequence > 0 && _time.GetElapsedTime(_lastAcknowledgedTimestamp) >= IdleRenewal)
        {
            // Nothing in flight, so nothing the new id could overtake; the window may have forgotten the old one.
            _producerId = Guid.NewGuid().ToString("N");
            _sequence = 0;
            LogNewProducerId(_logger, _producerId, IdleRenewal.TotalMinutes);
        }

        var flight = Encode();
        _dispatched += flight.Posts;
        flight.Call = _window.AppendAsync(flight.Batch);
        _inFlight.Enqueue(flight);
        return flight.Batch.Sequence > 1 || await SettleHeadAsync(stop);
    }

    private InFlightBatch Encode()
    {
        var origins = _origins.AsSpan(0, _count).ToArray();
        var deletions = 0;
        using var builder = new PostBatchBuilder(_count);
        for (var index = 0; index < _count; index++)
        {
            if (_deletions[index] is { } id)
            {
                builder.AddDeletion(id);
                deletions++;
            }
            else
            {
                builder.Add(_posts[index]);
            }
        }

        // Never disposed unless acknowledged on its first attempt: after a call times out, Orleans may still be
        // writing the batch to a connection, and its buffers then go to the garbage collector instead.
        var batch = builder.Build(_producerId, ++_sequence);
        var flight = new InFlightBatch(batch, origins, _count - deletions, _batchResume);
        Array.Clear(_posts, 0, _count);
        Array.Clear(_deletions, 0, _count);
        _count = 0;
        _batchBytes = 0;
        _batchResume = null;
        return flight;
    }

    /// <summary>
    /// Waits for the oldest batch in flight to be acknowledged, sending it again until it is; when it had to be sent
    /// again, settles every batch behind it too, in order, before more are sent (they overtook it and will have been
    /// deferred). False when the run must end. Throws <see cref="OperationCanceledException"/> on
    /// <paramref name="patience"/>, with the batches still queued.
    /// </summary>
    private async Task<bool> SettleHeadAsync(CancellationToken patience)
    {
        var head = _inFlight.Peek();
        if (!await SettleAsync(head, patience))
        {
            return false;
        }

        _inFlight.Dequeue();
        if (head.Attempts > 1)
        {
            while (_inFlight.Count > 0)
            {
                if (!await SettleAsync(_inFlight.Peek(), patience))
                {
                    return false;
                }

                _inFlight.Dequeue();
            }
        }

        return true;
    }

    /// <summary>Waits for <paramref name="flight"/>'s acknowledgement, every batch before it being acknowledged, and sends it again until it comes.</summary>
    private async Task<bool> SettleAsync(InFlightBatch flight, CancellationToken patience)
    {
        while (true)
        {
            var batch = flight.Batch;
            try
            {
                var result = await flight.Call!.WaitAsync(patience);
                if (!result.OutOfOrder)
                {
                    if (flight.Outage is { } outage)
                    {
                        LogRecovered(_logger, batch.Sequence, flight.Attempts, outage.Elapsed.TotalSeconds);
                    }

                    Acknowledge(flight, result);
                    return true;
                }

                flight.OutOfOrderAnswers++;
                flight.FirstOutOfOrderTimestamp ??= _time.GetTimestamp();
                if (!flight.Deferred)
                {
                    // It overtook a predecessor that was then sent again; every batch before it is acknowledged now.
                    flight.Deferred = true;
                    LogResentInOrder(_logger, batch.Sequence);
                    flight.Resend(_window);
                    continue;
                }

                // Sent in order and still deferred: the window has lost track of this producer's earlier batches.
                flight.Outage ??= Stopwatch.StartNew();
                if (GivesUp(flight))
                {
                    return false;
                }

                var delay = flight.NextDelay(_settings.FirstRetryDelay ?? FirstRetryDelay);
                LogOutOfOrder(_logger, batch.Sequence, flight.Attempts, delay.TotalMilliseconds);
                await Task.Delay(delay, patience);
            }
            catch (Exception failure) when (ClientHost.IsConnectionFailure(failure))
            {
                flight.Outage ??= Stopwatch.StartNew();
                var delay = flight.NextDelay(_settings.FirstRetryDelay ?? FirstRetryDelay);
                LogRetrying(_logger, batch.Sequence, batch.Count, failure.GetType().Name, failure.Message, flight.Attempts, delay.TotalMilliseconds);
                await Task.Delay(delay, patience);
            }
            catch (ArgumentException invalid)
            {
                _failed = true;
                LogAppendFailed(_logger, batch.Count, flight.Origins[0], flight.Origins[^1], invalid.Message);
                return false;
            }
            catch (Exception unexpected) when (unexpected is not OperationCanceledException)
            {
                // Neither the cluster's refusal nor a failure to reach it (an answer this client cannot read, say): the
                // run ends with the batch named rather than with the source blamed or an unhandled exception.
                _failed = true;
                LogAppendFailed(_logger, batch.Count, flight.Origins[0], flight.Origins[^1], $"{unexpected.GetType().Name}: {unexpected.Message}");
                return false;
            }

            flight.Resend(_window);
        }
    }

    /// <summary>
    /// True, with the run marked failed, when <paramref name="flight"/> was deferred as out of order too often for too
    /// long (<see cref="MaxOutOfOrderAnswers"/>, <see cref="OutOfOrderPatience"/>) to go on.
    /// </summary>
    private bool GivesUp(InFlightBatch flight)
    {
        var span = _time.GetElapsedTime(flight.FirstOutOfOrderTimestamp!.Value);
        if (flight.OutOfOrderAnswers < MaxOutOfOrderAnswers || span < OutOfOrderPatience)
        {
            return false;
        }

        _failed = true;
        LogOutOfOrderGivenUp(_logger, flight.Batch.Sequence, flight.OutOfOrderAnswers, span.TotalSeconds, flight.Batch.Count, flight.Origins[0], flight.Origins[^1]);
        return true;
    }

    private void Acknowledge(InFlightBatch flight, AppendResult result)
    {
        _lastAcknowledgedTimestamp = _time.GetTimestamp();
        var batch = flight.Batch;
        if (flight.Attempts == 1)
        {
            // Written and answered: nothing reads its buffers any more.
            batch.Dispose();
        }

        Volatile.Write(ref _sent, _sent + batch.Count);
        if (result.AlreadyApplied)
        {
            // A retry of a batch the window applied before its acknowledgement was lost: the posts are in, once.
            Volatile.Write(ref _accepted, _accepted + flight.Posts);
            LogAlreadyApplied(_logger, batch.Sequence);
        }
        else
        {
            Volatile.Write(ref _accepted, _accepted + result.Accepted);
            Volatile.Write(ref _duplicates, _duplicates + result.Duplicates);
            Volatile.Write(ref _deleted, _deleted + result.Deleted);
            Volatile.Write(ref _rejected, _rejected + result.Rejected.Count);
            foreach (var rejection in result.Rejected)
            {
                LogRejected(_logger, flight.Origins[rejection.Index], rejection.Reason);
            }

            LogSent(_logger, batch.Sequence, batch.Count, result.Accepted, result.Evicted);
        }

        if (flight.Resume is { } resume)
        {
            _acknowledgedResume = resume;
            SaveState(force: false);
        }
    }

    /// <summary>
    /// After the reading: sends the last, partial batch (also after Ctrl-C, since those posts were read and are not
    /// yet in the window) and settles every batch in flight, within <see cref="ProduceCommand.InFlightGrace"/> once a
    /// stop was requested; what is not acknowledged by then is abandoned.
    /// </summary>
    private async Task FinishAsync(CancellationToken stop)
    {
        if (_failed)
        {
            // What was acknowledged before the batch that cannot succeed is in the window: a restart goes on after it.
            SaveState(force: true);
            return;
        }

        // No limit on the wait while the run goes on; from a stop (before or during the wait), the grace period.
        using var grace = new CancellationTokenSource();
        using var registration = stop.Register(() => grace.CancelAfter(ProduceCommand.InFlightGrace));
        var patience = grace.Token;
        var stopped = stop.IsCancellationRequested;
        var waiting = _inFlight.Count;
        try
        {
            if (_count > 0 && !await DispatchAsync(patience))
            {
                return;
            }

            while (_inFlight.Count > 0)
            {
                if (!await SettleHeadAsync(patience))
                {
                    return;
                }
            }

            if (stopped && waiting > 0)
            {
                LogFinishedInFlight(_logger, waiting);
            }

            // Invalid lines read after the last batch have been dealt with too: a restart need not read them again.
            if (_batchResume is { } resume)
            {
                _acknowledgedResume = resume;
            }
        }
        catch (OperationCanceledException) when (grace.IsCancellationRequested)
        {
            _abandoned = true;
            var abandoned = _inFlight.ToArray();
            var why = $"no acknowledgement within {ProduceCommand.InFlightGrace.TotalSeconds} s of the stop";
            if (abandoned.Length > 0)
            {
                LogAbandonedInFlight(_logger, abandoned.Length, abandoned.Sum(flight => flight.Batch.Count), abandoned[0].Origins[0], abandoned[^1].Origins[^1], why);
            }

            if (_count > 0)
            {
                LogAbandonedUnsent(_logger, _count, _origins[0], _origins[_count - 1], why);
            }
        }
        finally
        {
            SaveState(force: true);
        }
    }

    private void SaveState(bool force)
    {
        if (_saveResume is null || _acknowledgedResume is not { } resume || resume == _savedResume)
        {
            return;
        }

        var now = _time.GetTimestamp();
        if (!force && _saved && _time.GetElapsedTime(_lastSaveTimestamp, now) < StateSavePeriod)
        {
            return;
        }

        try
        {
            _saveResume(resume);
            (_savedResume, _lastSaveTimestamp, _saved) = (resume, now, true);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            // The posts are in the window; only a restart would send some again. Tried again at the next acknowledgement.
            LogStateNotSaved(_logger, failure.Message);
        }
    }

    private async Task KeepRateAsync(CancellationToken stop)
    {
        if (_settings.MaxRate is { } rate && _count == 0)
        {
            var due = TimeSpan.FromSeconds(_dispatched / rate) - _clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, stop);
            }
        }
    }

    private async Task CloseAsync(IAsyncEnumerator<SourcedPost> items)
    {
        try
        {
            if (_pendingRead is { } pendingRead)
            {
                _pendingRead = null;
                await pendingRead;
            }
        }
        catch (OperationCanceledException)
        {
            // The read was waiting for input when the run ended; cancelling it was the point.
            LogSourceClosed(_logger);
        }

        await items.DisposeAsync();
    }

    /// <summary>A batch sent and not yet acknowledged: the call, and what the tally and the messages need of it.</summary>
    private sealed class InFlightBatch(PostBatch batch, string[] origins, int posts, string? resume)
    {
        private Backoff? _backoff;

        public PostBatch Batch { get; } = batch;

        public string[] Origins { get; } = origins;

        /// <summary>Posts, deletions not counted.</summary>
        public int Posts { get; } = posts;

        /// <summary>Where the source resumes after the batch's last item that said so.</summary>
        public string? Resume { get; } = resume;

        public Task<AppendResult>? Call { get; set; }

        public int Attempts { get; private set; } = 1;

        /// <summary>The window deferred it once already, as out of order.</summary>
        public bool Deferred { get; set; }

        /// <summary>How many times the window answered that the batch is out of order.</summary>
        public int OutOfOrderAnswers { get; set; }

        /// <summary>When the window first answered that the batch is out of order (<see cref="TimeProvider.GetTimestamp"/>).</summary>
        public long? FirstOutOfOrderTimestamp { get; set; }

        /// <summary>Since the first failure, for the message when it succeeds.</summary>
        public Stopwatch? Outage { get; set; }

        public TimeSpan NextDelay(TimeSpan first) => (_backoff ??= new Backoff(first, TimeSpan.FromTicks(Math.Max(first.Ticks, MaxRetryDelay.Ticks)))).Next();

        public void Resend(IWordWindowGrain window)
        {
            Attempts++;
            Call = window.AppendAsync(Batch);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Origin}: {Error}; skipped")]
    private static partial void LogInvalidInput(ILogger logger, string origin, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Origin}: rejected by the window: {Reason}")]
    private static partial void LogRejected(ILogger logger, string origin, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Batch {Sequence} of {Count} posts acknowledged: {Accepted} accepted, {Evicted} older posts evicted")]
    private static partial void LogSent(ILogger logger, long sequence, int count, int accepted, int evicted);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {Sequence} had already been applied before its acknowledgement was lost; not counted twice")]
    private static partial void LogAlreadyApplied(ILogger logger, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch {Sequence} of {Count} posts failed ({Error}: {Message}); attempt {Attempt}, sending it again in {DelayMs:0} ms")]
    private static partial void LogRetrying(ILogger logger, long sequence, int count, string error, string message, int attempt, double delayMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Batch {Sequence} overtook a batch that was sent again; sending it again after it")]
    private static partial void LogResentInOrder(ILogger logger, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch {Sequence} was deferred by the window as out of order; attempt {Attempt}, sending it again in {DelayMs:0} ms")]
    private static partial void LogOutOfOrder(ILogger logger, long sequence, int attempt, double delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Batch {Sequence} was deferred as out of order {Answers} times over {Seconds:0} s though every batch before it was acknowledged: the window has lost track of this producer's earlier batches (its storage was rolled back or lost, or it forgot the producer), so posts acknowledged before may be lost. Stopping; the {Count} posts from {First} to {Last} and those after were not sent")]
    private static partial void LogOutOfOrderGivenUp(ILogger logger, long sequence, int answers, double seconds, int count, string first, string last);

    [LoggerMessage(Level = LogLevel.Information, Message = "Nothing sent for {Minutes:0} minutes: going on as producer {ProducerId}, from batch 1")]
    private static partial void LogNewProducerId(ILogger logger, string producerId, double minutes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {Sequence} acknowledged after {Attempts} attempts; appends succeed again {OutageSeconds:0.000} s after the first failure")]
    private static partial void LogRecovered(ILogger logger, long sequence, int attempts, double outageSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stop requested: sending the {Pending} posts already read and waiting for the {InFlight} batches in flight, then exiting")]
    private static partial void LogStopping(ILogger logger, int pending, int inFlight);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stop requested while {Batches} batches were in flight: all were acknowledged")]
    private static partial void LogFinishedInFlight(ILogger logger, int batches);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stop requested: abandoned {Batches} batches in flight, {Count} posts ({First} to {Last}): {Why}; they may or may not be in the window")]
    private static partial void LogAbandonedInFlight(ILogger logger, int batches, int count, string first, string last, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stop requested: {Count} posts read ({First} to {Last}) were not sent: {Why}")]
    private static partial void LogAbandonedUnsent(ILogger logger, int count, string first, string last, string why);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending a batch of {Count} posts ({First} to {Last}) cannot succeed: {Message}. Posts from there on were not sent")]
    private static partial void LogAppendFailed(ILogger logger, int count, string first, string last, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The state file was not saved: {Reason}; trying again at the next acknowledgement")]
    private static partial void LogStateNotSaved(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The post source failed after {Read} items ({Error}: {Message}); sending the {Pending} posts already read and waiting for the {InFlight} batches in flight, then exiting")]
    private static partial void LogSourceFailed(ILogger logger, long read, string error, string message, int pending, int inFlight);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The post source was closed while a read was pending")]
    private static partial void LogSourceClosed(ILogger logger);
}

/// <summary>A producer's figures so far, for the progress line and the metrics.</summary>
/// <param name="Read">Input items read: posts, deletions and invalid lines.</param>
/// <param name="Sent">Posts and deletions in acknowledged batches.</param>
/// <param name="Accepted">Posts the window took.</param>
/// <param name="Duplicates">Posts the window already held (by id) and dropped.</param>
/// <param name="Deleted">Deletions that took a post out of the window.</param>
/// <param name="Rejected">Invalid input items plus posts the window refused.</param>
/// <param name="Invalid">Input items that were not posts (malformed lines, broken rules), skipped before sending.</param>
/// <param name="Elapsed">Since the run started.</param>
internal readonly record struct ProducerTally(long Read, long Sent, long Accepted, long Duplicates, long Deleted, long Rejected, long Invalid, TimeSpan Elapsed);

/// <summary>What a producer run did, and its one-line summary.</summary>
/// <param name="Read">Input items read: posts, deletions and invalid lines.</param>
/// <param name="Sent">Posts and deletions sent to the cluster and acknowledged.</param>
/// <param name="Accepted">Posts the window took.</param>
/// <param name="Rejected">Invalid input lines plus posts the window refused.</param>
/// <param name="Elapsed">From the first read to the last acknowledgement.</param>
/// <param name="Failed">A batch could not succeed (not a connection problem) and the run stopped.</param>
/// <param name="AbandonedInFlight">Stopped with batches sent but not acknowledged.</param>
/// <param name="Duplicates">Posts the window dropped because it held a post with the same id.</param>
/// <param name="Deleted">Deletions that took a post out of the window.</param>
/// <param name="SourceFailed">The source broke before its end; what it gave was sent.</param>
internal sealed record ProduceOutcome(long Read, long Sent, long Accepted, long Rejected, TimeSpan Elapsed, bool Failed, bool AbandonedInFlight, long Duplicates = 0, long Deleted = 0, bool SourceFailed = false)
{
    public string Summary(string topic)
    {
        var seconds = Math.Max(Elapsed.TotalSeconds, 1e-6);
        return string.Create(CultureInfo.InvariantCulture,
            $"produce: topic={topic} sent={Sent} accepted={Accepted} duplicates={Duplicates} deleted={Deleted} rejected={Rejected} elapsed={Elapsed.TotalSeconds:0.000}s rate={Accepted / seconds:0.0} posts/s{(Failed ? " (stopped by an error)" : SourceFailed ? " (stopped: the source failed)" : AbandonedInFlight ? " (in-flight batches abandoned)" : string.Empty)}");
    }
}
