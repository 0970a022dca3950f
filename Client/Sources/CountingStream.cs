namespace WordCloud.Client.Sources;

/// <summary>
/// A read-only stream that counts the bytes read through it, so the progress line can say how far into a file the
/// producer is without asking the file stream, which belongs to the reading thread. Read the count from any thread.
/// </summary>
public sealed class CountingStream(Stream inner) : Stream
{
    private long _bytesRead;

    public long BytesRead => Volatile.Read(ref _bytesRead);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException("a counting stream reads forward only");
    }

    public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Counted(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Counted(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
        // Nothing is written.
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("a counting stream reads forward only");

    public override void SetLength(long value) => throw new NotSupportedException("a counting stream is read-only");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("a counting stream is read-only");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Counted(int read)
    {
        // One writer (the reading thread): a plain add published with a volatile write is enough.
        Volatile.Write(ref _bytesRead, _bytesRead + read);
        return read;
    }
}
