namespace WordCloud.Grains.Windows;

/// <summary>
/// Where one window keeps its head and its segments (<see cref="PersistentWindow"/>). The store remembers what it needs
/// to write over or delete what it read or wrote (ETags). A write that fails throws, and the window reloads.
/// </summary>
public interface IWindowStore
{
    /// <summary>The stored head, or null for a window that was never saved.</summary>
    Task<StoredWindowHead?> ReadHeadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the stored head, or stores the first one where this store read none. Fails with an
    /// <c>InconsistentStateException</c> if the stored head is not the one this store last read or wrote: another
    /// writer replaced it, or storage lost it. <see cref="ReadHeadAsync"/> tells which, and makes the next write replace
    /// what it read (a lost head: write a first head).
    /// </summary>
    Task WriteHeadAsync(StoredWindowHead head);

    /// <summary>The segment stored under <paramref name="key"/>, or null when there is none.</summary>
    Task<StoredSegment?> ReadSegmentAsync(string key, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="segment"/> under <paramref name="key"/>, a key never used before.</summary>
    Task WriteSegmentAsync(string key, StoredSegment segment);

    /// <summary>Deletes the segment under <paramref name="key"/>, which this store read or wrote.</summary>
    Task DeleteSegmentAsync(string key);
}
