using BenchmarkDotNet.Attributes;
using WordCloud.Abstractions;
using WordCloud.Grains.Text;
using WordCloud.Grains.Windows;

namespace WordCloud.Benchmarks.Micro;

/// <summary>
/// The window alone, full to capacity, taking batches of 100 posts as a silo receives them (so every post evicts
/// one): time and allocation per post at each window size; what a sender pays to encode a post into a batch; the
/// top-50 query; and the rising-words query.
/// </summary>
[MemoryDiagnoser]
public class WindowBenchmarks
{
    public const int BatchSize = 100;

    private Post[][] _batches = [];
    private PostBatch[] _received = [];
    private WordWindow _window = null!;
    private int _next;

    /// <summary>Window sizes: WORDCLOUD_BENCH_CAPACITIES (comma-separated) or 10, 1,000, 100,000 and 1,000,000.</summary>
    public static IEnumerable<int> Capacities => CapacitiesOr(10, 1000, 100_000, 1_000_000);

    /// <summary>The window sizes WORDCLOUD_BENCH_CAPACITIES names (comma-separated), else <paramref name="defaults"/>.</summary>
    public static IEnumerable<int> CapacitiesOr(params int[] defaults) =>
        Environment.GetEnvironmentVariable("WORDCLOUD_BENCH_CAPACITIES") is { Length: > 0 } sizes
            ? sizes.Split(',').Select(int.Parse)
            : defaults;

    [ParamsSource(nameof(Capacities))]
    public int Capacity { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Every post has an id, and the window drops a post whose id it holds: the posts received go round a cycle
        // longer than the window, which starts full of the cycle's last posts, so no post comes round while held.
        var cycle = Capacity + 10_000;
        var posts = BenchmarkPosts.Make(cycle);
        _window = new WordWindow(Capacity, Tokenizer.English, BenchmarkPosts.Topic);
        for (var start = cycle - Capacity; start < cycle; start += BatchSize)
        {
            _window.Append(PostBatch.Encode(posts[start..Math.Min(start + BatchSize, cycle)]));
        }

        _batches = [.. posts.Chunk(BatchSize).Take(100)];
        _received = BenchmarkPosts.AsReceived(posts, BatchSize);
    }

    [Benchmark(OperationsPerInvoke = BatchSize, Description = "Append one post as received (full window, batches of 100)")]
    public int AppendReceivedPost()
    {
        var batch = _received[_next++ % _received.Length];
        var result = _window.Append(batch);
        return result.Duplicates == 0 ? result.Accepted : throw new InvalidOperationException($"{result.Duplicates} posts came round while held");
    }

    [Benchmark(OperationsPerInvoke = BatchSize, Description = "Encode one post into a batch (batches of 100)")]
    public int EncodePost()
    {
        using var batch = PostBatch.Encode(_batches[_next++ % _batches.Length], "benchmark", 1);
        return batch.Count;
    }

    [Benchmark(Description = "Top 50 words")]
    public int TopWords() => _window.GetTopWords(50).Length;

    /// <summary>What a window pays each time it makes its cloud: ranking the words of the newer half (docs/rising.md).</summary>
    [Benchmark(Description = "Top 100 rising words")]
    public int RisingWords() => _window.GetRising(WindowLimits.MaxRising).Length;
}
