namespace WordCloud.Client.Sources;

/// <summary>
/// Delays between attempts to reach a feed that keeps failing: doubling from <see cref="First"/> up to
/// <see cref="Max"/>, each drawn at random between half and all of its step ("equal jitter"), so that many producers
/// cut off together do not come back together. <see cref="Reset"/> after a success starts again from the first step.
/// </summary>
/// <remarks>Not thread-safe: one per connection loop.</remarks>
public sealed class Backoff(TimeSpan first, TimeSpan max, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;
    private TimeSpan _step = first;

    public TimeSpan First { get; } = first > TimeSpan.Zero ? first : throw new ArgumentOutOfRangeException(nameof(first), first, "the first delay must be above zero");

    public TimeSpan Max { get; } = max >= first ? max : throw new ArgumentOutOfRangeException(nameof(max), max, $"the largest delay must be at least the first ({first})");

    /// <summary>Failures since the last success.</summary>
    public int Failures { get; private set; }

    /// <summary>The delay before the next attempt, after one more failure.</summary>
    public TimeSpan Next()
    {
        Failures++;
        var step = _step;
        _step = TimeSpan.FromTicks(Math.Min(_step.Ticks * 2, Max.Ticks));
        return TimeSpan.FromTicks((step.Ticks / 2) + (long)(_random.NextDouble() * (step.Ticks / 2)));
    }

    /// <summary>After a success: the next failure waits the first delay again.</summary>
    public void Reset()
    {
        Failures = 0;
        _step = First;
    }
}
