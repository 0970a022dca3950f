using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using WordCloud.Abstractions;
using WordCloud.Grains.Text;
using WordCloud.Grains.Windows;

namespace WordCloud.Tests.Windows;

public sealed class PackedPostsCodecTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void PostsPackedFromSeveralChunksAreStoredByteForByteAsOneArrayOfThemIs()
    {
        // Chunks start at 1 KB and double: 300 posts of about 60 bytes lie in several.
        var (window, posts) = WindowOf(300);

        var fromChunks = window.GetPackedFrom(0, posts.Length);
        var asOneArray = new PackedPosts(fromChunks.Bytes, fromChunks.Count);

        Assert.Equal(Serializer.SerializeToArray(asOneArray), Serializer.SerializeToArray(fromChunks));
        Assert.Equal(posts, PostLog.Unpack(Read<PackedPosts>(Serializer.SerializeToArray(fromChunks))));
    }

    [Fact]
    public void PackedPostsAreStoredAsTheGeneratedCodecStoredThemAndReadBack()
    {
        var (window, posts) = WindowOf(50);
        var bytes = window.GetPackedFrom(0, posts.Length).Bytes;

        var stored = Serializer.SerializeToArray(new GeneratedFormPackedPosts(bytes, posts.Length));

        var read = Read<PackedPosts>(stored);

        Assert.Equal(stored, Serializer.SerializeToArray(window.GetPackedFrom(0, posts.Length)));
        Assert.Equal(posts.Length, read.Count);
        Assert.Equal(bytes, read.Bytes);
    }

    [Fact]
    public void PackedPostsStoredNowReadBackThroughTheGeneratedCodec()
    {
        var (window, posts) = WindowOf(120);
        var packed = window.GetPackedFrom(10, 100);

        var read = Read<GeneratedFormPackedPosts>(Serializer.SerializeToArray(packed));

        Assert.Equal(100, read.Count);
        Assert.Equal(posts.Skip(10).Take(100), PostLog.Unpack(new PackedPosts(read.Bytes, read.Count)));
    }

    [Fact]
    public void StoredSegmentReadsBackItsPosts()
    {
        var (window, posts) = WindowOf(200);
        var segment = new WindowSegment(0, [], window.GetPackedFrom(0, posts.Length));

        var read = Read<WindowSegment>(Serializer.SerializeToArray(segment));

        Assert.Equal(posts, read.ReadPosts());
    }

    private static (WordWindow Window, Post[] Posts) WindowOf(int count)
    {
        var window = new WordWindow(1_000, Tokenizer.English, null);
        var posts = Enumerable.Range(0, count).Select(index => new Post($"post number {index} about hops, malt and yeast", Id: $"id-{index}")).ToArray();
        window.Append(posts);
        return (window, posts);
    }

    private static T Read<T>(byte[] bytes) where T : class => Serializer.Deserialize<T>(bytes) ?? throw new InvalidOperationException("nothing read");
}

/// <summary>Packed posts as the codec Orleans generated for them wrote them, when they were a record.</summary>
[GenerateSerializer]
public sealed record class GeneratedFormPackedPosts([property: Id(0)] byte[] Bytes, [property: Id(1)] int Count);
