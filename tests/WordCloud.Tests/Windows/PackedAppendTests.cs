using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using WordCloud.Abstractions;
using WordCloud.Grains.Text;
using WordCloud.Grains.Windows;

namespace WordCloud.Tests.Windows;

/// <summary>
/// A window takes a received batch's posts from their packed bytes (<see cref="PackedPostList"/>); the same posts as
/// <see cref="Post"/> objects must be checked, counted and kept exactly alike.
/// </summary>
public sealed class PackedAppendTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void EveryRuleRejectsPackedPostsWithTheSameReasonAsPostObjects()
    {
        var at = new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.FromHours(1));
        Post[] posts =
        [
            new("Hazy IPA with #citra hops, very hazy", Id: "1", Author: "ana", CreatedAt: at, Source: "demo"),
            null!,
            new(null!, Id: "no text", Author: new string('a', 300)),
            new(""),
            new(" \t\n\u00a0"),
            new(new string(' ', 40_000)),
            new(new string('a', 10_001)),
            new(new string('é', 10_000)),
            new(new string('é', 10_001)),
            new(new string('€', 10_001)),
            new(string.Concat(Enumerable.Repeat("🍺", 5_001))),
            new("id of 256 two-byte characters", Id: new string('é', 256)),
            new("id of 257 two-byte characters", Id: new string('é', 257)),
            new("long author", Author: new string('a', 257)),
            new("long source", CreatedAt: at, Source: new string('s', 300)),
            new("@brewer http://example.com only a link and a mention"),
            new("half \ud83c of a pair, kept as the wire carried it"),
        ];

        var (fromPacked, packedWindow, fromObjects, objectWindow) = AppendBothWays(posts, capacity: 5);

        Assert.Equal(fromObjects.Rejected, fromPacked.Rejected);
        Assert.Equal(12, fromPacked.Rejected.Count);
        Assert.Equal((fromObjects.Accepted, fromObjects.Evicted), (fromPacked.Accepted, fromPacked.Evicted));
        Assert.Equal(objectWindow.GetPosts(), packedWindow.GetPosts());
        Assert.Equal(objectWindow.GetTopWords(100), packedWindow.GetTopWords(100));
        Assert.Equal(objectWindow.Stats, packedWindow.Stats);
    }

    [Fact]
    public void RandomPostsAreCountedAndKeptAlikeThroughEvictions()
    {
        var random = new Random(20261126);
        string[] pieces = ["beer", "Bière", "IPA", "#hops", "hop's", "don’t", "ÉTÉ", "naïve", "日本酒", "🍺", "@me", "http://x.y",
            "www.brew.example", "42", "a", "the", " ", "  ", "\t", "\n", ",", "#", "'", "ǅungla", "ﬁne", "İstanbul", "straße", "Ⅻ"];
        var posts = Enumerable.Range(0, 3_000)
            .Select(index => new Post(string.Concat(Enumerable.Range(0, random.Next(1, 25)).Select(_ => pieces[random.Next(pieces.Length)] + (random.Next(3) == 0 ? "" : " "))),
                Id: random.Next(4) == 0 ? null : $"id{index}"))
            .ToArray();

        var (fromPacked, packedWindow, fromObjects, objectWindow) = AppendBothWays(posts, capacity: 700);

        Assert.Equal(fromObjects.Rejected, fromPacked.Rejected);
        Assert.Equal((fromObjects.Accepted, fromObjects.Evicted), (fromPacked.Accepted, fromPacked.Evicted));
        Assert.True(fromPacked.Evicted > 2_000, $"{fromPacked.Evicted} evicted");
        Assert.Equal(objectWindow.GetTopWords(1_000), packedWindow.GetTopWords(1_000));
        Assert.Equal(objectWindow.GetPosts(), packedWindow.GetPosts());
    }

    [Fact]
    public void PackedTextThatIsNotUtf8IsCheckedAsItsCharacters()
    {
        var post = new Post("kept as UTF-16 \ud83c", Id: new string('x', 257));
        var bytes = new byte[PackedPost.MaxSize(post)];
        var length = PackedPost.Write(post, bytes);
        var buffer = new char[4];

        var reason = PackedPost.Check(bytes.AsSpan(0, length), ref buffer, out var text);

        Assert.Equal(post.Text, text.ToString());
        Assert.Equal(PostRules.Validate(post), reason);
        Assert.Contains("id is 257 characters", reason, StringComparison.Ordinal);
    }

    /// <summary>Appends <paramref name="posts"/> sent in a batch to one window as received and to another as post objects.</summary>
    private static (AppendResult FromPacked, WordWindow PackedWindow, AppendResult FromObjects, WordWindow ObjectWindow) AppendBothWays(Post[] posts, int capacity)
    {
        var received = Serializer.Deserialize<PostBatch>(Serializer.SerializeToArray(new PostBatch("p", 1, posts)))!.Posts;
        Assert.IsType<PackedPostList>(received);
        // The same posts as the wire carried them (lone surrogates replaced), as objects.
        var asObjects = received.ToArray();
        var packedWindow = new WordWindow(capacity, Tokenizer.English, "hazy");
        var objectWindow = new WordWindow(capacity, Tokenizer.English, "hazy");
        return (packedWindow.Append(received), packedWindow, objectWindow.Append(asObjects), objectWindow);
    }
}
