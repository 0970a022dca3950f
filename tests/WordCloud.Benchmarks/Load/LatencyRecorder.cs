using System.Collections.Concurrent;

namespace WordCloud.Benchmarks.Load;

/// <summary>Latencies in milliseconds from many tasks; percentiles at the end.</summary>
public sealed class LatencyRecorder
{
    private readonly ConcurrentQueue<double> _samples = new();

    public int Count => _samples.Count;

    public void Add(TimeSpan latency) => _samples.Enqueue(latency.TotalMilliseconds);

    public (double P50, double P99, double Max) Percentiles()
    {
        var sorted = _samples.Order().ToArray();
        return sorted.Length == 0 ? (double.NaN, double.NaN, double.NaN) : (At(sorted, 0.50), At(sorted, 0.99), sorted[^1]);
    }

    private static double At(double[] sorted, double quantile) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
}
