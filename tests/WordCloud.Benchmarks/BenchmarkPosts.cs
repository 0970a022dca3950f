using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
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

    /// <summary>
    /// <paramref name="posts"/> in batches of <paramref name="batchSize"/> as a silo receives them (sent through the
    /// serializer once, read back as packed posts), so a window is fed exactly as the grain feeds it.
    /// </summary>
    public static IReadOnlyList<Post>[] AsReceived(IEnumerable<Post> posts, int batchSize)
    {
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        return [.. posts.Chunk(batchSize).Select(batch =>
            serializer.Deserialize<PostBatch>(serializer.SerializeToArray(new PostBatch("benchmark", 1, batch)))!.Posts)];
    }
}
