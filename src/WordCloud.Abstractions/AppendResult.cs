namespace WordCloud.Abstractions;

/// <summary>What became of a batch of posts.</summary>
/// <param name="Accepted">Posts added to the window.</param>
/// <param name="Rejected">Posts refused, each with its index in the batch and the reason.</param>
/// <param name="Evicted">Older posts that left the window to make room.</param>
/// <param name="AlreadyApplied">
/// The window had applied this batch (same producer and sequence) before: nothing was added this time.
/// </param>
/// <param name="OutOfOrder">
/// An earlier batch of the same producer was not applied, even after the window waited a moment for it: nothing was
/// added; send this one again after the earlier ones are acknowledged. Posts land in the order the producer numbered them.
/// </param>
/// <param name="TotalAppended">Posts the window had accepted in its lifetime once this batch was stored.</param>
/// <param name="Duplicates">
/// Posts dropped because a post with the same id is in the window already (or was, and was deleted): each post counts once,
/// whoever sends it.
/// </param>
/// <param name="Deleted">Deletions in the batch that took a post out of the window; one naming a post the window does not hold does nothing.</param>
[GenerateSerializer, Immutable, Alias("WordCloud.AppendResult")]
public sealed record class AppendResult(
    [property: Id(0)] int Accepted,
    [property: Id(1)] IReadOnlyList<PostRejection> Rejected,
    [property: Id(2)] int Evicted,
    [property: Id(3)] bool AlreadyApplied = false,
    [property: Id(4)] bool OutOfOrder = false,
    [property: Id(5)] long TotalAppended = 0,
    [property: Id(6)] int Duplicates = 0,
    [property: Id(7)] int Deleted = 0);
