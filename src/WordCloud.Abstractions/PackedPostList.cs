using System.Buffers;
using System.Collections;

namespace WordCloud.Abstractions;

/// <summary>
/// The posts of a batch as a silo receives it: packed (<see cref="PackedPost"/>) one after another in one array, as
/// <see cref="PostBatchCodec"/> read them from the message. A window checks, counts and keeps them from these bytes;
/// reading an item makes a new <see cref="Post"/> equal to the one sent (null for a null post).
/// </summary>
/// <remarks>
/// Decoding each post into a <see cref="Post"/> and its strings, only for the window to encode the text as UTF-8 again,
/// made 43% of the bytes a loaded silo allocated (dotnet-trace allocation ticks: strings 32%, posts 11%). Every
/// string's UTF-8 here is well-formed: the codec checks it, and a post whose bytes are not is read as the string
/// codec reads it (malformed sequences replaced) and packed from that. The bytes lie in an array from the shared pool:
/// the window that took the posts gives it back (<see cref="Release"/>), and a list whose array was never given back
/// (a batch refused or forwarded) leaves it to the garbage collector.
/// </remarks>
public sealed class PackedPostList : IReadOnlyList<Post>
{
    private readonly int[] _ends;
    private byte[]? _bytes;

    private PackedPostList(byte[] bytes, int[] ends)
    {
        _bytes = bytes;
        _ends = ends;
    }

    public int Count => _ends.Length;

    public Post this[int index]
    {
        get
        {
            var packed = PackedAt(index);
            var position = 0;
            return packed.IsEmpty ? null! : PackedPost.Read(packed, ref position);
        }
    }

    /// <summary>The packed bytes of post <paramref name="index"/>; empty for a null post.</summary>
    public ReadOnlySpan<byte> PackedAt(int index)
    {
        var bytes = _bytes ?? throw new ObjectDisposedException(nameof(PackedPostList), "the posts of this batch were released once a window took them");
        var start = index == 0 ? 0 : _ends[index - 1];
        return bytes.AsSpan(start, _ends[index] - start);
    }

    /// <summary>
    /// Gives the bytes back to the pool, once the posts are copied where they are kept; reading a post afterwards
    /// throws. Receiving a batch allocated a copy of its posts before (a sixth of a loaded silo's allocated bytes).
    /// </summary>
    public void Release()
    {
        if (_bytes is { } bytes)
        {
            _bytes = null;
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    public IEnumerator<Post> GetEnumerator()
    {
        for (var index = 0; index < Count; index++)
        {
            yield return this[index];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Packs the posts of one batch as they are read; <see cref="Build"/> once, or <see cref="Dispose"/>.</summary>
    internal sealed class Builder(int count) : IDisposable
    {
        private readonly int[] _ends = new int[count];
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Math.Clamp(count * 128, 256, 1 << 20));
        private int _added;

        /// <summary>How many bytes are written: where the next post starts.</summary>
        public int Used { get; private set; }

        public bool IsFull => _added == _ends.Length;

        public int Added => _added;

        public int Count => _ends.Length;

        /// <summary>Room for <paramref name="size"/> more bytes, at <see cref="Used"/>; call <see cref="Advance"/> after writing.</summary>
        public Span<byte> Reserve(int size)
        {
            if (_buffer.Length - Used < size)
            {
                var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, Math.Max((long)_buffer.Length * 2, (long)Used + size)));
                _buffer.AsSpan(0, Used).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            return _buffer.AsSpan(Used, size);
        }

        public void Advance(int size) => Used += size;

        /// <summary>The bytes written from <paramref name="start"/> on.</summary>
        public Span<byte> WrittenFrom(int start) => _buffer.AsSpan(start, Used - start);

        /// <summary>Forgets what was written from <paramref name="start"/> on.</summary>
        public void Rewind(int start) => Used = start;

        /// <summary>Ends the post whose bytes are those written since the previous one ended (none: a null post).</summary>
        public void EndPost() => _ends[_added++] = Used;

        /// <summary>Packs <paramref name="post"/> whole (null: a null post).</summary>
        public void Add(Post? post)
        {
            if (post is not null)
            {
                var size = PackedPost.MaxSize(post);
                Advance(PackedPost.Write(post, Reserve(size)));
            }

            EndPost();
        }

        /// <summary>The posts, in the pooled buffer they were packed into (which the list now owns).</summary>
        public PackedPostList Build()
        {
            if (!IsFull)
            {
                throw new InvalidOperationException($"{_added} posts of {_ends.Length} are packed");
            }

            var list = new PackedPostList(_buffer, _ends);
            _buffer = [];
            return list;
        }

        public void Dispose()
        {
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = [];
            }
        }
    }
}
