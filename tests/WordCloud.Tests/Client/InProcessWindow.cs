using System.Text;
using WordCloud.Abstractions;

namespace WordCloud.Tests.Client;

/// <summary>
/// A window grain in this process, for the producer's tests: it applies each producer's numbered batches once and in
/// the order of their numbers, from 1, as the real window does, and lets a test hold an answer back, fail an attempt,
/// defer a batch that arrives ahead of its predecessor, or answer that a batch is out of order whatever came before. It records every call and every entry it applied (a post's text, or
/// "-id" for a deletion).
/// </summary>
internal sealed class InProcessWindow : IWordWindowGrain
{
    private readonly Lock _lock = new();
    private readonly List<(long Sequence, int Attempt)> _calls = [];
    private readonly List<string> _applied = [];
    private readonly Dictionary<long, TaskCompletionSource> _appliedSignals = [];
    private readonly Dictionary<(string? Producer, long Sequence), int> _attempts = [];
    private readonly Dictionary<string, long> _lastApplied = new(StringComparer.Ordinal);
    private readonly List<string> _producers = [];
    private int _inFlight;

    /// <summary>Delays the answer (not the application) of an attempt: (sequence, attempt) → a task to wait for, or null.</summary>
    public Func<long, int, Task?> HoldAnswer { get; init; } = (_, _) => null;

    /// <summary>Fails an attempt: (sequence, attempt) → (the exception, whether the batch was applied before it), or null.</summary>
    public Func<long, int, (Exception Failure, bool Applied)?> Fail { get; init; } = (_, _) => null;

    /// <summary>True: a batch that arrives ahead of its predecessor is deferred at once; false: it waits for it.</summary>
    public bool DeferOutOfOrder { get; init; }

    /// <summary>Answers an attempt that the batch is out of order, applying nothing: (sequence, attempt) → true to do so.</summary>
    public Func<long, int, bool> AnswerOutOfOrder { get; init; } = (_, _) => false;

    public int MostInFlight { get; private set; }

    /// <summary>The producer ids seen, in the order they first came.</summary>
    public IReadOnlyList<string> Producers
    {
        get
        {
            lock (_lock)
            {
                return [.. _producers];
            }
        }
    }

    public IReadOnlyList<(long Sequence, int Attempt)> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public IReadOnlyList<string> Applied
    {
        get
        {
            lock (_lock)
            {
                return [.. _applied];
            }
        }
    }

    /// <summary>Completes once batch <paramref name="sequence"/> has been applied.</summary>
    public Task AppliedAsync(long sequence)
    {
        lock (_lock)
        {
            return SignalOf(sequence).Task;
        }
    }

    public async Task<AppendResult> AppendAsync(PostBatch batch)
    {
        int attempt;
        lock (_lock)
        {
            attempt = _attempts[(batch.ProducerId, batch.Sequence)] = _attempts.GetValueOrDefault((batch.ProducerId, batch.Sequence)) + 1;
            if (batch.ProducerId is { } producer && !_producers.Contains(producer))
            {
                _producers.Add(producer);
            }

            _calls.Add((batch.Sequence, attempt));
            MostInFlight = Math.Max(MostInFlight, ++_inFlight);
        }

        try
        {
            // As over a network: the caller goes on before the answer comes.
            await Task.Yield();
            if (AnswerOutOfOrder(batch.Sequence, attempt))
            {
                return new AppendResult(0, [], 0, OutOfOrder: true);
            }

            if (Fail(batch.Sequence, attempt) is { } failure)
            {
                if (failure.Applied)
                {
                    await ApplyAsync(batch);
                }

                throw failure.Failure;
            }

            var result = await ApplyAsync(batch);
            if (HoldAnswer(batch.Sequence, attempt) is { } hold)
            {
                await hold;
            }

            return result;
        }
        finally
        {
            lock (_lock)
            {
                _inFlight--;
            }
        }
    }

    private async Task<AppendResult> ApplyAsync(PostBatch batch)
    {
        Task predecessor;
        lock (_lock)
        {
            var lastApplied = LastAppliedOf(batch);
            if (batch.Sequence <= lastApplied)
            {
                return new AppendResult(0, [], 0, AlreadyApplied: true);
            }

            if (batch.Sequence == lastApplied + 1)
            {
                return Apply(batch);
            }

            if (DeferOutOfOrder)
            {
                return new AppendResult(0, [], 0, OutOfOrder: true);
            }

            predecessor = SignalOf(batch.Sequence - 1).Task;
        }

        await predecessor;
        lock (_lock)
        {
            return batch.Sequence <= LastAppliedOf(batch) ? new AppendResult(0, [], 0, AlreadyApplied: true) : Apply(batch);
        }
    }

    private AppendResult Apply(PostBatch batch)
    {
        var accepted = 0;
        var deleted = 0;
        for (var index = 0; index < batch.Count; index++)
        {
            var entry = batch.PostAt(index);
            if (PostBytes.IsDeletion(entry))
            {
                _applied.Add("-" + Encoding.UTF8.GetString(PostBytes.IdBytes(entry, out _)));
                deleted++;
            }
            else
            {
                var position = 0;
                _applied.Add(PostBytes.Read(entry, ref position).Text);
                accepted++;
            }
        }

        _lastApplied[batch.ProducerId ?? string.Empty] = batch.Sequence;
        SignalOf(batch.Sequence).TrySetResult();
        return new AppendResult(accepted, [], 0, Deleted: deleted);
    }

    private long LastAppliedOf(PostBatch batch) => _lastApplied.GetValueOrDefault(batch.ProducerId ?? string.Empty);

    private TaskCompletionSource SignalOf(long sequence)
    {
        if (!_appliedSignals.TryGetValue(sequence, out var signal))
        {
            signal = _appliedSignals[sequence] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return signal;
    }

    public Task<WindowStats> GetStatsAsync() => throw new NotSupportedException("the producer only appends");

    public Task<WordCloudView> GetCloudAsync(int top, int newestPosts) => throw new NotSupportedException("the producer only appends");

    public Task<PostPage> GetPostPageAsync(long first, int maxPosts, int top) => throw new NotSupportedException("the producer only appends");

    public Task<WordCloudView> WatchAsync(ICloudWatcher watcher) => throw new NotSupportedException("the producer only appends");

    public Task UnwatchAsync(ICloudWatcher watcher) => throw new NotSupportedException("the producer only appends");
}
