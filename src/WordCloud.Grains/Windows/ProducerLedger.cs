namespace WordCloud.Grains.Windows;

/// <summary>
/// The last batch sequence number a window applied for each producer, so a retried batch is recognised and dropped
/// and a batch is applied only after its predecessor. A producer is remembered for <see cref="Retention"/> since its
/// last batch, however many other producers come and go; at most <see cref="MaxProducers"/> are kept, to bound the
/// window's memory and the head written with every save.
/// </summary>
/// <remarks>
/// A producer the ledger does not know must start at batch 1 (<see cref="IsAhead"/>), so a later batch never overtakes
/// an earlier one it has not seen. A producer forgotten (idle for longer than <see cref="Retention"/>, or pushed out
/// when more than <see cref="MaxProducers"/> were used within it) has its next batch deferred as out of order: a
/// producer starts afresh, under a new id, after an idle spell much shorter than the retention, and one that keeps
/// being deferred stops with an error (<c>Producer</c> in the client), so a forgotten producer never has a batch
/// counted twice or out of order.
/// </remarks>
public sealed class ProducerLedger(TimeProvider time)
{
    /// <summary>How long a producer is remembered after its last batch.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>
    /// At most this many producers are remembered: beyond it the least recently used is forgotten even within
    /// <see cref="Retention"/>. Generous (real producers are a handful per topic), yet a head naming them all stays
    /// below a megabyte.
    /// </summary>
    public const int MaxProducers = 16_384;

    private readonly Dictionary<string, ProducerProgress> _producers = new(StringComparer.Ordinal);
    private long _clock;

    /// <summary>True when a batch with this or a later sequence number of <paramref name="producerId"/> was applied.</summary>
    public bool IsApplied(string producerId, long sequence) =>
        _producers.TryGetValue(producerId, out var progress) && sequence <= progress.Sequence;

    /// <summary>
    /// True when a batch of <paramref name="producerId"/> numbered <paramref name="sequence"/> would skip one not yet
    /// applied. A producer the ledger does not know starts at 1.
    /// </summary>
    public bool IsAhead(string producerId, long sequence) =>
        sequence > (_producers.TryGetValue(producerId, out var progress) ? progress.Sequence : 0) + 1;

    public void Record(string producerId, long sequence)
    {
        var known = _producers.ContainsKey(producerId);
        _producers[producerId] = new ProducerProgress(producerId, sequence, ++_clock, time.GetUtcNow());
        if (!known && _producers.Count > MaxProducers)
        {
            var oldest = _producers.Values.MinBy(progress => progress.LastSeen)!;
            _producers.Remove(oldest.ProducerId);
        }
    }

    /// <summary>The producers to store, least recently used first; those idle for longer than <see cref="Retention"/> are forgotten.</summary>
    public ProducerProgress[] Save()
    {
        var expired = time.GetUtcNow() - Retention;
        List<string>? forgotten = null;
        foreach (var progress in _producers.Values)
        {
            if (progress.LastUsed < expired)
            {
                (forgotten ??= []).Add(progress.ProducerId);
            }
        }

        foreach (var producerId in forgotten ?? [])
        {
            _producers.Remove(producerId);
        }

        return [.. _producers.Values.OrderBy(progress => progress.LastSeen)];
    }

    /// <summary>Restores what <see cref="Save"/> stored; a producer stored without a time of use (an older head) counts as used now.</summary>
    public void Restore(IEnumerable<ProducerProgress>? saved)
    {
        _producers.Clear();
        var now = time.GetUtcNow();
        foreach (var progress in saved ?? [])
        {
            _producers[progress.ProducerId] = progress.LastUsed is null ? progress with { LastUsed = now } : progress;
            _clock = Math.Max(_clock, progress.LastSeen);
        }
    }
}
