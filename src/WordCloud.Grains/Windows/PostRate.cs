namespace WordCloud.Grains.Windows;

/// <summary>
/// Posts accepted per second over the last minute (or since this object was made, if later), from a count per second:
/// a feed of one post every few seconds reads as the rate it has, not as 0. Not thread-safe.
/// </summary>
public sealed class PostRate(TimeProvider time)
{
    private const int Seconds = 60;

    private readonly long[] _counts = new long[Seconds];
    private readonly long _started = time.GetTimestamp();
    private long _newest;

    public void Add(int posts)
    {
        _counts[Advance() % Seconds] += posts;
    }

    public double PerSecond()
    {
        Advance();
        var seconds = Math.Clamp(time.GetElapsedTime(_started).TotalSeconds, 1, Seconds);
        return _counts.Sum() / seconds;
    }

    /// <summary>Clears the counts of the seconds that passed since the newest one counted; returns the current second.</summary>
    private long Advance()
    {
        var now = (long)time.GetElapsedTime(_started).TotalSeconds;
        for (var second = Math.Max(_newest + 1, now - Seconds + 1); second <= now; second++)
        {
            _counts[second % Seconds] = 0;
        }

        _newest = Math.Max(_newest, now);
        return _newest;
    }
}
