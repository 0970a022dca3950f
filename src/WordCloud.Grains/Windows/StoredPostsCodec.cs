using System.Buffers;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.WireProtocol;
using WordCloud.Abstractions;

namespace WordCloud.Grains.Windows;

/// <summary>
/// Writes <see cref="StoredPosts"/> as an object of two fields, the bytes (0, length-prefixed) and the count (1), taking
/// the bytes from their runs rather than from one array.
/// </summary>
/// <remarks>Stored: never change the layout.</remarks>
[RegisterSerializer]
public sealed class StoredPostsCodec : IFieldCodec<StoredPosts>
{
    private const uint BytesField = 0;
    private const uint CountField = 1;

    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, StoredPosts? value)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (ReferenceCodec.TryWriteReferenceField(ref writer, fieldIdDelta, expectedType, value))
        {
            return;
        }

        writer.WriteStartObject(fieldIdDelta, expectedType, typeof(StoredPosts));
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

    public StoredPosts? ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        if (field.WireType == WireType.Reference)
        {
            return ReferenceCodec.ReadReference<StoredPosts, TInput>(ref reader, field);
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

        var result = new StoredPosts(bytes ?? [], count);
        ReferenceCodec.RecordObject(reader.Session, result, placeholder);
        return result;
    }
}
