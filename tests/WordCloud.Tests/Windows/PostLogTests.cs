using WordCloud.Abstractions;
using WordCloud.Grains.Windows;

namespace WordCloud.Tests.Windows;

public sealed class PostLogTests
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
        var log = new PostLog();

        var read = PostLog.Read(log.Append(post));

        Assert.Equal(post, read);
        Assert.Equal(post.CreatedAt?.Offset, read.CreatedAt?.Offset);
    }

    [Fact]
    public void ManyPostsOfMixedSizesAcrossChunksAllReadBackInPlace()
    {
        // Arrange: posts from 1 to 10,000 characters, enough to fill many chunks of every size.
        var random = new Random(7);
        var log = new PostLog();
        var posts = Enumerable.Range(0, 3000)
            .Select(index => new Post($"{index} {new string((char)('a' + (index % 26)), random.Next(1, index % 50 == 0 ? PostRules.MaxTextLength - 10 : 300))}", Id: index % 3 == 0 ? $"id{index}" : null))
            .ToArray();

        // Act
        var references = posts.Select(log.Append).ToArray();

        // Assert
        Assert.Equal(posts, references.Select(PostLog.Read));
        Assert.All(references, reference => Assert.True(reference.Chunk.Length <= 64 * 1024));
    }

    [Fact]
    public void AsciiTextTakesAboutOneBytePerCharacter()
    {
        var log = new PostLog();

        var reference = log.Append(new Post(new string('x', 100), Id: "b12345"));

        Assert.InRange(reference.Length, 100, 112);
    }

    [Fact]
    public void PostsCopiedOutPackedUnpackToThePostsHeldInOrder()
    {
        // Arrange: a window that has evicted some posts and wrapped its ring.
        var window = new WordWindow(20, Grains.Text.Tokenizer.English, null);
        Post[] posts = [new Post("plain"), new Post("fields", Id: "p-1", Author: "brewer", CreatedAt: DateTimeOffset.UnixEpoch, Source: "demo"), new Post("café 🍺 \ud800")];
        window.Append([.. Enumerable.Range(0, 9).SelectMany(_ => posts)]);

        // Act
        var packed = window.GetPackedFrom(window.TotalAppended - 15, 12);

        // Assert
        Assert.Equal(12, packed.Count);
        Assert.Equal(window.GetPosts().Skip(5).Take(12), PostLog.Unpack(packed));
        Assert.Empty(PostLog.Unpack(window.GetPackedFrom(window.TotalAppended, 0)));
    }

    [Theory]
    [InlineData(9, 2)]
    [InlineData(29, 2)]
    [InlineData(10, 21)]
    [InlineData(12, -1)]
    public void PackingPostsThatAreNotAllHeldIsRefusedNamingTheRange(long first, int count)
    {
        // Arrange: 30 posts appended, the last 20 held (10 to 29).
        var window = new WordWindow(20, Grains.Text.Tokenizer.English, null);
        window.Append([.. Enumerable.Range(0, 30).Select(index => new Post($"post {index}"))]);

        // Act
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => window.GetPackedFrom(first, count));

        // Assert
        Assert.Contains("the window holds 10 to 29", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "1 posts read")]
    [InlineData(3, "hold 2 posts, not 3")]
    public void PackedBytesThatDoNotMatchTheirCountAreRefused(int count, string why)
    {
        var log = new PostLog();
        var packed = PostLog.Concatenate([log.Append(new Post("one")), log.Append(new Post("two"))]);

        var refused = Assert.Throws<InvalidDataException>(() => PostLog.Unpack(new PackedPosts(packed.Bytes, count)));

        Assert.Contains(why, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void PackedCountsNoBytesCouldHoldAreRefusedNamingTheCount(int count)
    {
        var log = new PostLog();
        var packed = PostLog.Concatenate([log.Append(new Post("one"))]);

        var refused = Assert.Throws<InvalidDataException>(() => PostLog.Unpack(new PackedPosts(packed.Bytes, count)));

        Assert.Contains($"a count of {count}", refused.Message, StringComparison.Ordinal);
    }
}
