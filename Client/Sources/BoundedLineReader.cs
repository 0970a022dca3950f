using System.Text;

namespace WordCloud.Client.Sources;

/// <summary>What <see cref="BoundedLineReader"/> found next.</summary>
public enum LineRead
{
    /// <summary>A line, given without its end.</summary>
    Line,

    /// <summary>A line longer than <see cref="BoundedLineReader.MaxLineBytes"/>, passed over unread.</summary>
    TooLong,

    /// <summary>The end of the input.</summary>
    End,
}

/// <summary>
/// Reads UTF-8 lines from a stream, holding no more than <see cref="MaxLineBytes"/> of any one line: a longer line is
/// passed over chunk by chunk (a <see cref="StreamReader.ReadLine"/> of a 1 GB line would take 2 GB). A NUL byte
/// ends the reading: no text or JSON-lines file holds one, and a binary file such as /dev/zero may never end a line.
/// </summary>
/// <remarks>A line ends at '\n', with a '\r' before it dropped; a UTF-8 byte order mark at the start is skipped.</remarks>
public sealed class BoundedLineReader(Stream stream, string name) : IDisposable
{
    /// <summary>Longest line read, in bytes without its end; a post is at most 10,000 characters, 30,000 bytes.</summary>
    public const int MaxLineBytes = 1 << 20;

    private const int ChunkBytes = 1 << 16;

    private byte[] _buffer = new byte[ChunkBytes];
    private int _start;
    private int _scanned;
    private int _end;
    private bool _passingOver;
    private bool _atStart = true;
    private long _lines;

    /// <summary>Reads the next line, blocking on the stream.</summary>
    /// <exception cref="InvalidDataException">The input holds a NUL byte: it is not text.</exception>
    public LineRead Read(out string? line)
    {
        while (true)
        {
            if (TryTake(out var found, out line))
            {
                return found;
            }

            if (Filled(stream.Read(_buffer, _end, _buffer.Length - _end)) is { } last)
            {
                return last;
            }
        }
    }

    /// <summary>Reads the next line, waiting for the stream without blocking (a pipe, standard input).</summary>
    /// <exception cref="InvalidDataException">The input holds a NUL byte: it is not text.</exception>
    public async ValueTask<(LineRead Found, string? Line)> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTake(out var found, out var line))
            {
                return (found, line);
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).AsTask().WaitAsync(cancellationToken);
            if (Filled(read) is { } last)
            {
                return (last, null);
            }
        }
    }

    public void Dispose() => stream.Dispose();

    /// <summary>Takes a whole line from the buffer if one is there; else makes room for more bytes.</summary>
    private bool TryTake(out LineRead found, out string? line)
    {
        line = null;
        var unscanned = _buffer.AsSpan(_scanned, _end - _scanned);
        var stop = unscanned.IndexOfAny((byte)'\n', (byte)0);
        if (stop >= 0 && unscanned[stop] == 0)
        {
            throw new InvalidDataException($"{name} holds a NUL byte on line {_lines + 1}: it is not a text or JSON-lines file");
        }

        if (stop >= 0)
        {
            var lineEnd = _scanned + stop;
            var bytes = _buffer.AsSpan(_start, lineEnd - _start);
            _start = _scanned = lineEnd + 1;
            _lines++;
            if (_passingOver)
            {
                _passingOver = false;
                found = LineRead.TooLong;
                return true;
            }

            if (bytes.Length > MaxLineBytes)
            {
                found = LineRead.TooLong;
                return true;
            }

            found = LineRead.Line;
            line = Decode(bytes);
            return true;
        }

        _scanned = _end;
        if (_passingOver || _end - _start > MaxLineBytes)
        {
            // Over the limit: what was read of the line is dropped, and the rest of it is read chunk by chunk.
            _passingOver = true;
            _start = _scanned = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            var held = _end - _start;
            if (held > _buffer.Length / 2)
            {
                // A long line: room for more of it, up to the limit and a chunk.
                Array.Resize(ref _buffer, Math.Min(2 * _buffer.Length, MaxLineBytes + ChunkBytes));
            }

            _buffer.AsSpan(_start, held).CopyTo(_buffer);
            _start = 0;
            _scanned = _end = held;
        }

        found = default;
        return false;
    }

    /// <summary>Takes in <paramref name="read"/> new bytes; null to go on, or, at the end of the input, what ends it.</summary>
    private LineRead? Filled(int read)
    {
        if (read > 0)
        {
            _end += read;
            return null;
        }

        if (_passingOver)
        {
            // The last line, too long, had no '\n'.
            _passingOver = false;
            _lines++;
            return LineRead.TooLong;
        }

        if (_end > _start)
        {
            // A last line without '\n' is still a line: given one, it is taken as any other. TryTake never leaves the
            // buffer full, so there is room.
            _buffer[_end++] = (byte)'\n';
            return null;
        }

        return LineRead.End;
    }

    private string Decode(ReadOnlySpan<byte> bytes)
    {
        if (_atStart)
        {
            _atStart = false;
            if (bytes.StartsWith("\uFEFF"u8))
            {
                bytes = bytes[3..];
            }
        }

        if (bytes.EndsWith("\r"u8))
        {
            bytes = bytes[..^1];
        }

        return bytes.IsEmpty ? string.Empty : Encoding.UTF8.GetString(bytes);
    }
}
