namespace WordCloud.Tests.Windows;

/// <summary>
/// Runs work one piece at a time, as a grain's scheduler does: continuations of the work come back to this scheduler,
/// so the single-threaded classes a grain wraps can be tested with calls that interleave at their awaits.
/// </summary>
public sealed class OneAtATime
{
    private readonly TaskScheduler _scheduler = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;

    public Task<T> Run<T>(Func<Task<T>> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, _scheduler).Unwrap();

    public Task Run(Func<Task> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, _scheduler).Unwrap();
}
