namespace WordCloud.Grains.Windows;

/// <summary>
/// The chunks a window's held posts lie in (<see cref="HeldPostLog"/>), oldest first, each numbered in the order
/// it was first used. A window's ring names a post's chunk by this number rather than by reference, so the ring, one
/// entry per held post, holds no references: smaller, and nothing the garbage collector has to scan.
/// </summary>
/// <remarks>
/// Numbers are ints that wrap after 2^32 chunks (a long-lived busy window gets there); only differences between them
/// are used, which stay right while fewer than 2^31 chunks are held. Not thread-safe.
/// </remarks>
/// <param name="firstNumber">The number the first chunk gets (0 in a window; tests start near the wrap).</param>
public sealed class ChunkQueue(int firstNumber = 0)
{
    private byte[]?[] _chunks = new byte[]?[4]; // a power of two, so positions wrap with a mask
    private int _head;
    private int _count;
    private int _first = firstNumber;

    /// <summary>
    /// The number of <paramref name="chunk"/>: the newest chunk's if it is that one, else a new number for it at the end.
    /// </summary>
    public int NumberOf(byte[] chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (_count > 0 && ReferenceEquals(_chunks[(_head + _count - 1) & (_chunks.Length - 1)], chunk))
        {
            return unchecked(_first + _count - 1);
        }

        if (_count == _chunks.Length)
        {
            Grow();
        }

        _chunks[(_head + _count) & (_chunks.Length - 1)] = chunk;
        _count++;
        return unchecked(_first + _count - 1);
    }

    /// <summary>The chunk numbered <paramref name="number"/>, which must still be held.</summary>
    public byte[] this[int number]
    {
        get
        {
            var index = unchecked(number - _first);
            return (uint)index < (uint)_count
                ? _chunks[(_head + index) & (_chunks.Length - 1)]!
                : throw new InvalidOperationException($"chunk {number} is not held (chunks {_first} to {unchecked(_first + _count - 1)} are)");
        }
    }

    /// <summary>Lets go of the chunks numbered before <paramref name="number"/>.</summary>
    public void DropBefore(int number)
    {
        while (_count > 0 && unchecked(number - _first) > 0)
        {
            DropFirst();
        }
    }

    /// <summary>Lets go of every chunk; the next one gets the number after the last.</summary>
    public void Clear()
    {
        while (_count > 0)
        {
            DropFirst();
        }
    }

    private void DropFirst()
    {
        _chunks[_head] = null;
        _head = (_head + 1) & (_chunks.Length - 1);
        _first = unchecked(_first + 1);
        _count--;
    }

    /// <summary>Doubles the ring, moving the oldest chunk to index 0.</summary>
    private void Grow()
    {
        _chunks = Rings.Unwrapped(_chunks, _head, _count, _chunks.Length * 2);
        _head = 0;
    }
}
