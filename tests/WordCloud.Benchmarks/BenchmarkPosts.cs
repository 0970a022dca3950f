using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using WordCloud.Abstractions;
using WordCloud.Client.Sources;

namespace WordCloud.Benchmarks;

/// <summary>
/// The posts every benchmark and baseline uses: the client's demo feed about #beer (43-123 characters, 72 on average,
/// hashtags, mentions, links and emoji included), from a fixed seed, so all measurements see the same text; or, for
/// measurements that name a post length, demo sentences joined and cut to that many characters.
/// </summary>
public static class BenchmarkPosts
{
    public const string Topic = "beer";

    /// <param name="count">How many posts.</param>
    /// <param name="seed">Seeds the feed; the same seed gives the same posts.</param>
    /// <param name="length">0 for the demo posts as composed; else every text is this many characters (UTF-16 code
    /// units; one fewer where the cut would split a surrogate pair, two for a 1-character cut there): sentences joined
    /// with spaces, cut there.</param>
    public static Post[] Make(int count, int seed = 20261126, int length = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var feed = new DemoFeed(Topic, seed);
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(index => new Post(length == 0 ? feed.Compose(random) : Joined(feed, random, length), Id: $"b{index}"))];
    }

    private static string Joined(DemoFeed feed, Random random, int length)
    {
        var text = new StringBuilder(feed.Compose(random));
        while (text.Length < length)
        {
            text.Append(' ').Append(feed.Compose(random));
        }

        // Never half an emoji: one character fewer, or for a 1-character text the whole pair.
        var cut = !char.IsHighSurrogate(text[length - 1]) ? length : length > 1 ? length - 1 : length + 1;
        return text.ToString(0, cut);
    }

    /// <summary>
    /// <paramref name="posts"/> in batches of <paramref name="batchSize"/> as a silo receives them (sent through the
    /// serializer once and read back), so a window is fed exactly as the grain feeds it.
    /// </summary>
    public static PostBatch[] AsReceived(IEnumerable<Post> posts, int batchSize)
    {
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        return [.. posts.Chunk(batchSize).Select(batch =>
            serializer.Deserialize<PostBatch>(serializer.SerializeToArray(PostBatch.Encode(batch, "benchmark", 1)))!)];
    }
}
