using WordCloud.Abstractions;

namespace WordCloud.Grains.Windows;

/// <summary>
/// The posts a window holds, as bytes (<see cref="PostBytes"/>) one after another in chunks: a held post costs its
/// bytes and a <see cref="HeldPost"/>, not a <see cref="Post"/> object and a string per field. A chunk is freed by the
/// garbage collector once no held post points into it, so evicting the oldest posts needs no bookkeeping here.
/// Reading a post decodes a new <see cref="Post"/> equal to the one appended.
/// </summary>
/// <remarks>
/// Chunks start small, so a quiet topic costs little, and double up to 64 KB, under the large-object threshold. An
/// acceptable post is at most about 33 KB (10,000 UTF-16 code units as UTF-8, and three fields of 256), so it always
/// fits a chunk. Not thread-safe.
/// </remarks>
public sealed class HeldPostLog
{
    private const int FirstChunkSize = 1024;
    private const int LargestChunkSize = 64 * 1024;

    private byte[] _chunk = [];
    private int _used;

    /// <summary>Copies the bytes of one post (<see cref="PostBytes"/>) to the end of the log.</summary>
    public HeldPost Append(ReadOnlySpan<byte> post)
    {
        if (_chunk.Length - _used < post.Length)
        {
            var next = Math.Clamp(_chunk.Length * 2, FirstChunkSize, LargestChunkSize);
            _chunk = new byte[Math.Max(next, post.Length)];
            _used = 0;
        }

        post.CopyTo(_chunk.AsSpan(_used));
        var held = new HeldPost(_chunk, _used, post.Length);
        _used += post.Length;
        return held;
    }

    /// <summary>The post <paramref name="held"/> points to, as a new object.</summary>
    public static Post Read(HeldPost held)
    {
        var position = 0;
        return PostBytes.Read(held.Bytes, ref position);
    }

    /// <summary>
    /// The bytes of <paramref name="posts"/>, in order, as a window stores them: no <see cref="Post"/> made and nothing
    /// copied. The result points at the runs of chunks the posts lie in, which are never written again where a post
    /// lies.
    /// </summary>
    public static StoredPosts Concatenate(ReadOnlySpan<HeldPost> posts)
    {
        var runCount = 0;
        for (var index = 0; index < posts.Length; index++)
        {
            if (index == 0 || !Follows(posts[index - 1], posts[index]))
            {
                runCount++;
            }
        }

        var runs = new ReadOnlyMemory<byte>[runCount];
        var length = 0;
        var run = -1;
        var runStart = 0;
        for (var index = 0; index < posts.Length; index++)
        {
            var post = posts[index];
            if (index == 0 || !Follows(posts[index - 1], post))
            {
                run++;
                runStart = post.Offset;
            }

            runs[run] = post.Chunk.AsMemory(runStart, post.Offset + post.Length - runStart);
            length += post.Length;
        }

        return new StoredPosts(runs, length, posts.Length);

        static bool Follows(HeldPost previous, HeldPost next) =>
            ReferenceEquals(previous.Chunk, next.Chunk) && previous.Offset + previous.Length == next.Offset;
    }
}
