namespace WordCloud.Grains.Windows;

/// <summary>
/// Group commit for one grain's state: every change waits for a write that began after it, and changes made while a
/// write is under way share the next one. Under load, one write covers many batches, and no batch is acknowledged
/// before a write that includes it has succeeded.
/// </summary>
/// <remarks>
/// Single-threaded, like the grain that uses it: every call must come from the grain's own scheduler. The write
/// delegate reads the state as it is when the write starts, so it covers every change counted so far.
/// </remarks>
public sealed class CoalescingWriter(Func<Task> write)
{
    private readonly List<(long Change, TaskCompletionSource Saved)> _waiting = [];
    private long _changes;
    private long _saved;
    private bool _writing;
    private Task _loop = Task.CompletedTask;
    private Exception? _failed;

    /// <summary>The error of the write that failed, after which nothing is written or acknowledged any more; null until then.</summary>
    public Exception? Failure => _failed;

    /// <summary>Counts one change and completes once a write covering it has succeeded (or faults with its error).</summary>
    public Task SaveAsync()
    {
        _changes++;
        return WhenSavedAsync();
    }

    /// <summary>
    /// Completes once every change counted so far is written; at once when they already are. After a failed write
    /// it always faults: memory is then ahead of storage, and nothing may be acknowledged until the owner reloads.
    /// </summary>
    public Task WhenSavedAsync()
    {
        if (_failed is not null)
        {
            return Task.FromException(_failed);
        }

        if (_saved >= _changes)
        {
            return Task.CompletedTask;
        }

        var saved = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.Add((_changes, saved));
        if (!_writing)
        {
            _loop = WriteUntilSavedAsync();
        }

        return saved.Task;
    }

    /// <summary>The write loop now running, for a caller that must not leave it behind (deactivation).</summary>
    public Task Idle => _loop;

    private async Task WriteUntilSavedAsync()
    {
        _writing = true;
        try
        {
            while (_saved < _changes)
            {
                var covering = _changes;
                try
                {
                    await write();
                }
                catch (Exception failure)
                {
                    // Nothing counted so far is known to be stored: every waiter fails, so does every later caller
                    // (a retry of a failed batch must not be told it is saved), and the owner reloads.
                    _failed = failure;
                    foreach (var (_, saved) in _waiting)
                    {
                        saved.TrySetException(failure);
                    }

                    _waiting.Clear();
                    return;
                }

                _saved = covering;
                _waiting.RemoveAll(waiter =>
                {
                    if (waiter.Change > covering)
                    {
                        return false;
                    }

                    waiter.Saved.TrySetResult();
                    return true;
                });
            }
        }
        finally
        {
            _writing = false;
        }
    }
}
