namespace WordCloud.Silo.Api;

/// <summary>Posts per second over the last few seconds, from a running total sampled now and then.</summary>
public sealed class RateMeter(TimeSpan span)
{
    private readonly Queue<(DateTimeOffset At, long Total)> _samples = new();

    public double Add(DateTimeOffset at, long total)
    {
        _samples.Enqueue((at, total));
        while (_samples.Count > 2 && at - _samples.Peek().At > span)
        {
            _samples.Dequeue();
        }

        var (firstAt, firstTotal) = _samples.Peek();
        var seconds = (at - firstAt).TotalSeconds;
        return seconds <= 0 ? 0 : Math.Max(0, total - firstTotal) / seconds;
    }
}
