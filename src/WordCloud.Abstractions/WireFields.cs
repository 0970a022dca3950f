using Orleans.Serialization.Buffers;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.WireProtocol;

namespace WordCloud.Abstractions;

/// <summary>For hand-written codecs: walks the fields of an object in Orleans' tagged wire format.</summary>
public static class WireFields
{
    /// <summary>
    /// Reads the next field header of an object and adds its delta to <paramref name="id"/>; false at the end of the
    /// object. The end-of-base marker (which generated codecs write before a record's own fields) starts the numbering
    /// again.
    /// </summary>
    public static bool TryReadNext<TInput>(ref Reader<TInput> reader, ref Field header, ref uint id)
    {
        while (true)
        {
            reader.ReadFieldHeader(ref header);
            if (header.IsEndBaseFields)
            {
                id = 0;
                continue;
            }

            if (header.IsEndObject)
            {
                return false;
            }

            id += header.FieldIdDelta;
            return true;
        }
    }
}
