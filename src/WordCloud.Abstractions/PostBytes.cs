using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace WordCloud.Abstractions;

/// <summary>
/// The byte form of one post, text as UTF-8: how a <see cref="PostBatch"/> carries its posts, how a window holds them
/// and how it stores them, so that a post goes from the message into the window and into storage as bytes, never as
/// a <see cref="Post"/> and its strings.
/// </summary>
/// <remarks>
/// The layout: a flags byte, the text, then the id, author, creation time and source when their flag is set. A
/// string is a varint, (byte count × 2) + 1 when the bytes are UTF-16 rather than UTF-8, then the bytes: text that is
/// not well-formed UTF-16 (a lone surrogate) is kept as UTF-16, so it comes back exact. A creation time is its ticks
/// (8 bytes) and its offset in minutes (2 bytes), little-endian. Stored in segments: never change the layout.
/// </remarks>
public static class PostBytes
{
    public const byte HasId = 1;
    public const byte HasAuthor = 2;
    public const byte HasCreatedAt = 4;
    public const byte HasSource = 8;

    /// <summary>
    /// Marks a post of a batch that came without text, kept so that the window rejects it by name. A window never
    /// holds one, so storage never sees this flag.
    /// </summary>
    public const byte NoText = 16;

    /// <summary>
    /// Marks an entry of a batch that is not a post but the deletion of the post whose id it carries (with
    /// <see cref="NoText"/> and <see cref="HasId"/>, nothing else). A window never holds one, so storage never sees this flag.
    /// </summary>
    public const byte Deletion = 32;

    /// <summary>The bytes of an encoded creation time.</summary>
    public const int CreatedAtSize = 10;

    /// <summary>The most bytes <see cref="WriteUtf8Length"/> takes.</summary>
    public const int MaxLengthSize = 5;

    /// <summary>An upper bound of the bytes <see cref="Write"/> takes for <paramref name="post"/>.</summary>
    public static int MaxSize(Post post) =>
        1 + MaxStringSize(post.Text) + MaxStringSize(post.Id) + MaxStringSize(post.Author) + CreatedAtSize + MaxStringSize(post.Source);

    /// <summary>Writes <paramref name="post"/> into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Write(Post post, Span<byte> destination)
    {
        var flags = (byte)((post.Text is null ? NoText : 0) | (post.Id is null ? 0 : HasId) | (post.Author is null ? 0 : HasAuthor)
            | (post.CreatedAt is null ? 0 : HasCreatedAt) | (post.Source is null ? 0 : HasSource));
        destination[0] = flags;
        var position = 1;
        WriteString(post.Text, destination, ref position);
        WriteString(post.Id, destination, ref position);
        WriteString(post.Author, destination, ref position);
        if (post.CreatedAt is { } createdAt)
        {
            WriteCreatedAt(createdAt, destination[position..]);
            position += CreatedAtSize;
        }

        WriteString(post.Source, destination, ref position);
        return position;
    }

    /// <summary>An upper bound of the bytes <see cref="WriteDeletion"/> takes for <paramref name="id"/>.</summary>
    public static int MaxDeletionSize(string? id) => 1 + MaxStringSize(id);

    /// <summary>Writes the deletion of the post with id <paramref name="id"/> (<see cref="Deletion"/>); returns the bytes written.</summary>
    public static int WriteDeletion(string? id, Span<byte> destination)
    {
        destination[0] = (byte)(Deletion | NoText | (id is null ? 0 : HasId));
        var position = 1;
        WriteString(id, destination, ref position);
        return position;
    }

    /// <summary>True when the entry at the start of <paramref name="entry"/> is a deletion, not a post.</summary>
    public static bool IsDeletion(ReadOnlySpan<byte> entry) => !entry.IsEmpty && (entry[0] & Deletion) != 0;

    /// <summary>
    /// The bytes of the id of the post (or deletion) at the start of <paramref name="entry"/>, as stored (UTF-8, or
    /// UTF-16 for an id that is not well-formed, <paramref name="isUtf16"/>); empty when it has none.
    /// </summary>
    public static ReadOnlySpan<byte> IdBytes(ReadOnlySpan<byte> entry, out bool isUtf16)
    {
        isUtf16 = false;
        var flags = entry[0];
        if ((flags & HasId) == 0)
        {
            return [];
        }

        var position = 1;
        if ((flags & NoText) == 0)
        {
            StringAt(entry, ref position, out _);
        }

        return StringAt(entry, ref position, out isUtf16);
    }

    /// <summary>Reads the post at <paramref name="position"/> as a new object and moves past it.</summary>
    public static Post Read(ReadOnlySpan<byte> bytes, ref int position)
    {
        var flags = bytes[position++];
        var text = (flags & NoText) == 0 ? ReadString(bytes, ref position) : null;
        var id = (flags & HasId) != 0 ? ReadString(bytes, ref position) : null;
        var author = (flags & HasAuthor) != 0 ? ReadString(bytes, ref position) : null;
        DateTimeOffset? createdAt = null;
        if ((flags & HasCreatedAt) != 0)
        {
            createdAt = ReadCreatedAt(bytes[position..]);
            position += CreatedAtSize;
        }

        var source = (flags & HasSource) != 0 ? ReadString(bytes, ref position) : null;
        return new Post(text!, id, author, createdAt, source);
    }

    /// <summary>
    /// Checks the post at the start of <paramref name="post"/> by <see cref="PostRules"/>, with no <see cref="Post"/>
    /// made, and decodes its text for the tokenizer (into <paramref name="buffer"/>, grown when too small). Returns
    /// null for an acceptable post, else the sentence <see cref="PostRules.Validate"/> gives for the same post.
    /// </summary>
    /// <remarks>The post's UTF-8 must be well-formed, as <see cref="PostBatch"/> and <see cref="Write"/> make it.</remarks>
    public static string? Check(ReadOnlySpan<byte> post, scoped ref char[] buffer, out ReadOnlySpan<char> text)
    {
        text = default;
        var flags = post[0];
        if ((flags & NoText) != 0)
        {
            return PostRules.MissingText;
        }

        var position = 1;
        var bytes = StringAt(post, ref position, out var isUtf16);
        if (!isUtf16 && bytes.Length > 3 * PostRules.MaxTextLength)
        {
            // Over the limit whatever it holds (a UTF-16 code unit takes at most three UTF-8 bytes): decoded only to
            // say how it breaks the rules, not into the buffer, which would keep its size.
            return PostRules.ValidateText(Encoding.UTF8.GetString(bytes));
        }

        text = Decode(bytes, isUtf16, ref buffer);
        if ((PostRules.ValidateText(text)
            ?? CheckField(post, ref position, flags, HasId, "id")
            ?? CheckField(post, ref position, flags, HasAuthor, "author")) is { } reason)
        {
            return reason;
        }

        position += (flags & HasCreatedAt) != 0 ? CreatedAtSize : 0;
        return CheckField(post, ref position, flags, HasSource, "source");
    }

    /// <summary>How many bytes the post at the start of <paramref name="bytes"/> takes.</summary>
    /// <exception cref="InvalidDataException">The bytes end inside the post, or it is not a post.</exception>
    public static int LengthOf(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty || bytes[0] > (NoText | HasId | HasAuthor | HasCreatedAt | HasSource))
        {
            throw new InvalidDataException(bytes.IsEmpty ? "no bytes where a post was expected" : $"a post cannot start with flags {bytes[0]}");
        }

        var flags = bytes[0];
        var position = 1L;
        foreach (var field in (ReadOnlySpan<byte>)[NoText, HasId, HasAuthor, HasCreatedAt, HasSource])
        {
            var present = field == NoText ? (flags & NoText) == 0 : (flags & field) != 0;
            if (present)
            {
                position += field == HasCreatedAt ? CreatedAtSize : StringLength(bytes, (int)position);
            }

            if (position > bytes.Length)
            {
                throw new InvalidDataException($"a post's fields run to byte {position}, past the {bytes.Length} bytes it is in");
            }
        }

        return (int)position;
    }

    /// <summary>The bytes the string at <paramref name="position"/> takes with its length prefix, bounds checked.</summary>
    private static long StringLength(ReadOnlySpan<byte> bytes, int position)
    {
        uint header = 0;
        for (var (shift, at) = (0, position); shift < 35; shift += 7, at++)
        {
            if (at >= bytes.Length)
            {
                break;
            }

            header |= (uint)(bytes[at] & 0x7F) << shift;
            if ((bytes[at] & 0x80) == 0)
            {
                return at - position + 1L + (header >> 1);
            }
        }

        throw new InvalidDataException($"a string's length at byte {position} is cut off or too long");
    }

    /// <summary>The text of the post at the start of <paramref name="post"/>, decoded into <paramref name="buffer"/> (grown when too small).</summary>
    public static ReadOnlySpan<char> Text(ReadOnlySpan<byte> post, scoped ref char[] buffer)
    {
        var position = 1;
        var bytes = StringAt(post, ref position, out var isUtf16);
        return Decode(bytes, isUtf16, ref buffer);
    }

    private static ReadOnlySpan<char> Decode(ReadOnlySpan<byte> bytes, bool isUtf16, scoped ref char[] buffer)
    {
        if (isUtf16)
        {
            return MemoryMarshal.Cast<byte, char>(bytes);
        }

        if (buffer.Length < bytes.Length)
        {
            buffer = new char[Math.Max(bytes.Length, 2 * buffer.Length)];
        }

        Utf8.ToUtf16(bytes, buffer, out _, out var written);
        return buffer.AsSpan(0, written);
    }

    private static string? CheckField(ReadOnlySpan<byte> post, ref int position, byte flags, byte flag, string name)
    {
        if ((flags & flag) == 0)
        {
            return null;
        }

        var bytes = StringAt(post, ref position, out var isUtf16);
        // A field of no more UTF-8 bytes than the limit is within it; only a longer one is measured in code units.
        var length = isUtf16 ? bytes.Length / 2 : bytes.Length <= PostRules.MaxFieldLength ? bytes.Length : Encoding.UTF8.GetCharCount(bytes);
        return PostRules.ValidateField(name, length);
    }

    /// <summary>The bytes of the string at <paramref name="position"/>, and whether they are UTF-16; moves past it.</summary>
    public static ReadOnlySpan<byte> StringAt(ReadOnlySpan<byte> bytes, scoped ref int position, out bool isUtf16)
    {
        var header = ReadVarint(bytes, ref position);
        var length = (int)(header >> 1);
        var body = bytes.Slice(position, length);
        position += length;
        isUtf16 = (header & 1) != 0;
        return body;
    }

    /// <summary>Writes a string's length prefix (for UTF-8 bytes) at the start of <paramref name="destination"/>; returns its size.</summary>
    public static int WriteUtf8Length(Span<byte> destination, int byteCount) => WriteVarint(destination, (uint)byteCount << 1);

    public static void WriteCreatedAt(DateTimeOffset createdAt, Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, createdAt.Ticks);
        BinaryPrimitives.WriteInt16LittleEndian(destination[8..], (short)createdAt.TotalOffsetMinutes);
    }

    public static DateTimeOffset ReadCreatedAt(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadInt64LittleEndian(source), TimeSpan.FromMinutes(BinaryPrimitives.ReadInt16LittleEndian(source[8..])));

    // UTF-8 takes at most 3 bytes per UTF-16 code unit; the length prefix at most 5.
    private static int MaxStringSize(string? value) => value is null ? 0 : MaxLengthSize + (value.Length * 3);

    /// <summary>
    /// Writes a length prefix, then the bytes. The prefix is reserved at its largest and the bytes written after it,
    /// then moved down if the prefix is shorter.
    /// </summary>
    private static void WriteString(string? value, Span<byte> destination, ref int position)
    {
        if (value is null)
        {
            return;
        }

        var body = destination[(position + MaxLengthSize)..];
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

    private static string ReadString(ReadOnlySpan<byte> bytes, ref int position)
    {
        var body = StringAt(bytes, ref position, out var isUtf16);
        return isUtf16 ? new string(MemoryMarshal.Cast<byte, char>(body)) : Encoding.UTF8.GetString(body);
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
