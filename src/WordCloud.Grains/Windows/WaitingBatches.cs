namespace WordCloud.Grains.Windows;

/// <summary>
/// Batches that reached a window before their predecessor, each waiting for it. A producer with several batches in
/// flight sends them in order, but they may travel different ways (two gateways, a retry) and arrive out of order;
/// a batch that waits a moment for its predecessor is applied in order without being sent again.
/// </summary>
/// <remarks>Single-threaded, like the grain that uses it. Bounded: past <see cref="MaxWaiting"/>, batches do not wait.</remarks>
public sealed class WaitingBatches
{
    public const int MaxWaiting = 256;

    /// <summary>Each waiting batch's wait, with how many attempts of it share it.</summary>
    private readonly Dictionary<(string Producer, long Sequence), (TaskCompletionSource Released, int Attempts)> _waiting = [];

    /// <summary>
    /// A task that completes once batch <paramref name="sequence"/> − 1 of <paramref name="producerId"/> is applied
    /// (<see cref="Applied"/>); null when too many batches wait already. A retry of a waiting batch shares its wait.
    /// </summary>
    public Task? WaitForPredecessor(string producerId, long sequence)
    {
        if (_waiting.TryGetValue((producerId, sequence), out var waiting))
        {
            _waiting[(producerId, sequence)] = (waiting.Released, waiting.Attempts + 1);
            return waiting.Released.Task;
        }

        if (_waiting.Count >= MaxWaiting)
        {
            return null;
        }

        // Continuations run after the applying turn, so the waiting batch is applied in a turn of its own.
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.Add((producerId, sequence), (released, 1));
        return released.Task;
    }

    /// <summary>Batch <paramref name="sequence"/> of <paramref name="producerId"/> was applied: its successor may go.</summary>
    public void Applied(string producerId, long sequence)
    {
        if (_waiting.Count > 0 && _waiting.Remove((producerId, sequence + 1), out var successor))
        {
            successor.Released.TrySetResult();
        }
    }

    /// <summary>
    /// An attempt whose wait timed out. The wait is forgotten once no attempt shares it any more (a later attempt then
    /// waits afresh); until then the others are still released when the predecessor is applied.
    /// </summary>
    public void GiveUp(string producerId, long sequence, Task wait)
    {
        if (!_waiting.TryGetValue((producerId, sequence), out var waiting) || waiting.Released.Task != wait)
        {
            return;
        }

        if (waiting.Attempts > 1)
        {
            _waiting[(producerId, sequence)] = (waiting.Released, waiting.Attempts - 1);
        }
        else
        {
            _waiting.Remove((producerId, sequence));
        }
    }
}
