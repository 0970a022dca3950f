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
/// The wire form of a <see cref="PostBatch"/>: the same tagged fields the generated codec would write, but the posts'
/// strings are written and read without the serializer's reference tracking.
/// </summary>
/// <remarks>
/// The generated codec records every string of every post in the message's reference table, so that a string sent
/// twice goes once. Posts never share strings, and past 64 entries that table is a dictionary grown while a batch is
/// read: in a silo taking 500,000 posts/s it made 12% of all bytes allocated (dotnet-trace allocation ticks), and both
/// ends paid a hash lookup per string. Batches are only ever sent, never stored, so their form may change between
/// versions; a batch in the generated codec's form (field 2) is still read.
/// </remarks>
[RegisterSerializer]
public sealed class PostBatchCodec : IFieldCodec<PostBatch>
{
    private const uint ProducerIdField = 0;
    private const uint SequenceField = 1;
    private const uint GeneratedPostsField = 2;
    private const uint PostCountField = 3;
    private const uint PostField = 4;

    private const uint TextField = 0;
    private const uint IdField = 1;
    private const uint AuthorField = 2;
    private const uint CreatedAtField = 3;
    private const uint SourceField = 4;

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
        // The producer id goes into the reference table as the generated codec put it there, so that the table's
        // numbering stays the same for a batch in either form.
        StringCodec.WriteField(ref writer, ProducerIdField, value.ProducerId);
        Int64Codec.WriteField(ref writer, SequenceField - ProducerIdField, value.Sequence);
        if (value.Posts is PackedPostList packed)
        {
            // A batch a silo received and passes on (to the silo of its window): written from its bytes, as it came.
            UInt32Codec.WriteField(ref writer, PostCountField - SequenceField, (uint)packed.Count);
            var delta = PostField - PostCountField;
            for (var index = 0; index < packed.Count; index++)
            {
                WritePacked(ref writer, delta, packed.PackedAt(index));
                delta = 0;
            }
        }
        else if (value.Posts is { } posts)
        {
            UInt32Codec.WriteField(ref writer, PostCountField - SequenceField, (uint)posts.Count);
            var delta = PostField - PostCountField;
            foreach (var post in posts)
            {
                WritePost(ref writer, delta, post);
                delta = 0;
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes a packed post (<see cref="PackedPost"/>; empty: a null post) exactly as <see cref="WritePost"/> writes the post it holds.</summary>
    private static void WritePacked<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, ReadOnlySpan<byte> packed)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (packed.IsEmpty)
        {
            ReferenceCodec.WriteNullReference(ref writer, fieldIdDelta);
            return;
        }

        ReferenceCodec.MarkValueField(writer.Session);
        writer.WriteStartObject(fieldIdDelta, typeof(Post), typeof(Post));
        var flags = packed[0];
        var position = 1;
        var last = TextField;
        WritePackedString(ref writer, ref last, TextField, (flags & PackedPost.NoText) == 0, packed, ref position);
        WritePackedString(ref writer, ref last, IdField, (flags & PackedPost.HasId) != 0, packed, ref position);
        WritePackedString(ref writer, ref last, AuthorField, (flags & PackedPost.HasAuthor) != 0, packed, ref position);
        if ((flags & PackedPost.HasCreatedAt) != 0)
        {
            DateTimeOffsetCodec.WriteField(ref writer, CreatedAtField - last, PackedPost.ReadCreatedAt(packed[position..]));
            position += PackedPost.CreatedAtSize;
            last = CreatedAtField;
        }

        WritePackedString(ref writer, ref last, SourceField, (flags & PackedPost.HasSource) != 0, packed, ref position);
        writer.WriteEndObject();
    }

    /// <summary>A packed string field as <see cref="WriteString"/> writes it: its UTF-8 bytes as they are.</summary>
    private static void WritePackedString<TBufferWriter>(ref Writer<TBufferWriter> writer, ref uint last, uint field, bool present, ReadOnlySpan<byte> packed, ref int position)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (!present)
        {
            return;
        }

        var bytes = PackedPost.StringAt(packed, ref position, out var isUtf16);
        if (isUtf16)
        {
            WriteString(ref writer, ref last, field, new string(MemoryMarshal.Cast<byte, char>(bytes)));
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
        IReadOnlyList<Post>? generatedPosts = null;
        PackedPostList.Builder? posts = null;
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
                    case GeneratedPostsField:
                        generatedPosts = reader.Session.CodecProvider.GetCodec<IReadOnlyList<Post>>().ReadValue(ref reader, header);
                        break;
                    case PostCountField:
                        if (posts is not null)
                        {
                            throw new SerializerException("A post batch gives its post count twice.");
                        }

                        var count = UInt32Codec.ReadValue(ref reader, header);
                        // Every post takes at least one byte: a count the message cannot hold is not allocated.
                        reader.EnsureAvailable(count);
                        posts = new PackedPostList.Builder((int)count);
                        break;
                    case PostField:
                        if (posts is null || posts.IsFull)
                        {
                            throw new SerializerException($"A post batch holds more posts than its count ({posts?.Count.ToString() ?? "missing"}).");
                        }

                        ReadPost(ref reader, header, posts);
                        // Packed posts are no larger than their wire form, but for a post rebuilt from strings sent by
                        // reference (or malformed UTF-8, at most 3 bytes per byte): a message cannot make the silo
                        // hold many times its own size.
                        if (posts.Used > (3 * (reader.Position - batchStart)) + 4096)
                        {
                            throw new SerializerException($"A post batch of {reader.Position - batchStart} bytes packs into {posts.Used}: its posts refer to strings sent earlier.");
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

            return new PostBatch(producerId!, sequence, posts?.Build() ?? generatedPosts!);
        }
        finally
        {
            posts?.Dispose();
        }
    }

    private static void WritePost<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Post? post)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (post is null)
        {
            ReferenceCodec.WriteNullReference(ref writer, fieldIdDelta);
            return;
        }

        // Each post and each string still takes its number in the reference table (a counter, no entry), as a reader
        // that skips them counts one per field: numbering stays the same for whatever follows the batch.
        ReferenceCodec.MarkValueField(writer.Session);
        writer.WriteStartObject(fieldIdDelta, typeof(Post), typeof(Post));
        var last = TextField;
        WriteString(ref writer, ref last, TextField, post.Text);
        WriteString(ref writer, ref last, IdField, post.Id);
        WriteString(ref writer, ref last, AuthorField, post.Author);
        if (post.CreatedAt is { } createdAt)
        {
            DateTimeOffsetCodec.WriteField(ref writer, CreatedAtField - last, createdAt);
            last = CreatedAtField;
        }

        WriteString(ref writer, ref last, SourceField, post.Source);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Reads one post into <paramref name="posts"/> packed as it comes: each string's UTF-8 bytes are copied from the
    /// message, not decoded. A post that cannot be packed as read (a field given twice or by reference, malformed
    /// UTF-8) is read as <see cref="Post"/> and packed from that, as the generated codec would have read it.
    /// </summary>
    private static void ReadPost<TInput>(ref Reader<TInput> reader, Field field, PackedPostList.Builder posts)
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
        var repack = false;
        uint fieldId = 0;
        var lastField = TextField;
        Field header = default;
        while (WireFields.TryReadNext(ref reader, ref header, ref fieldId))
        {
            if (fieldId <= SourceField)
            {
                // The bytes are the packed post only if its fields come in the packed order; after an end-of-base
                // marker (ids start again) or a wrapped id they may not.
                repack |= fieldId < lastField;
                lastField = fieldId;
            }

            switch (fieldId)
            {
                case TextField:
                    ReadString(ref reader, header, posts, ref text, ref repack);
                    break;
                case IdField:
                    ReadString(ref reader, header, posts, ref id, ref repack);
                    break;
                case AuthorField:
                    ReadString(ref reader, header, posts, ref author, ref repack);
                    break;
                case CreatedAtField:
                    repack |= createdAt is not null;
                    createdAt = DateTimeOffsetCodec.ReadValue(ref reader, header);
                    PackedPost.WriteCreatedAt(createdAt.Value, posts.Reserve(PackedPost.CreatedAtSize));
                    posts.Advance(PackedPost.CreatedAtSize);
                    break;
                case SourceField:
                    ReadString(ref reader, header, posts, ref source, ref repack);
                    break;
                default:
                    reader.ConsumeUnknownField(header);
                    break;
            }
        }

        if (!repack)
        {
            // Fields come in the order of their ids, which is the packed order: the bytes are the packed post.
            posts.PostFrom(0)[0] = (byte)((text.Present ? 0 : PackedPost.NoText) | (id.Present ? PackedPost.HasId : 0)
                | (author.Present ? PackedPost.HasAuthor : 0) | (createdAt is null ? 0 : PackedPost.HasCreatedAt)
                | (source.Present ? PackedPost.HasSource : 0));
            posts.EndPost();
            return;
        }

        // A post without text is carried as it came: the window rejects it by name.
        var post = new Post(text.Read(posts)!, id.Read(posts), author.Read(posts), createdAt, source.Read(posts));
        posts.RewindPost();
        posts.Add(post);
    }

    /// <summary>
    /// Reads a string field into <paramref name="posts"/> as packed UTF-8 (a length prefix, then the bytes as they came),
    /// or, if it is not written raw, as a string through <see cref="StringCodec"/>.
    /// </summary>
    private static void ReadString<TInput>(ref Reader<TInput> reader, Field field, PackedPostList.Builder posts, ref StringSlot slot, ref bool repack)
    {
        repack |= slot.Present;
        if (field.WireType != WireType.LengthPrefixed)
        {
            // A reference to a string sent earlier, or null.
            var value = StringCodec.ReadValue(ref reader, field);
            slot = new StringSlot(value is not null, -1, 0, value);
            repack = true;
            return;
        }

        ReferenceCodec.MarkValueField(reader.Session);
        var length = reader.ReadVarUInt32();
        if (length > int.MaxValue)
        {
            throw new SerializerException($"A post's string says it is {length} bytes long; the limit is {int.MaxValue}.");
        }

        reader.EnsureAvailable(length);
        posts.Advance(PackedPost.WriteUtf8Length(posts.Reserve(PackedPost.MaxLengthSize), (int)length));
        var body = posts.Reserve((int)length);
        reader.ReadBytes(body);
        posts.Advance((int)length);
        slot = new StringSlot(true, posts.PostLength - (int)length, (int)length, null);
        repack |= !Utf8.IsValid(body);
    }

    /// <summary>A string field of a post being read: absent, or its bytes in the post as packed so far (from Start), or read as a string (Start −1).</summary>
    private readonly record struct StringSlot(bool Present, int Start, int Length, string? Value)
    {
        /// <summary>The field as a string, malformed UTF-8 replaced as <see cref="StringCodec"/> replaces it.</summary>
        public string? Read(PackedPostList.Builder posts) =>
            !Present ? null : Start < 0 ? Value : Encoding.UTF8.GetString(posts.PostFrom(Start)[..Length]);
    }

    /// <summary>A string field as <see cref="StringCodec"/> writes one, numbered but not entered in the reference table; null writes nothing.</summary>
    private static void WriteString<TBufferWriter>(ref Writer<TBufferWriter> writer, ref uint last, uint field, string? value)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (value is null)
        {
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        WriteStringHeader(ref writer, ref last, field, length);
        StringCodec.WriteRaw(ref writer, value, length);
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
