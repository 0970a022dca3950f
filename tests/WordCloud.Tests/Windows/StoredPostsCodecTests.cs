using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using WordCloud.Abstractions;
using WordCloud.Grains.Text;
using WordCloud.Grains.Windows;
using static WordCloud.Tests.TestPosts;

namespace WordCloud.Tests.Windows;

public sealed class StoredPostsCodecTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void PostsCopiedOutOfSeveralChunksAreStoredByteForByteAsOneArrayOfThemIs()
    {
        // Chunks start at 1 KB and double: 300 posts of about 60 bytes lie in several.
        var (window, posts) = WindowOf(300);

        var fromChunks = window.GetStoredFrom(0, posts.Length);
        var asOneArray = new StoredPosts(OneArray(fromChunks), fromChunks.Count);

        Assert.True(fromChunks.Runs.Length > 1, $"the posts lie in {fromChunks.Runs.Length} run(s)");
        Assert.Equal(Serializer.SerializeToArray(asOneArray), Serializer.SerializeToArray(fromChunks));
        Assert.Equal(posts, Read<StoredPosts>(Serializer.SerializeToArray(fromChunks)).ReadAll());
    }

    [Fact]
    public void StoredPostsAreWrittenAsTheGeneratedCodecWroteThemAndReadBack()
    {
        var (window, posts) = WindowOf(50);
        var bytes = OneArray(window.GetStoredFrom(0, posts.Length));

        var stored = Serializer.SerializeToArray(new GeneratedFormStoredPosts(bytes, posts.Length));

        var read = Read<StoredPosts>(stored);

        Assert.Equal(stored, Serializer.SerializeToArray(window.GetStoredFrom(0, posts.Length)));
        Assert.Equal(posts.Length, read.Count);
        Assert.Equal(bytes, OneArray(read));
        Assert.Equal(posts, read.ReadAll());
    }

    [Fact]
    public void StoredPostsWrittenNowReadBackThroughTheGeneratedCodec()
    {
        var (window, posts) = WindowOf(120);
        var stored = window.GetStoredFrom(10, 100);

        var read = Read<GeneratedFormStoredPosts>(Serializer.SerializeToArray(stored));

        Assert.Equal(100, read.Count);
        Assert.Equal(posts.Skip(10).Take(100), new StoredPosts(read.Bytes, read.Count).ReadAll());
    }

    [Fact]
    public void StoredSegmentReadsBackItsPosts()
    {
        var (window, posts) = WindowOf(200);
        var segment = new StoredSegment(0, window.GetStoredFrom(0, posts.Length));

        var read = Read<StoredSegment>(Serializer.SerializeToArray(segment));

        Assert.Equal(0, read.First);
        Assert.Equal(posts.Length, read.Count);
        Assert.Equal(posts, read.Posts.ReadAll());
    }

    private static (WordWindow Window, Post[] Posts) WindowOf(int count)
    {
        var window = new WordWindow(1_000, Tokenizer.English, null);
        var posts = Enumerable.Range(0, count).Select(index => new Post($"post number {index} about hops, malt and yeast", Id: $"id-{index}")).ToArray();
        window.AppendPosts(posts);
        return (window, posts);
    }

    private static T Read<T>(byte[] bytes) where T : class => Serializer.Deserialize<T>(bytes) ?? throw new InvalidOperationException("nothing read");
}

/// <summary>Stored posts as the codec Orleans generated for them wrote them, when they were a record.</summary>
[GenerateSerializer]
public sealed record class GeneratedFormStoredPosts([property: Id(0)] byte[] Bytes, [property: Id(1)] int Count);
