using System.Buffers;

namespace WordCloud.Abstractions;

/// <summary>
/// Writes the entries of one <see cref="PostBatch"/> (posts and deletions, as many as it was made for) into pooled
/// buffers, one at a time: positions it takes and gives are within the entry being written. <see cref="Build"/> once,
/// or <see cref="Dispose"/>.
/// </summary>
public sealed class PostBatchBuilder : IDisposable
{
    private readonly int[] _ends;
    private readonly List<byte[]> _buffers;
    private readonly List<int> _starts = [0];
    private byte[] _buffer;
    private int _postStart;
    private int _written;
    private int _added;

    public PostBatchBuilder(int count)
    {
        _ends = new int[count];
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Clamp(count * 128, 256, PostBatch.BufferSize));
        _buffers = [_buffer];
    }

    /// <summary>
    /// How many bytes of posts are written, the post being written included: every position is below it, so the
    /// codec's bound on it (a few times the message's size) keeps positions far from overflowing.
    /// </summary>
    internal int Used => checked(Finished + PostLength);

    /// <summary>How many bytes of the post being written are written: where its next byte goes.</summary>
    internal int PostLength => _written - _postStart;

    public bool IsFull => _added == _ends.Length;

    public int Added => _added;

    public int Count => _ends.Length;

    /// <summary>How many bytes the finished posts take: where the post being written starts.</summary>
    private int Finished => _added == 0 ? 0 : _ends[_added - 1];

    /// <summary>Room for <paramref name="size"/> more bytes of the post, at <see cref="PostLength"/>; call <see cref="Advance"/> after writing.</summary>
    internal Span<byte> Reserve(int size)
    {
        if (_buffer.Length - _written < size)
        {
            // The post goes on in a new buffer, its bytes so far moved there; a buffer that holds no finished post is
            // given back rather than kept. A post larger than a buffer gets one of twice its size, which posts as large
            // after it share (no acceptable post is that large; a batch of such posts is refused post by post).
            var length = PostLength;
            var needed = (long)length + size;
            var next = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, needed <= PostBatch.BufferSize ? PostBatch.BufferSize : 2 * needed));
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

    internal void Advance(int size) => _written += size;

    /// <summary>The bytes of the post being written, from <paramref name="offset"/> in it on.</summary>
    internal Span<byte> PostFrom(int offset) => _buffer.AsSpan(_postStart + offset, PostLength - offset);

    /// <summary>Forgets what was written of the post being written.</summary>
    internal void RewindPost() => _written = _postStart;

    /// <summary>Ends the post being written: its bytes are those written since the previous one ended (none: a null post).</summary>
    internal void EndPost()
    {
        _ends[_added] = Used;
        _added++;
        _postStart = _written;
    }

    /// <summary>Writes <paramref name="post"/> whole (null: a null post).</summary>
    public void Add(Post? post)
    {
        if (post is not null)
        {
            Advance(PostBytes.Write(post, Reserve(PostBytes.MaxSize(post))));
        }

        EndPost();
    }

    /// <summary>
    /// Writes the deletion of the post whose id is <paramref name="id"/>: the window that holds that post lets it go,
    /// uncounting its words. An entry of the batch like a post, in its place among them. A deletion without an id is
    /// carried, for the window to reject by name.
    /// </summary>
    public void AddDeletion(string? id)
    {
        Advance(PostBytes.WriteDeletion(id, Reserve(PostBytes.MaxDeletionSize(id))));
        EndPost();
    }

    /// <summary>The batch, in the pooled buffers its posts were written into (which it now owns).</summary>
    public PostBatch Build(string? producerId, long sequence)
    {
        if (!IsFull)
        {
            throw new InvalidOperationException($"{_added} posts of {_ends.Length} are written");
        }

        var batch = new PostBatch(producerId, sequence, [.. _buffers], [.. _starts], _ends);
        _buffers.Clear();
        return batch;
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
