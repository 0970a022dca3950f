using WordCloud.Abstractions;

namespace WordCloud.Grains.Windows;

/// <summary>
/// Consecutive posts of a window as it stores them (in a <see cref="StoredSegment"/> or a head's tail): their bytes
/// (<see cref="PostBytes"/>) back to back, and how many there are. Written by <see cref="StoredPostsCodec"/>.
/// </summary>
/// <remarks>
/// Posts read from storage are one array. Posts a save writes are the runs of the window's chunks they lie in
/// (<see cref="HeldPostLog.Concatenate"/>), written to storage from there without being copied into one array first;
/// an in-memory store beside the window keeps them as they are, sharing the window's chunks.
/// </remarks>
[Immutable, Alias("WordCloud.PackedPosts")]
public sealed class StoredPosts
{
    private readonly ReadOnlyMemory<byte>[] _runs;

    public StoredPosts(byte[] bytes, int count)
        : this([bytes], bytes.Length, count)
    {
    }

    internal StoredPosts(ReadOnlyMemory<byte>[] runs, int length, int count)
    {
        _runs = runs;
        Length = length;
        Count = count;
    }

    /// <summary>No posts.</summary>
    public static StoredPosts Empty { get; } = new([], 0);

    /// <summary>How many posts.</summary>
    public int Count { get; }

    /// <summary>How many bytes they take.</summary>
    public int Length { get; }

    /// <summary>The bytes, as consecutive runs; no post lies across two.</summary>
    internal ReadOnlySpan<ReadOnlyMemory<byte>> Runs => _runs;

    /// <summary>The bytes of each post, in order.</summary>
    public Enumerator GetEnumerator() => new(_runs);

    /// <summary>Every post, in order, as new objects.</summary>
    /// <exception cref="InvalidDataException">The bytes do not hold <see cref="Count"/> posts.</exception>
    public Post[] ReadAll()
    {
        // Every post takes at least one byte: a count outside that is damaged data, not an array to allocate.
        if (Count < 0 || Count > Length)
        {
            throw new InvalidDataException($"stored posts: a count of {Count} cannot be read from {Length} bytes (each post takes at least one)");
        }

        var posts = new Post[Count];
        var index = 0;
        foreach (var post in this)
        {
            if (index == posts.Length)
            {
                throw new InvalidDataException($"stored posts: {Length} bytes hold more than the {Count} posts they are said to");
            }

            var position = 0;
            posts[index++] = PostBytes.Read(post, ref position);
        }

        return index == posts.Length
            ? posts
            : throw new InvalidDataException($"stored posts: {Length} bytes hold {index} posts, not {Count}");
    }

    /// <summary>The <paramref name="take"/> posts after the first <paramref name="skip"/>, sharing these bytes.</summary>
    public StoredPosts Slice(int skip, int take)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(skip + take, Count);
        if (skip == 0 && take == Count)
        {
            return this;
        }

        var runs = new List<ReadOnlyMemory<byte>>();
        var length = 0;
        var index = 0;
        foreach (var run in _runs)
        {
            var bytes = run.Span;
            var position = 0;
            var start = -1;
            while (position < bytes.Length && index < skip + take)
            {
                if (index == skip || (index > skip && start < 0))
                {
                    start = position;
                }

                position += PostBytes.LengthOf(bytes[position..]);
                index++;
            }

            if (start >= 0)
            {
                runs.Add(run[start..position]);
                length += position - start;
            }

            if (index == skip + take)
            {
                break;
            }
        }

        return new StoredPosts([.. runs], length, take);
    }

    /// <summary>Walks the posts run by run, so that posts kept as the window's runs are never joined into a copy.</summary>
    public ref struct Enumerator(ReadOnlyMemory<byte>[] runs)
    {
        private int _run = -1;
        private ReadOnlySpan<byte> _bytes;
        private int _position;

        public ReadOnlySpan<byte> Current { get; private set; }

        public bool MoveNext()
        {
            while (_position >= _bytes.Length)
            {
                if (++_run >= runs.Length)
                {
                    return false;
                }

                _bytes = runs[_run].Span;
                _position = 0;
            }

            var length = PostBytes.LengthOf(_bytes[_position..]);
            Current = _bytes.Slice(_position, length);
            _position += length;
            return true;
        }
    }
}
