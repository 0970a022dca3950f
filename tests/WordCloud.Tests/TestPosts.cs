using WordCloud.Abstractions;
using WordCloud.Grains.Windows;

namespace WordCloud.Tests;

/// <summary>Posts in the forms the production code takes them: a batch for a window, bytes for a log, stored runs.</summary>
public static class TestPosts
{
    /// <summary>
    /// Appends <paramref name="posts"/> as the grain does, through the only append there is: encoded into a
    /// <see cref="PostBatch"/>, which is given back once the window has copied its posts.
    /// </summary>
    public static AppendResult AppendPosts(this WordWindow window, IReadOnlyCollection<Post?> posts)
    {
        using var batch = PostBatch.Encode(posts);
        return window.Append(batch);
    }

    /// <summary>The bytes of <paramref name="post"/> (<see cref="PostBytes"/>), as a batch, a window and storage hold them.</summary>
    public static byte[] BytesOf(Post post)
    {
        var bytes = new byte[PostBytes.MaxSize(post)];
        return bytes[..PostBytes.Write(post, bytes)];
    }

    /// <summary><paramref name="posts"/> as storage hands them back: their bytes end to end in one array.</summary>
    public static StoredPosts Stored(params Post[] posts) => new([.. posts.SelectMany(BytesOf)], posts.Length);

    /// <summary>The bytes of <paramref name="posts"/> end to end in one array, whatever runs they lie in.</summary>
    public static byte[] OneArray(StoredPosts posts)
    {
        var bytes = new List<byte>(posts.Length);
        foreach (var post in posts)
        {
            bytes.AddRange(post);
        }

        return [.. bytes];
    }
}
