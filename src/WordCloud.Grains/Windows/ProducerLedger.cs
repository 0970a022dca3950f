namespace WordCloud.Grains.Windows;

/// <summary>
/// The last batch sequence number a window applied for each producer, so a retried batch is recognised and dropped.
/// Keeps the <see cref="MaxProducers"/> most recently seen producers; a producer forgotten that long ago is not
/// retrying any more.
/// </summary>
public sealed class ProducerLedger
{
    public const int MaxProducers = 4096;

    private readonly Dictionary<string, ProducerProgress> _producers = new(StringComparer.Ordinal);
    private long _clock;

    /// <summary>True when a batch with this or a later sequence number of <paramref name="producerId"/> was applied.</summary>
    public bool IsApplied(string producerId, long sequence) =>
        _producers.TryGetValue(producerId, out var progress) && sequence <= progress.Sequence;

    /// <summary>
    /// True when a batch of <paramref name="producerId"/> numbered <paramref name="sequence"/> would skip one not yet
    /// applied. A producer the ledger does not know starts wherever its first batch says.
    /// </summary>
    public bool IsAhead(string producerId, long sequence) =>
        _producers.TryGetValue(producerId, out var progress) && sequence > progress.Sequence + 1;

    public void Record(string producerId, long sequence)
    {
        _producers[producerId] = new ProducerProgress(producerId, sequence, ++_clock);
        if (_producers.Count > MaxProducers)
        {
            var oldest = _producers.Values.MinBy(progress => progress.LastSeen)!;
            _producers.Remove(oldest.ProducerId);
        }
    }

    public ProducerProgress[] Save() => [.. _producers.Values.OrderBy(progress => progress.LastSeen)];

    public void Restore(IEnumerable<ProducerProgress>? saved)
    {
        _producers.Clear();
        foreach (var progress in saved ?? [])
        {
            _producers[progress.ProducerId] = progress;
            _clock = Math.Max(_clock, progress.LastSeen);
        }
    }
}
