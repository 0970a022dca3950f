using BenchmarkDotNet.Attributes;
using WordCloud.Abstractions;
using WordCloud.Grains.Text;
using WordCloud.Grains.Windows;

namespace WordCloud.Benchmarks.Micro;

/// <summary>
/// The top-50 query on a window whose posts use a wide vocabulary (words drawn from 200,000 with a Zipf-like skew),
/// the case where scanning every distinct word would cost most: how long the query takes against how many distinct
/// words the window holds.
/// </summary>
[MemoryDiagnoser]
public class WideVocabularyBenchmarks
{
    private WordWindow _window = null!;

    /// <summary>Window sizes: WORDCLOUD_BENCH_CAPACITIES (comma-separated) or 1,000 and 100,000.</summary>
    public static IEnumerable<int> Capacities => WindowBenchmarks.CapacitiesOr(1000, 100_000);

    [ParamsSource(nameof(Capacities))]
    public int Capacity { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20261126);
        _window = new WordWindow(Capacity, Tokenizer.English, BenchmarkPosts.Topic);
        var batch = new Post[100];
        for (var appended = 0; appended < Capacity; appended += batch.Length)
        {
            for (var index = 0; index < batch.Length; index++)
            {
                // Rank r is drawn with probability about 1/r: a few words are common, most are rare.
                var words = Enumerable.Range(0, 12).Select(_ => $"w{(int)Math.Exp(random.NextDouble() * Math.Log(200_000))}");
                batch[index] = new Post(string.Join(' ', words));
            }

            _window.Append(PostBatch.Encode(batch));
        }

        Console.WriteLine($"// window {Capacity}: {_window.DistinctWords} distinct words");
    }

    [Benchmark(Description = "Top 50 words, wide vocabulary")]
    public int TopWords() => _window.GetTopWords(50).Length;
}
