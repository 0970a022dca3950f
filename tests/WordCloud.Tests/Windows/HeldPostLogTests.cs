using WordCloud.Abstractions;
using WordCloud.Grains.Text;
using WordCloud.Grains.Windows;
using static WordCloud.Tests.TestPosts;

namespace WordCloud.Tests.Windows;

public sealed class HeldPostLogTests
{
    public static TheoryData<Post> Posts() => new()
    {
        new Post("just text"),
        new Post("every field", Id: "p-1", Author: "brewer", CreatedAt: new DateTimeOffset(2026, 11, 26, 9, 30, 15, TimeSpan.FromMinutes(330)).AddTicks(7), Source: "demo"),
        new Post("only a date", CreatedAt: DateTimeOffset.MinValue),
        new Post("latest date", CreatedAt: DateTimeOffset.MaxValue),
        new Post("negative offset", CreatedAt: new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.FromHours(-14))),
        new Post("empty fields", Id: "", Author: "", Source: ""),
        new Post("café пиво 🍺 e\u0301 中文 \u2019 #ipa @x https://x.io"),
        new Post("a lone surrogate \ud800 in the text", Id: "and \udc00 in the id"),
        new Post(new string('é', PostRules.MaxTextLength), Id: new string('€', PostRules.MaxFieldLength),
            Author: new string('中', PostRules.MaxFieldLength), CreatedAt: DateTimeOffset.UnixEpoch, Source: new string('ß', PostRules.MaxFieldLength)),
        new Post(new string('\ud83c', 1) + new string('x', PostRules.MaxTextLength - 1)),
    };

    [Theory]
    [MemberData(nameof(Posts))]
    public void APostReadBackEqualsThePostAppended(Post post)
    {
        var log = new HeldPostLog();

        var read = HeldPostLog.Read(log.Append(BytesOf(post)));

        Assert.Equal(post, read);
        Assert.Equal(post.CreatedAt?.Offset, read.CreatedAt?.Offset);
    }

    [Fact]
    public void ManyPostsOfMixedSizesAcrossChunksAllReadBackInPlace()
    {
        // Arrange: posts from 1 to 10,000 characters, enough to fill many chunks of every size.
        var random = new Random(7);
        var log = new HeldPostLog();
        var posts = Enumerable.Range(0, 3000)
            .Select(index => new Post($"{index} {new string((char)('a' + (index % 26)), random.Next(1, index % 50 == 0 ? PostRules.MaxTextLength - 10 : 300))}", Id: index % 3 == 0 ? $"id{index}" : null))
            .ToArray();

        // Act
        var held = posts.Select(post => log.Append(BytesOf(post))).ToArray();

        // Assert
        Assert.Equal(posts, held.Select(HeldPostLog.Read));
        Assert.All(held, post => Assert.True(post.Chunk.Length <= 64 * 1024));
    }

    [Fact]
    public void AsciiTextTakesAboutOneBytePerCharacter()
    {
        var log = new HeldPostLog();

        var held = log.Append(BytesOf(new Post(new string('x', 100), Id: "b12345")));

        Assert.InRange(held.Length, 100, 112);
    }

    [Fact]
    public void PostsCopiedOutAsStoredReadBackAsThePostsHeldInOrder()
    {
        // Arrange: a window that has evicted some posts and wrapped its ring.
        var window = new WordWindow(20, Tokenizer.English, null);
        Post[] posts = [new Post("plain"), new Post("fields", Id: "p-1", Author: "brewer", CreatedAt: DateTimeOffset.UnixEpoch, Source: "demo"), new Post("café 🍺 \ud800")];
        // Ids differ from round to round: the window drops a post whose id it holds.
        window.AppendPosts([.. Enumerable.Range(0, 9).SelectMany(round => posts.Select(post => post.Id is null ? post : post with { Id = $"{post.Id}-{round}" }))]);

        // Act
        var stored = window.GetStoredFrom(window.TotalAppended - 15, 12);

        // Assert
        Assert.Equal(12, stored.Count);
        Assert.Equal(window.GetNewestPosts(window.Count).Skip(5).Take(12), stored.ReadAll());
        Assert.Empty(window.GetStoredFrom(window.TotalAppended, 0).ReadAll());
    }

    [Theory]
    [InlineData(9, 2)]
    [InlineData(29, 2)]
    [InlineData(10, 21)]
    [InlineData(12, -1)]
    public void CopyingOutPostsThatAreNotAllHeldIsRefusedNamingTheRange(long first, int count)
    {
        // Arrange: 30 posts appended, the last 20 held (10 to 29).
        var window = new WordWindow(20, Tokenizer.English, null);
        window.AppendPosts([.. Enumerable.Range(0, 30).Select(index => new Post($"post {index}"))]);

        // Act
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => window.GetStoredFrom(first, count));

        // Assert
        Assert.Contains("the window holds 10 to 29", refused.Message, StringComparison.Ordinal);
    }
}
