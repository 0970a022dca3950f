using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Unicode;
using WordCloud.Abstractions;

namespace WordCloud.Grains.Windows;

/// <summary>
/// Posts packed one after another into byte chunks, text as UTF-8: a held post costs its bytes and a
/// <see cref="PostRef"/>, not a <see cref="Post"/> object, a UTF-16 string and one string per field (about 330 bytes
/// for a 100-character post becomes about 110). A chunk is freed by the garbage collector once no held post points
/// into it, so evicting the oldest posts needs no bookkeeping here. Reading a post decodes a new <see cref="Post"/>
/// equal to the one appended.
/// </summary>
/// <remarks>
/// Chunks start small, so a quiet topic costs little, and double up to 64 KB, under the large-object threshold. A
/// packed post is at most about 33 KB (10,000 UTF-16 code units as UTF-8, and three fields of 256), so it always fits
/// a chunk. Text that is not well-formed UTF-16 (a lone surrogate) is kept as UTF-16 bytes, so it comes back exact.
/// Not thread-safe.
/// </remarks>
public sealed class PostLog
{
    private const int FirstChunkSize = 1024;
    private const int LargestChunkSize = 64 * 1024;

    private const byte HasId = 1;
    private const byte HasAuthor = 2;
    private const byte HasCreatedAt = 4;
    private const byte HasSource = 8;

    private byte[] _chunk = [];
    private int _used;

    /// <summary>Packs <paramref name="post"/> at the end of the log.</summary>
    public PostRef Append(Post post)
    {
        ArgumentNullException.ThrowIfNull(post);
        var size = MaxPackedSize(post);
        if (_chunk.Length - _used < size)
        {
            var next = Math.Clamp(_chunk.Length * 2, FirstChunkSize, LargestChunkSize);
            _chunk = new byte[Math.Max(next, size)];
            _used = 0;
        }

        var packed = Pack(post, _chunk.AsSpan(_used));
        var reference = new PostRef(_chunk, _used, packed);
        _used += packed;
        return reference;
    }

    /// <summary>The post that <paramref name="reference"/> points to, as a new object.</summary>
    public static Post Read(PostRef reference)
    {
        var position = 0;
        return ReadNext(reference.Bytes, ref position);
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

        var posts = new Post[packed.Count];
        var position = 0;
        for (var index = 0; index < posts.Length; index++)
        {
            posts[index] = ReadNext(packed.Bytes, ref position);
        }

        return position == packed.Bytes.Length
            ? posts
            : throw new InvalidDataException($"packed posts: {packed.Count} posts read {position} of {packed.Bytes.Length} bytes");
    }

    /// <summary>Reads the post packed at <paramref name="position"/> and moves past it.</summary>
    private static Post ReadNext(ReadOnlySpan<byte> bytes, ref int position)
    {
        var flags = bytes[position++];
        var text = ReadString(bytes, ref position)!;
        var id = (flags & HasId) != 0 ? ReadString(bytes, ref position) : null;
        var author = (flags & HasAuthor) != 0 ? ReadString(bytes, ref position) : null;
        DateTimeOffset? createdAt = null;
        if ((flags & HasCreatedAt) != 0)
        {
            var ticks = BinaryPrimitives.ReadInt64LittleEndian(bytes[position..]);
            var offsetMinutes = BinaryPrimitives.ReadInt16LittleEndian(bytes[(position + 8)..]);
            createdAt = new DateTimeOffset(ticks, TimeSpan.FromMinutes(offsetMinutes));
            position += 10;
        }

        var source = (flags & HasSource) != 0 ? ReadString(bytes, ref position) : null;
        return new Post(text, id, author, createdAt, source);
    }

    /// <summary>An upper bound of the bytes <see cref="Pack"/> writes for <paramref name="post"/>.</summary>
    private static int MaxPackedSize(Post post) =>
        1 + MaxStringSize(post.Text) + MaxStringSize(post.Id) + MaxStringSize(post.Author) + 10 + MaxStringSize(post.Source);

    // UTF-8 takes at most 3 bytes per UTF-16 code unit; the length prefix at most 5.
    private static int MaxStringSize(string? value) => value is null ? 0 : 5 + (value.Length * 3);

    private static int Pack(Post post, Span<byte> destination)
    {
        var flags = (byte)((post.Id is null ? 0 : HasId) | (post.Author is null ? 0 : HasAuthor)
            | (post.CreatedAt is null ? 0 : HasCreatedAt) | (post.Source is null ? 0 : HasSource));
        destination[0] = flags;
        var position = 1;
        WriteString(post.Text, destination, ref position);
        WriteString(post.Id, destination, ref position);
        WriteString(post.Author, destination, ref position);
        if (post.CreatedAt is { } createdAt)
        {
            BinaryPrimitives.WriteInt64LittleEndian(destination[position..], createdAt.Ticks);
            BinaryPrimitives.WriteInt16LittleEndian(destination[(position + 8)..], (short)createdAt.TotalOffsetMinutes);
            position += 10;
        }

        WriteString(post.Source, destination, ref position);
        return position;
    }

    /// <summary>
    /// Writes a length prefix, (byte count × 2) + 1 when the bytes are UTF-16 rather than UTF-8, then the bytes.
    /// The prefix is reserved at its largest and the bytes written after it, then moved down if the prefix is shorter.
    /// </summary>
    private static void WriteString(string? value, Span<byte> destination, ref int position)
    {
        if (value is null)
        {
            return;
        }

        var body = destination[(position + 5)..];
        int length;
        bool asUtf16;
        if (Utf8.FromUtf16(value, body, out _, out var written, replaceInvalidSequences: false) == OperationStatus.Done)
        {
            length = written;
            asUtf16 = false;
        }
        else
        {
            var utf16 = MemoryMarshal.AsBytes(value.AsSpan());
            utf16.CopyTo(body);
            length = utf16.Length;
            asUtf16 = true;
        }

        var prefix = WriteVarint(destination[position..], ((uint)length << 1) | (asUtf16 ? 1u : 0u));
        body[..length].CopyTo(destination[(position + prefix)..]);
        position += prefix + length;
    }

    private static string? ReadString(ReadOnlySpan<byte> bytes, ref int position)
    {
        var header = ReadVarint(bytes, ref position);
        var length = (int)(header >> 1);
        var body = bytes.Slice(position, length);
        position += length;
        return (header & 1) == 0 ? System.Text.Encoding.UTF8.GetString(body) : new string(MemoryMarshal.Cast<byte, char>(body));
    }

    private static int WriteVarint(Span<byte> destination, uint value)
    {
        var written = 0;
        while (value >= 0x80)
        {
            destination[written++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[written++] = (byte)value;
        return written;
    }

    private static uint ReadVarint(ReadOnlySpan<byte> bytes, ref int position)
    {
        uint value = 0;
        var shift = 0;
        byte next;
        do
        {
            next = bytes[position++];
            value |= (uint)(next & 0x7F) << shift;
            shift += 7;
        }
        while ((next & 0x80) != 0);

        return value;
    }
}

/// <summary>Where a packed post lies: its chunk (kept alive by this reference), offset and length.</summary>
public readonly record struct PostRef(byte[] Chunk, int Offset, int Length)
{
    public ReadOnlySpan<byte> Bytes => Chunk.AsSpan(Offset, Length);
}
