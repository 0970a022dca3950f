using WordCloud.Abstractions;
using WordCloud.Client.Sources;

namespace WordCloud.Benchmarks;

/// <summary>
/// The posts every benchmark and baseline uses: the client's demo feed about #beer (about 80-100 characters each,
/// hashtags, mentions, links and emoji included), from a fixed seed, so all measurements see the same text.
/// </summary>
public static class BenchmarkPosts
{
    public const string Topic = "beer";

    public static Post[] Make(int count, int seed = 20261126)
    {
        var feed = new DemoFeed(Topic, seed);
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(index => new Post(feed.Compose(random), Id: $"b{index}"))];
    }
}
