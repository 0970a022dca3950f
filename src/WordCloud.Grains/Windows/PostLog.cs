using WordCloud.Abstractions;

namespace WordCloud.Grains.Windows;

/// <summary>
/// Posts packed (<see cref="PackedPost"/>) one after another into byte chunks, text as UTF-8: a held post costs its bytes and a
/// <see cref="PostRef"/>, not a <see cref="Post"/> object, a UTF-16 string and one string per field (about 330 bytes
/// for a 100-character post becomes about 110). A chunk is freed by the garbage collector once no held post points
/// into it, so evicting the oldest posts needs no bookkeeping here. Reading a post decodes a new <see cref="Post"/>
/// equal to the one appended.
/// </summary>
/// <remarks>
/// Chunks start small, so a quiet topic costs little, and double up to 64 KB, under the large-object threshold. A
/// packed post is at most about 33 KB (10,000 UTF-16 code units as UTF-8, and three fields of 256), so it always fits
/// a chunk. Not thread-safe.
/// </remarks>
public sealed class PostLog
{
    private const int FirstChunkSize = 1024;
    private const int LargestChunkSize = 64 * 1024;

    private byte[] _chunk = [];
    private int _used;

    /// <summary>Packs <paramref name="post"/> at the end of the log.</summary>
    public PostRef Append(Post post)
    {
        ArgumentNullException.ThrowIfNull(post);
        var size = PackedPost.MaxSize(post);
        return Added(PackedPost.Write(post, Room(size)));
    }

    /// <summary>Puts a post already packed (<see cref="PackedPost"/>) at the end of the log, as it is.</summary>
    public PostRef AppendPacked(ReadOnlySpan<byte> packed)
    {
        packed.CopyTo(Room(packed.Length));
        return Added(packed.Length);
    }

    /// <summary>At least <paramref name="size"/> bytes at the end of the current chunk, or of a new one.</summary>
    private Span<byte> Room(int size)
    {
        if (_chunk.Length - _used < size)
        {
            var next = Math.Clamp(_chunk.Length * 2, FirstChunkSize, LargestChunkSize);
            _chunk = new byte[Math.Max(next, size)];
            _used = 0;
        }

        return _chunk.AsSpan(_used);
    }

    private PostRef Added(int size)
    {
        var reference = new PostRef(_chunk, _used, size);
        _used += size;
        return reference;
    }

    /// <summary>The post that <paramref name="reference"/> points to, as a new object.</summary>
    public static Post Read(PostRef reference)
    {
        var position = 0;
        return PackedPost.Read(reference.Bytes, ref position);
    }

    /// <summary>
    /// The packed bytes of <paramref name="references"/>, in order: posts saved as they are held, with no
    /// <see cref="Post"/> objects made and no field encoded again. Nothing is copied: the result points at the runs of
    /// chunks the posts lie in, which are never written again where a post lies, and is written from there.
    /// </summary>
    public static PackedPosts Concatenate(ReadOnlySpan<PostRef> references)
    {
        var runCount = 0;
        for (var index = 0; index < references.Length; index++)
        {
            if (index == 0 || !Follows(references[index - 1], references[index]))
            {
                runCount++;
            }
        }

        var runs = new ReadOnlyMemory<byte>[runCount];
        var length = 0;
        var run = -1;
        var runStart = 0;
        for (var index = 0; index < references.Length; index++)
        {
            var reference = references[index];
            if (index == 0 || !Follows(references[index - 1], reference))
            {
                run++;
                runStart = reference.Offset;
            }

            runs[run] = reference.Chunk.AsMemory(runStart, reference.Offset + reference.Length - runStart);
            length += reference.Length;
        }

        return new PackedPosts(runs, length, references.Length);

        static bool Follows(PostRef previous, PostRef next) =>
            ReferenceEquals(previous.Chunk, next.Chunk) && previous.Offset + previous.Length == next.Offset;
    }

    /// <summary>Unpacks every post of <paramref name="packed"/>, in order.</summary>
    public static Post[] Unpack(PackedPosts packed)
    {
        // Every packed post takes at least one byte: a count outside that is damaged data, not an array to allocate.
        if (packed.Count < 0 || packed.Count > packed.Length)
        {
            throw new InvalidDataException($"packed posts: a count of {packed.Count} cannot be read from {packed.Length} bytes (each post takes at least one)");
        }

        // Read run by run (no post lies across two), so that posts a store keeps as the window's runs are not joined
        // into a copy that the stored record would then keep as well.
        var posts = new Post[packed.Count];
        var index = 0;
        var read = 0;
        foreach (var run in packed.Runs)
        {
            var bytes = run.Span;
            var position = 0;
            while (position < bytes.Length)
            {
                if (index == posts.Length)
                {
                    throw new InvalidDataException($"packed posts: {packed.Count} posts read {read + position} of {packed.Length} bytes");
                }

                posts[index++] = PackedPost.Read(bytes, ref position);
            }

            read += position;
        }

        return index == posts.Length
            ? posts
            : throw new InvalidDataException($"packed posts: {packed.Length} bytes hold {index} posts, not {packed.Count}");
    }
}

/// <summary>Where a packed post lies: its chunk (kept alive by this reference), offset and length.</summary>
public readonly record struct PostRef(byte[] Chunk, int Offset, int Length)
{
    public ReadOnlySpan<byte> Bytes => Chunk.AsSpan(Offset, Length);
}
