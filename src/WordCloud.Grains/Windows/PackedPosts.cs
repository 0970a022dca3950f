using System.Buffers;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.WireProtocol;
using WordCloud.Abstractions;

namespace WordCloud.Grains.Windows;

/// <summary>Posts packed back to back as a window holds them (<see cref="PostLog"/>): how segments and heads store them.</summary>
/// <remarks>
/// Packed posts read from storage are one array. Packed posts a save writes are the runs of the window's chunks the
/// posts lie in (<see cref="PostLog.Concatenate"/>), written to storage from there: copying them into one array first
/// made 17% of the bytes a loaded silo allocated. <see cref="Bytes"/> joins the runs only if someone asks.
/// Persisted by <see cref="PackedPostsCodec"/>.
/// </remarks>
[Immutable, Alias("WordCloud.PackedPosts")]
public sealed class PackedPosts
{
    private readonly ReadOnlyMemory<byte>[] _runs;
    private byte[]? _bytes;

    public PackedPosts(byte[] bytes, int count)
    {
        _bytes = bytes;
        _runs = [bytes];
        Length = bytes.Length;
        Count = count;
    }

    internal PackedPosts(ReadOnlyMemory<byte>[] runs, int length, int count)
    {
        _runs = runs;
        Length = length;
        Count = count;
    }

    /// <summary>How many posts.</summary>
    public int Count { get; }

    /// <summary>How many bytes they take.</summary>
    public int Length { get; }

    /// <summary>The packed posts as one array.</summary>
    public byte[] Bytes => _bytes ??= Join();

    /// <summary>The bytes, as consecutive runs.</summary>
    internal ReadOnlySpan<ReadOnlyMemory<byte>> Runs => _runs;

    private byte[] Join()
    {
        var bytes = new byte[Length];
        var position = 0;
        foreach (var run in _runs)
        {
            run.Span.CopyTo(bytes.AsSpan(position));
            position += run.Length;
        }

        return bytes;
    }
}

/// <summary>
/// Writes <see cref="PackedPosts"/> exactly as the codec Orleans generated for it wrote it when it was a record of
/// <c>[Id(0)] byte[] Bytes</c> and <c>[Id(1)] int Count</c>, so stored segments and heads read the same either way,
/// but takes the bytes from their runs instead of from one array.
/// </summary>
[RegisterSerializer]
public sealed class PackedPostsCodec : IFieldCodec<PackedPosts>
{
    private const uint BytesField = 0;
    private const uint CountField = 1;

    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, PackedPosts? value)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (ReferenceCodec.TryWriteReferenceField(ref writer, fieldIdDelta, expectedType, value))
        {
            return;
        }

        writer.WriteStartObject(fieldIdDelta, expectedType, typeof(PackedPosts));
        writer.WriteEndBase();

        // As ByteArrayCodec writes an array: the next number in the reference table (counted, not entered: no other
        // field can refer to these bytes), then a length-prefixed field.
        ReferenceCodec.MarkValueField(writer.Session);
        writer.WriteFieldHeaderExpected(BytesField, WireType.LengthPrefixed);
        writer.WriteVarUInt32((uint)value.Length);
        foreach (var run in value.Runs)
        {
            writer.Write(run.Span);
        }

        Int32Codec.WriteField(ref writer, CountField - BytesField, value.Count);
        writer.WriteEndObject();
    }

    public PackedPosts? ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        if (field.WireType == WireType.Reference)
        {
            return ReferenceCodec.ReadReference<PackedPosts, TInput>(ref reader, field);
        }

        field.EnsureWireTypeTagDelimited();
        var placeholder = ReferenceCodec.CreateRecordPlaceholder(reader.Session);
        byte[]? bytes = null;
        var count = 0;
        uint id = 0;
        Field header = default;
        while (WireFields.TryReadNext(ref reader, ref header, ref id))
        {
            switch (id)
            {
                case BytesField:
                    bytes = ByteArrayCodec.ReadValue(ref reader, header);
                    break;
                case CountField:
                    count = Int32Codec.ReadValue(ref reader, header);
                    break;
                default:
                    reader.ConsumeUnknownField(header);
                    break;
            }
        }

        var result = new PackedPosts(bytes ?? [], count);
        ReferenceCodec.RecordObject(reader.Session, result, placeholder);
        return result;
    }
}
