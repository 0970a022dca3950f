using BenchmarkDotNet.Attributes;
using WordCloud.Abstractions;
using WordCloud.Grains.Text;

namespace WordCloud.Benchmarks.Micro;

/// <summary>Tokenising posts: time and allocation per post.</summary>
[MemoryDiagnoser]
public class TokenizerBenchmarks
{
    public const int PostsPerInvoke = 1000;

    private Post[] _posts = [];

    [GlobalSetup]
    public void Setup() => _posts = BenchmarkPosts.Make(PostsPerInvoke);

    [Benchmark(OperationsPerInvoke = PostsPerInvoke, Description = "Tokenize one post")]
    public int TokenizePost()
    {
        var tokens = 0;
        foreach (var post in _posts)
        {
            tokens += Tokenizer.English.Tokenize(post.Text, BenchmarkPosts.Topic).Length;
        }

        return tokens;
    }
}
