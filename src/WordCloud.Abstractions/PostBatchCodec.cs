using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using Orleans.Serialization;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.WireProtocol;

namespace WordCloud.Abstractions;

/// <summary>
/// The wire form of a <see cref="PostBatch"/>: tagged fields as a generated codec would write them, the posts' strings
/// copied as UTF-8 between the batch's bytes and the message, without the serializer's reference tracking.
/// </summary>
/// <remarks>
/// A generated codec records every string of every post in the message's reference table, so that a string sent twice
/// goes once. Posts never share strings, and the table is a dictionary grown while a batch is read, with a hash lookup
/// per string at both ends (BENCHMARKS.md, "Why the code is as it is"). Batches are only ever sent, never stored.
/// </remarks>
[RegisterSerializer]
public sealed class PostBatchCodec : IFieldCodec<PostBatch>
{
    private const uint ProducerIdField = 0;
    private const uint SequenceField = 1;
    private const uint PostCountField = 3;
    private const uint PostField = 4;

    private const uint TextField = 0;
    private const uint IdField = 1;
    private const uint AuthorField = 2;
    private const uint CreatedAtField = 3;
    private const uint SourceField = 4;

    /// <summary>Not a field of <see cref="Post"/>: true marks the deletion of the post with the entry's id.</summary>
    private const uint DeletionField = 5;

    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, PostBatch? value)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (value is null)
        {
            ReferenceCodec.WriteNullReference(ref writer, fieldIdDelta);
            return;
        }

        ReferenceCodec.MarkValueField(writer.Session);
        writer.WriteStartObject(fieldIdDelta, expectedType, typeof(PostBatch));
        // As generated codecs lay out a record: no fields of a base type, then its own.
        writer.WriteEndBase();
        StringCodec.WriteField(ref writer, ProducerIdField, value.ProducerId);
        Int64Codec.WriteField(ref writer, SequenceField - ProducerIdField, value.Sequence);
        UInt32Codec.WriteField(ref writer, PostCountField - SequenceField, (uint)value.Count);
        var delta = PostField - PostCountField;
        for (var index = 0; index < value.Count; index++)
        {
            WritePost(ref writer, delta, value.PostAt(index));
            delta = 0;
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes one post (<see cref="PostBytes"/>; empty: a null post) as the generated codec of <see cref="Post"/> would,
    /// its strings' UTF-8 bytes as they are. Each post and each string still takes its number in the reference table (a
    /// counter, no entry), as a reader that skips them counts one per field: numbering stays the same for whatever
    /// follows the batch.
    /// </summary>
    private static void WritePost<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, ReadOnlySpan<byte> post)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (post.IsEmpty)
        {
            ReferenceCodec.WriteNullReference(ref writer, fieldIdDelta);
            return;
        }

        ReferenceCodec.MarkValueField(writer.Session);
        writer.WriteStartObject(fieldIdDelta, typeof(Post), typeof(Post));
        var flags = post[0];
        var position = 1;
        var last = TextField;
        WriteString(ref writer, ref last, TextField, (flags & PostBytes.NoText) == 0, post, ref position);
        WriteString(ref writer, ref last, IdField, (flags & PostBytes.HasId) != 0, post, ref position);
        WriteString(ref writer, ref last, AuthorField, (flags & PostBytes.HasAuthor) != 0, post, ref position);
        if ((flags & PostBytes.HasCreatedAt) != 0)
        {
            DateTimeOffsetCodec.WriteField(ref writer, CreatedAtField - last, PostBytes.ReadCreatedAt(post[position..]));
            position += PostBytes.CreatedAtSize;
            last = CreatedAtField;
        }

        WriteString(ref writer, ref last, SourceField, (flags & PostBytes.HasSource) != 0, post, ref position);
        if ((flags & PostBytes.Deletion) != 0)
        {
            BoolCodec.WriteField(ref writer, DeletionField - last, true);
        }

        writer.WriteEndObject();
    }

    /// <summary>A string field of a post as <see cref="StringCodec"/> writes one, numbered but not entered in the reference table.</summary>
    private static void WriteString<TBufferWriter>(ref Writer<TBufferWriter> writer, ref uint last, uint field, bool present, ReadOnlySpan<byte> post, ref int position)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (!present)
        {
            return;
        }

        var bytes = PostBytes.StringAt(post, ref position, out var isUtf16);
        if (isUtf16)
        {
            // Not well-formed UTF-16: written as the string codec writes it (its UTF-8 encoder replaces what it cannot encode).
            var value = new string(MemoryMarshal.Cast<byte, char>(bytes));
            var length = Encoding.UTF8.GetByteCount(value);
            WriteStringHeader(ref writer, ref last, field, length);
            StringCodec.WriteRaw(ref writer, value, length);
            return;
        }

        WriteStringHeader(ref writer, ref last, field, bytes.Length);
        writer.Write(bytes);
    }

    public PostBatch? ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        if (field.WireType == WireType.Reference)
        {
            return ReferenceCodec.ReadReference<PostBatch, TInput>(ref reader, field);
        }

        field.EnsureWireTypeTagDelimited();
        ReferenceCodec.MarkValueField(reader.Session);
        string? producerId = null;
        long sequence = 0;
        PostBatchBuilder? posts = null;
        var batchStart = reader.Position;
        try
        {
            uint id = 0;
            Field header = default;
            while (WireFields.TryReadNext(ref reader, ref header, ref id))
            {
                switch (id)
                {
                    case ProducerIdField:
                        producerId = StringCodec.ReadValue(ref reader, header);
                        break;
                    case SequenceField:
                        sequence = Int64Codec.ReadValue(ref reader, header);
                        break;
                    case PostCountField:
                        if (posts is not null)
                        {
                            throw new SerializerException("A post batch gives its post count twice.");
                        }

                        var count = UInt32Codec.ReadValue(ref reader, header);
                        // Refused before anything is allocated for it: a window would refuse the batch anyway.
                        if (count > WindowLimits.MaxBatch)
                        {
                            throw new SerializerException($"A post batch says it holds {count} posts; the limit is {WindowLimits.MaxBatch}.");
                        }

                        // Every post takes at least one byte: a count the message cannot hold is not allocated.
                        reader.EnsureAvailable(count);
                        posts = new PostBatchBuilder((int)count);
                        break;
                    case PostField:
                        if (posts is null || posts.IsFull)
                        {
                            throw new SerializerException($"A post batch holds more posts than its count ({posts?.Count.ToString() ?? "missing"}).");
                        }

                        ReadPost(ref reader, header, posts);
                        // A post's bytes are no more than its wire form, but for a post rebuilt from strings sent by
                        // reference (or malformed UTF-8, at most 3 bytes per byte): a message cannot make the silo
                        // hold many times its own size.
                        if (posts.Used > (3 * (reader.Position - batchStart)) + 4096)
                        {
                            throw new SerializerException($"A post batch of {reader.Position - batchStart} bytes takes {posts.Used} as posts: its posts refer to strings sent earlier.");
                        }

                        break;
                    default:
                        reader.ConsumeUnknownField(header);
                        break;
                }
            }

            if (posts is not null && !posts.IsFull)
            {
                throw new SerializerException($"A post batch holds {posts.Added} posts; its count says {posts.Count}.");
            }

            if (posts is null)
            {
                // No count was sent: a batch of no posts.
                posts = new PostBatchBuilder(0);
            }

            return posts.Build(producerId, sequence);
        }
        finally
        {
            posts?.Dispose();
        }
    }

    /// <summary>
    /// Reads one post into <paramref name="posts"/> as it comes: each string's UTF-8 bytes are copied from the message,
    /// not decoded. A post that cannot be copied as read (a field given twice or by reference, malformed UTF-8) is read
    /// as <see cref="Post"/> and written from that, as the generated codec would have read it.
    /// </summary>
    private static void ReadPost<TInput>(ref Reader<TInput> reader, Field field, PostBatchBuilder posts)
    {
        if (field.WireType == WireType.Reference)
        {
            // Null, or from a writer other than this one, a post sent earlier in the message. A null post is carried as
            // it came: the window rejects it by name (PostRules).
            posts.Add(ReferenceCodec.ReadReference<Post, TInput>(ref reader, field));
            return;
        }

        field.EnsureWireTypeTagDelimited();
        ReferenceCodec.MarkValueField(reader.Session);
        posts.Reserve(1);
        posts.Advance(1); // the flags, known once every field is read
        StringSlot text = default, id = default, author = default, source = default;
        DateTimeOffset? createdAt = null;
        var deletion = false;
        var rewrite = false;
        uint fieldId = 0;
        var lastField = TextField;
        Field header = default;
        while (WireFields.TryReadNext(ref reader, ref header, ref fieldId))
        {
            if (fieldId <= SourceField)
            {
                // The bytes copied are the post's bytes only if its fields come in their order there; after an
                // end-of-base marker (ids start again) or a wrapped id they may not.
                rewrite |= fieldId < lastField;
                lastField = fieldId;
            }

            switch (fieldId)
            {
                case TextField:
                    ReadString(ref reader, header, posts, ref text, ref rewrite);
                    break;
                case IdField:
                    ReadString(ref reader, header, posts, ref id, ref rewrite);
                    break;
                case AuthorField:
                    ReadString(ref reader, header, posts, ref author, ref rewrite);
                    break;
                case CreatedAtField:
                    rewrite |= createdAt is not null;
                    createdAt = DateTimeOffsetCodec.ReadValue(ref reader, header);
                    PostBytes.WriteCreatedAt(createdAt.Value, posts.Reserve(PostBytes.CreatedAtSize));
                    posts.Advance(PostBytes.CreatedAtSize);
                    break;
                case SourceField:
                    ReadString(ref reader, header, posts, ref source, ref rewrite);
                    break;
                case DeletionField:
                    deletion = BoolCodec.ReadValue(ref reader, header);
                    break;
                default:
                    reader.ConsumeUnknownField(header);
                    break;
            }
        }

        if (deletion)
        {
            // Rare: written again in its one form, whatever else came with it.
            var deletedId = id.Read(posts);
            posts.RewindPost();
            posts.AddDeletion(deletedId);
            return;
        }

        if (!rewrite)
        {
            // Fields came in the order of their ids, which is their order in PostBytes: the bytes are the post.
            posts.PostFrom(0)[0] = (byte)((text.Present ? 0 : PostBytes.NoText) | (id.Present ? PostBytes.HasId : 0)
                | (author.Present ? PostBytes.HasAuthor : 0) | (createdAt is null ? 0 : PostBytes.HasCreatedAt)
                | (source.Present ? PostBytes.HasSource : 0));
            posts.EndPost();
            return;
        }

        // A post without text is carried as it came: the window rejects it by name.
        var post = new Post(text.Read(posts)!, id.Read(posts), author.Read(posts), createdAt, source.Read(posts));
        posts.RewindPost();
        posts.Add(post);
    }

    /// <summary>
    /// Reads a string field into <paramref name="posts"/> as UTF-8 (a length prefix, then the bytes as they came),
    /// or, if it is not written raw, as a string through <see cref="StringCodec"/>.
    /// </summary>
    private static void ReadString<TInput>(ref Reader<TInput> reader, Field field, PostBatchBuilder posts, ref StringSlot slot, ref bool rewrite)
    {
        rewrite |= slot.Present;
        if (field.WireType != WireType.LengthPrefixed)
        {
            // A reference to a string sent earlier, or null.
            var value = StringCodec.ReadValue(ref reader, field);
            slot = new StringSlot(value is not null, -1, 0, value);
            rewrite = true;
            return;
        }

        ReferenceCodec.MarkValueField(reader.Session);
        var length = reader.ReadVarUInt32();
        if (length > int.MaxValue)
        {
            throw new SerializerException($"A post's string says it is {length} bytes long; the limit is {int.MaxValue}.");
        }

        reader.EnsureAvailable(length);
        posts.Advance(PostBytes.WriteUtf8Length(posts.Reserve(PostBytes.MaxLengthSize), (int)length));
        var body = posts.Reserve((int)length);
        reader.ReadBytes(body);
        posts.Advance((int)length);
        slot = new StringSlot(true, posts.PostLength - (int)length, (int)length, null);
        rewrite |= !Utf8.IsValid(body);
    }

    /// <summary>A string field of a post being read: absent, or its bytes in the post as written so far (from Start), or read as a string (Start −1).</summary>
    private readonly record struct StringSlot(bool Present, int Start, int Length, string? Value)
    {
        /// <summary>The field as a string, malformed UTF-8 replaced as <see cref="StringCodec"/> replaces it.</summary>
        public string? Read(PostBatchBuilder posts) =>
            !Present ? null : Start < 0 ? Value : Encoding.UTF8.GetString(posts.PostFrom(Start)[..Length]);
    }

    /// <summary>What comes before a string field's UTF-8 bytes: its number (a counter step, no table entry), header and length.</summary>
    private static void WriteStringHeader<TBufferWriter>(ref Writer<TBufferWriter> writer, ref uint last, uint field, int length)
        where TBufferWriter : IBufferWriter<byte>
    {
        ReferenceCodec.MarkValueField(writer.Session);
        writer.WriteFieldHeaderExpected(field - last, WireType.LengthPrefixed);
        writer.WriteVarUInt32((uint)length);
        last = field;
    }
}
