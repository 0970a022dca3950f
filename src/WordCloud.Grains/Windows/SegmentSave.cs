namespace WordCloud.Grains.Windows;

/// <summary>One save's segments, captured by <see cref="WindowSegments.Capture"/> before its first await.</summary>
/// <param name="Keys">The keys the next head names, in post order.</param>
/// <param name="PostsToWrite">Posts the save writes, into its new segments or into the head's tail.</param>
/// <param name="WriteAsync">Writes the new segments; the head naming them is written after it succeeds.</param>
/// <param name="TailFirst">The number of the first post of <paramref name="Tail"/>.</param>
/// <param name="Tail">The posts the next head carries itself (<see cref="StoredWindowHead.Tail"/>); null when none.</param>
public sealed record class SegmentSave(string[] Keys, long PostsToWrite, Func<Task> WriteAsync, long TailFirst, StoredPosts? Tail);
