using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using WordCloud.Abstractions;
using WordCloud.Grains.Text;
using WordCloud.Grains.Windows;

namespace WordCloud.Tests.Windows;

/// <summary>
/// A window checks, counts and keeps a received batch's posts from their bytes: it must reject exactly the posts
/// <see cref="PostRules"/> rejects, with the same reasons, count the words the tokenizer finds in the others, and keep
/// them as a batch encoded here from the same posts would have them kept.
/// </summary>
public sealed class ReceivedBatchAppendTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void EveryRuleRejectsReceivedPostsWithTheReasonPostRulesGives()
    {
        var at = new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.FromHours(1));
        Post?[] posts =
        [
            new("Hazy IPA with #citra hops, very hazy", Id: "1", Author: "ana", CreatedAt: at, Source: "demo"),
            null,
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

        var appended = AppendBothWays(posts, capacity: 5);

        Assert.Equal(12, appended.FromReceived.Rejected.Count);
        appended.AssertAsRulesAndTokenizerSay(posts);
        appended.AssertAlike();
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

        var appended = AppendBothWays(posts, capacity: 700);

        Assert.True(appended.FromReceived.Evicted > 2_000, $"{appended.FromReceived.Evicted} evicted");
        appended.AssertAsRulesAndTokenizerSay(posts);
        appended.AssertAlike();
    }

    [Fact]
    public void TextThatIsNotUtf8IsCheckedAsItsCharacters()
    {
        var post = new Post("kept as UTF-16 \ud83c", Id: new string('x', 257));
        var bytes = new byte[PostBytes.MaxSize(post)];
        var length = PostBytes.Write(post, bytes);
        var buffer = new char[4];

        var reason = PostBytes.Check(bytes.AsSpan(0, length), ref buffer, out var text);

        Assert.Equal(post.Text, text.ToString());
        Assert.Equal(PostRules.Validate(post), reason);
        Assert.Contains("id is 257 characters", reason, StringComparison.Ordinal);
    }

    /// <summary>
    /// Sends <paramref name="posts"/> in a batch and appends it as received to one window, and the same posts as the wire
    /// carried them (lone surrogates replaced), encoded here, to another.
    /// </summary>
    private static Appended AppendBothWays(Post?[] posts, int capacity)
    {
        using var received = Serializer.Deserialize<PostBatch>(Serializer.SerializeToArray(PostBatch.Encode(posts, "p", 1)))!;
        var asCarried = Enumerable.Range(0, received.Count).Select(index => Decode(received.PostAt(index))).ToArray();
        var receivedWindow = new WordWindow(capacity, Tokenizer.English, "hazy");
        var encodedWindow = new WordWindow(capacity, Tokenizer.English, "hazy");
        return new Appended(receivedWindow.Append(received), receivedWindow, encodedWindow.AppendPosts(asCarried), encodedWindow, asCarried);
    }

    private static Post? Decode(ReadOnlySpan<byte> post)
    {
        var position = 0;
        return post.IsEmpty ? null : PostBytes.Read(post, ref position);
    }

    private sealed record class Appended(AppendResult FromReceived, WordWindow ReceivedWindow, AppendResult FromEncoded, WordWindow EncodedWindow, Post?[] AsCarried)
    {
        /// <summary>The received window rejected what the rules reject, kept the rest (the newest of them) and counts their words.</summary>
        public void AssertAsRulesAndTokenizerSay(Post?[] sent)
        {
            var expected = sent.Select((post, index) => (Index: index, Reason: PostRules.Validate(post))).Where(verdict => verdict.Reason is not null);
            Assert.Equal(expected.Select(verdict => new PostRejection(verdict.Index, verdict.Reason!)), FromReceived.Rejected);
            var accepted = AsCarried.Where((_, index) => PostRules.Validate(sent[index]) is null).ToArray();
            Assert.Equal(accepted.Length, FromReceived.Accepted);
            var held = accepted.TakeLast(ReceivedWindow.Capacity).ToArray();
            Assert.Equal(held, ReceivedWindow.GetNewestPosts(ReceivedWindow.Count));
            var recount = held
                .SelectMany(post => Tokenizer.English.Tokenize(post!.Text, "hazy"))
                .GroupBy(word => word, StringComparer.Ordinal)
                .Select(group => new WordCount(group.Key, group.Count()))
                .OrderByDescending(word => word.Count)
                .ThenBy(word => word.Word, StringComparer.Ordinal);
            Assert.Equal(recount.Take(WindowLimits.MaxTop), ReceivedWindow.GetTopWords(WindowLimits.MaxTop));
        }

        /// <summary>The window fed the received batch and the one fed a batch encoded here decided, counted and kept alike.</summary>
        public void AssertAlike()
        {
            Assert.Equal(FromEncoded.Rejected, FromReceived.Rejected);
            Assert.Equal((FromEncoded.Accepted, FromEncoded.Evicted), (FromReceived.Accepted, FromReceived.Evicted));
            Assert.Equal(EncodedWindow.GetNewestPosts(EncodedWindow.Count), ReceivedWindow.GetNewestPosts(ReceivedWindow.Count));
            Assert.Equal(EncodedWindow.GetTopWords(WindowLimits.MaxTop), ReceivedWindow.GetTopWords(WindowLimits.MaxTop));
            Assert.Equal(EncodedWindow.Stats, ReceivedWindow.Stats);
        }
    }
}
