namespace WordCloud.Grains.Windows;

/// <summary>
/// The word ids of a window's held posts, oldest first: a first-in, first-out queue of non-negative ints kept as
/// variable-length integers (7 bits a byte) in a ring of bytes. Word ids are reused once a word leaves the counts, so
/// they stay below the number of distinct words held, and most take one or two bytes instead of four.
/// </summary>
/// <remarks>Not thread-safe.</remarks>
public sealed class WordIdQueue
{
    private const int MaxBytesPerId = 5;

    private byte[] _bytes = new byte[256]; // a power of two, so positions wrap with a mask
    private int _head;
    private int _length;
    private long _start;

    /// <summary>Bytes the queued ids take.</summary>
    public int Length => _length;

    /// <summary>Bytes reserved for the queue (a power of two, at least <see cref="Length"/>).</summary>
    public int Reserved => _bytes.Length;

    /// <summary>
    /// Where the oldest queued id starts, counted in bytes from the first ever queued: a position that stays the same
    /// while ids are queued and taken around it and while the ring grows, so a reader can keep its place in the queue
    /// (<see cref="Read"/>).
    /// </summary>
    public long Start => _start;

    /// <summary>The position after the newest queued id (see <see cref="Start"/>).</summary>
    public long End => _start + _length;

    /// <summary>Adds <paramref name="id"/> at the end.</summary>
    public void Enqueue(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        if (_bytes.Length - _length < MaxBytesPerId)
        {
            Grow();
        }

        var mask = _bytes.Length - 1;
        var at = (_head + _length) & mask;
        var value = (uint)id;
        while (value >= 0x80)
        {
            _bytes[at] = (byte)(value | 0x80);
            at = (at + 1) & mask;
            value >>= 7;
            _length++;
        }

        _bytes[at] = (byte)value;
        _length++;
    }

    /// <summary>Takes the oldest id off the front.</summary>
    public int Dequeue()
    {
        if (_length == 0)
        {
            throw new InvalidOperationException("the word id queue is empty");
        }

        var mask = _bytes.Length - 1;
        var value = 0u;
        var shift = 0;
        byte next;
        do
        {
            next = _bytes[_head];
            _head = (_head + 1) & mask;
            _length--;
            _start++;
            value |= (uint)(next & 0x7F) << shift;
            shift += 7;
        }
        while (next >= 0x80);

        return (int)value;
    }

    /// <summary>
    /// The id that starts at <paramref name="position"/> (between <see cref="Start"/> and <see cref="End"/>), leaving
    /// the queue as it is; moves <paramref name="position"/> to the next id. Costs the bytes of the one id read.
    /// </summary>
    public int Read(ref long position)
    {
        if (position < _start || position >= End)
        {
            throw new ArgumentOutOfRangeException(nameof(position), position, $"no queued id starts at {position}: ids are queued from {_start} to {End}");
        }

        var mask = _bytes.Length - 1;
        var at = _head + (int)(position - _start);
        var value = 0u;
        var shift = 0;
        byte next;
        do
        {
            next = _bytes[at & mask];
            at++;
            position++;
            value |= (uint)(next & 0x7F) << shift;
            shift += 7;
        }
        while (next >= 0x80);

        return (int)value;
    }

    /// <summary>
    /// Calls <paramref name="visit"/> with the <paramref name="count"/> ids that follow the oldest
    /// <paramref name="skip"/>, leaving the queue as it is. Walks the bytes from the front: its cost is the bytes skipped.
    /// </summary>
    public void Visit(long skip, int count, Action<int> visit)
    {
        var mask = _bytes.Length - 1;
        var at = _head;
        var end = _head + _length;
        for (var skipped = 0L; skipped < skip; skipped++)
        {
            while ((_bytes[at & mask] & 0x80) != 0)
            {
                at++;
            }

            at++;
            if (at > end)
            {
                throw new ArgumentOutOfRangeException(nameof(skip), skip, "fewer ids are queued than skipped");
            }
        }

        for (var read = 0; read < count; read++)
        {
            var value = 0u;
            var shift = 0;
            byte next;
            do
            {
                if (at >= end)
                {
                    throw new ArgumentOutOfRangeException(nameof(count), count, $"fewer than {skip} + {count} ids are queued");
                }

                next = _bytes[at & mask];
                at++;
                value |= (uint)(next & 0x7F) << shift;
                shift += 7;
            }
            while (next >= 0x80);

            visit((int)value);
        }
    }

    /// <summary>Doubles the ring, moving the oldest byte to index 0.</summary>
    private void Grow()
    {
        _bytes = Rings.Unwrapped(_bytes, _head, _length, _bytes.Length * 2);
        _head = 0;
    }
}
