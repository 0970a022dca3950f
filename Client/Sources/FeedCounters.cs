namespace WordCloud.Client.Sources;

/// <summary>
/// What a source has seen, counted as it reads: for the progress line and the producer's metrics. The source writes,
/// anyone reads; every member is safe to use from any thread.
/// </summary>
public sealed class FeedCounters
{
    private long _seen;
    private long _matched;
    private long _skipped;
    private long _malformed;
    private long _reconnects;
    private long _newestEventTicks;

    /// <summary>Events or records read from the feed or file, whatever they were.</summary>
    public long Seen => Interlocked.Read(ref _seen);

    /// <summary>Posts about the topic (and in the wanted languages) passed on to the producer, deletions included.</summary>
    public long Matched => Interlocked.Read(ref _matched);

    /// <summary>Events not for us: other kinds, collections, operations, topics or languages.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Events or records that could not be read (bad JSON, a bad CSV row).</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Connections or polls that failed and were tried again.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>The time of the newest event read, as the feed stamped it; null before the first or for a file.</summary>
    public DateTimeOffset? NewestEventAt => Interlocked.Read(ref _newestEventTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>How far behind the feed the source is: now minus the newest event's time; null when unknown.</summary>
    public TimeSpan? LagAt(DateTimeOffset now) => NewestEventAt is { } newest ? now - newest : null;

    public void CountSeen() => Interlocked.Increment(ref _seen);

    public void CountMatched() => Interlocked.Increment(ref _matched);

    public void CountSkipped() => Interlocked.Increment(ref _skipped);

    public void CountMalformed() => Interlocked.Increment(ref _malformed);

    public void CountReconnect() => Interlocked.Increment(ref _reconnects);

    /// <summary>Notes an event stamped <paramref name="at"/>; the newest time only moves forward.</summary>
    public void SawEventAt(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        var current = Interlocked.Read(ref _newestEventTicks);
        while (ticks > current)
        {
            var found = Interlocked.CompareExchange(ref _newestEventTicks, ticks, current);
            if (found == current)
            {
                return;
            }

            current = found;
        }
    }
}
