using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace WordCloud.EndToEndTests.Infrastructure;

/// <summary>
/// A JSON array of one element repeated, written as it is sent: a body of any size costs the test a block of 64 KB.
/// Sent with its Content-Length, or chunked (no length) when <c>chunked</c> is set.
/// </summary>
public sealed class RepeatedJsonContent : HttpContent
{
    private const int BlockBytes = 1 << 16;

    private readonly byte[] _element;
    private readonly bool _chunked;

    public RepeatedJsonContent(string element, long count, bool chunked)
    {
        _element = Encoding.UTF8.GetBytes(element);
        Count = count;
        _chunked = chunked;
        Headers.ContentType = new MediaTypeHeaderValue("application/json");
    }

    /// <summary>How many elements the array holds.</summary>
    public long Count { get; }

    /// <summary>"[", the elements separated by commas, and "]".</summary>
    public long Length => 1 + (Count * (_element.Length + 1));

    /// <summary>As many elements as fit in about <paramref name="bytes"/>.</summary>
    public static RepeatedJsonContent OfSize(string element, long bytes, bool chunked) =>
        new(element, Math.Max(1, (bytes - 1) / (Encoding.UTF8.GetByteCount(element) + 1)), chunked);

    /// <summary>Hands the body to <paramref name="write"/> a block at a time.</summary>
    public async Task WriteAsync(Func<ReadOnlyMemory<byte>, ValueTask> write)
    {
        var separated = new byte[_element.Length + 1];
        separated[0] = (byte)',';
        _element.CopyTo(separated, 1);
        var perBlock = Math.Max(1, BlockBytes / separated.Length);
        var block = new byte[perBlock * separated.Length];
        for (var index = 0; index < perBlock; index++)
        {
            separated.CopyTo(block, index * separated.Length);
        }

        await write("["u8.ToArray());
        await write(_element);
        for (var left = Count - 1; left > 0; left -= perBlock)
        {
            await write(block.AsMemory(0, (int)Math.Min(left, perBlock) * separated.Length));
        }

        await write("]"u8.ToArray());
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        WriteAsync(bytes => stream.WriteAsync(bytes));

    protected override bool TryComputeLength(out long length)
    {
        length = _chunked ? 0 : Length;
        return !_chunked;
    }
}
