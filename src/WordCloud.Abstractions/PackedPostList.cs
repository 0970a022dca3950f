using System.Buffers;
using System.Collections;

namespace WordCloud.Abstractions;

/// <summary>
/// The posts of a batch as a silo receives it: packed (<see cref="PackedPost"/>) one after another in buffers of at
/// most <see cref="BufferSize"/> bytes, as <see cref="PostBatchCodec"/> read them from the message; a post never spans
/// two buffers. A window checks, counts and keeps them from these bytes; reading an item makes a new
/// <see cref="Post"/> equal to the one sent (null for a null post).
/// </summary>
/// <remarks>
/// Decoding each post into a <see cref="Post"/> and its strings, only for the window to encode the text as UTF-8 again,
/// made 43% of the bytes a loaded silo allocated (dotnet-trace allocation ticks: strings 32%, posts 11%). Every
/// string's UTF-8 here is well-formed: the codec checks it, and a post whose bytes are not is read as the string
/// codec reads it (malformed sequences replaced) and packed from that. The buffers come from the shared pool: the
/// window that took the posts gives them back (<see cref="Release"/>), and a list whose buffers were never given back
/// (a batch refused or forwarded) leaves them to the garbage collector. One array per batch, grown by doubling, made a
/// batch of 10,000 posts a 2 MB array on the large-object heap; a silo filling a million posts in such batches held
/// 27 of them, in flight and pooled (BENCHMARKS.md, "A million posts in one silo"). Buffers of 64 KB stay off it.
/// </remarks>
public sealed class PackedPostList : IReadOnlyList<Post>
{
    /// <summary>The most bytes a buffer holds (below the large-object heap's 85,000), but for a post larger than that alone.</summary>
    public const int BufferSize = 1 << 16;

    // Positions count the bytes of the posts before, as if they lay end to end: a post starts where the one before it
    // ends. Buffer b holds the posts from position _starts[b] on, one after another from its first byte. The starts
    // increase strictly: a buffer is added only once the one before it holds a finished post.
    private readonly int[] _ends;
    private readonly int[] _starts;
    private byte[][]? _buffers;

    private PackedPostList(byte[][] buffers, int[] starts, int[] ends)
    {
        _buffers = buffers;
        _starts = starts;
        _ends = ends;
    }

    public int Count => _ends.Length;

    /// <summary>How many bytes each buffer holding the posts can take.</summary>
    internal IEnumerable<int> BufferLengths => (_buffers ?? []).Select(buffer => buffer.Length);

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
        var buffers = _buffers ?? throw new ObjectDisposedException(nameof(PackedPostList), "the posts of this batch were released once a window took them");
        var end = _ends[index];
        var start = index == 0 ? 0 : _ends[index - 1];
        if (end == start)
        {
            return [];
        }

        var buffer = buffers.Length == 1 ? 0 : BufferHolding(start);
        return buffers[buffer].AsSpan(start - _starts[buffer], end - start);
    }

    private int BufferHolding(int position)
    {
        var found = Array.BinarySearch(_starts, position);
        return found >= 0 ? found : ~found - 1;
    }

    /// <summary>
    /// Gives the buffers back to the pool, once the posts are copied where they are kept; reading a post afterwards
    /// throws. Receiving a batch allocated a copy of its posts before (a sixth of a loaded silo's allocated bytes).
    /// </summary>
    public void Release()
    {
        if (_buffers is { } buffers)
        {
            _buffers = null;
            foreach (var buffer in buffers)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
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

    /// <summary>
    /// Packs the posts of one batch as they are read, one post at a time: positions it takes and gives are within the
    /// post being written. <see cref="Build"/> once, or <see cref="Dispose"/>.
    /// </summary>
    internal sealed class Builder : IDisposable
    {
        private readonly int[] _ends;
        private readonly List<byte[]> _buffers;
        private readonly List<int> _starts = [0];
        private byte[] _buffer;
        private int _postStart;
        private int _written;
        private int _added;

        public Builder(int count)
        {
            _ends = new int[count];
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Clamp(count * 128, 256, BufferSize));
            _buffers = [_buffer];
        }

        /// <summary>
        /// How many bytes of packed posts are written, the post being written included: every position is below it, so
        /// the codec's bound on it (a few times the message's size) keeps positions far from overflowing.
        /// </summary>
        public int Used => checked(Finished + PostLength);

        /// <summary>How many bytes the finished posts take: where the post being written starts.</summary>
        private int Finished => _added == 0 ? 0 : _ends[_added - 1];

        /// <summary>How many bytes of the post being written are written: where its next byte goes.</summary>
        public int PostLength => _written - _postStart;

        public bool IsFull => _added == _ends.Length;

        public int Added => _added;

        public int Count => _ends.Length;

        /// <summary>Room for <paramref name="size"/> more bytes of the post, at <see cref="PostLength"/>; call <see cref="Advance"/> after writing.</summary>
        public Span<byte> Reserve(int size)
        {
            if (_buffer.Length - _written < size)
            {
                // The post goes on in a new buffer, its bytes so far moved there; a buffer that holds no finished post
                // is given back rather than kept. A post larger than a buffer gets one of twice its size, which posts as
                // large after it share (no acceptable post is: the largest packs into about 33 KB; a batch of them is
                // refused post by post by the window).
                var length = PostLength;
                var needed = (long)length + size;
                var next = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, needed <= BufferSize ? BufferSize : 2 * needed));
                _buffer.AsSpan(_postStart, length).CopyTo(next);
                if (_postStart == 0)
                {
                    ArrayPool<byte>.Shared.Return(_buffer);
                    _buffers[^1] = next;
                }
                else
                {
                    _starts.Add(Finished);
                    _buffers.Add(next);
                }

                _buffer = next;
                _postStart = 0;
                _written = length;
            }

            return _buffer.AsSpan(_written, size);
        }

        public void Advance(int size) => _written += size;

        /// <summary>The bytes of the post being written, from <paramref name="offset"/> in it on.</summary>
        public Span<byte> PostFrom(int offset) => _buffer.AsSpan(_postStart + offset, PostLength - offset);

        /// <summary>Forgets what was written of the post being written.</summary>
        public void RewindPost() => _written = _postStart;

        /// <summary>Ends the post being written: its bytes are those written since the previous one ended (none: a null post).</summary>
        public void EndPost()
        {
            _ends[_added] = Used;
            _added++;
            _postStart = _written;
        }

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

        /// <summary>The posts, in the pooled buffers they were packed into (which the list now owns).</summary>
        public PackedPostList Build()
        {
            if (!IsFull)
            {
                throw new InvalidOperationException($"{_added} posts of {_ends.Length} are packed");
            }

            var list = new PackedPostList([.. _buffers], [.. _starts], _ends);
            _buffers.Clear();
            return list;
        }

        public void Dispose()
        {
            foreach (var buffer in _buffers)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            _buffers.Clear();
        }
    }
}
