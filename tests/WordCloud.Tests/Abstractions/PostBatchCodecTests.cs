using System.Buffers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.Session;
using Orleans.Serialization.WireProtocol;
using WordCloud.Abstractions;
using WordCloud.Grains.Text;
using WordCloud.Grains.Windows;

namespace WordCloud.Tests.Abstractions;

public sealed class PostBatchCodecTests
{
    private static readonly ServiceProvider Services = new ServiceCollection().AddSerializer().BuildServiceProvider();
    private static readonly Serializer Serializer = Services.GetRequiredService<Serializer>();
    private static readonly SerializerSessionPool Sessions = Services.GetRequiredService<SerializerSessionPool>();

    [Fact]
    public void EveryFieldOfEveryPostComesBackAsSent()
    {
        var at = new DateTimeOffset(2026, 11, 26, 8, 30, 0, TimeSpan.FromHours(-5));
        var batch = new PostBatch("producer-1", 42,
        [
            new Post("Hazy IPA, très houblonnée 🍺", Id: "p1", Author: "ana", CreatedAt: at, Source: "file:a.txt"),
            new Post("only text"),
            new Post("", Id: "empty"),
            new Post("no author", Id: "p4", CreatedAt: DateTimeOffset.UnixEpoch),
            new Post("source only", Source: "stdin"),
        ]);

        var read = RoundTrip(batch);

        Assert.Equal(batch.ProducerId, read.ProducerId);
        Assert.Equal(batch.Sequence, read.Sequence);
        Assert.Equal(batch.Posts, read.Posts);
        Assert.Equal(at.Offset, read.Posts[0].CreatedAt!.Value.Offset);
    }

    [Fact]
    public void NullsTheWindowRejectsArriveAsNulls()
    {
        var batch = new PostBatch(null!, 0, [null!, new Post(null!, Id: "no-text")]);

        var read = RoundTrip(batch);

        Assert.Null(read.ProducerId);
        Assert.Equal(0, read.Sequence);
        Assert.Null(read.Posts[0]);
        Assert.Null(read.Posts[1].Text);
        Assert.Equal("no-text", read.Posts[1].Id);
        Assert.NotNull(PostBatch.Validate(read));
    }

    [Fact]
    public void BatchWithoutPostListArrivesWithoutOne()
    {
        var read = RoundTrip(new PostBatch("p", 1, null!));

        Assert.Null(read.Posts);
    }

    [Fact]
    public void EmptyBatchArrivesEmpty()
    {
        var read = RoundTrip(new PostBatch("p", 1, []));

        Assert.Empty(read.Posts);
    }

    [Fact]
    public void LoneSurrogatesAreReplacedAsTheStringCodecReplacesThem()
    {
        var text = "half \ud83c of a pair";

        var read = RoundTrip(new PostBatch("p", 1, [new Post(text)]));

        Assert.Equal(Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text)), read.Posts[0].Text);
    }

    [Fact]
    public void StringsSharedBetweenPostsAreSentOncePerPost()
    {
        // The generated codec would send the shared author once and hand back one instance for both posts.
        var author = new string('a', 500);
        var one = Serializer.SerializeToArray(new PostBatch("p", 1, [new Post("x", Author: author)]));
        var two = Serializer.SerializeToArray(new PostBatch("p", 1, [new Post("x", Author: author), new Post("y", Author: author)]));

        var read = Read(two);

        Assert.True(two.Length - one.Length > author.Length, $"the second post added {two.Length - one.Length} bytes");
        Assert.Equal(author, read.Posts[1].Author);
        Assert.NotSame(read.Posts[0].Author, read.Posts[1].Author);
    }

    [Fact]
    public void LargeBatchIsReadFromManySmallBufferSegments()
    {
        var posts = Enumerable.Range(0, 10_000).Select(index => new Post($"post {index} {new string('é', index % 300)}", Id: $"id{index}")).ToArray();
        var bytes = Serializer.SerializeToArray(new PostBatch("p", 7, posts));

        var read = Serializer.Deserialize<PostBatch>(InSegments(bytes, 61)) ?? throw new InvalidOperationException("no batch read");

        Assert.Equal(posts, read.Posts);
    }

    [Fact]
    public void BatchOfTenThousandPostsIsHeldInBuffersBelowTheLargeObjectHeap()
    {
        var posts = Enumerable.Range(0, 10_000).Select(index => new Post($"{index} {new string('a', 100)}", Id: $"id{index}")).ToArray();

        var packed = Assert.IsType<PackedPostList>(RoundTrip(new PostBatch("p", 1, posts)).Posts);

        Assert.Equal(posts, packed);
        Assert.InRange(packed.BufferLengths.Count(), 17, 20); // about 1.15 MB of packed posts
        Assert.All(packed.BufferLengths, length => Assert.InRange(length, 1, PackedPostList.BufferSize));
        Assert.True(PackedPostList.BufferSize < 85_000);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void PostsThatOutgrowTheirBufferAreMovedWholeAndReadBackAsSent(int seed)
    {
        // Posts of every size up to a tenth of a buffer, in characters of one to four UTF-8 bytes, with nulls, posts
        // without text, and one post larger than a buffer: many are cut by a buffer's end while being read.
        var random = new Random(seed);
        var posts = Enumerable.Range(0, 600).Select(index => (index % 41) switch
        {
            7 => null!,
            8 => new Post(null!, Id: $"untexted{index}"),
            _ when index == 300 => new Post(RandomText(random, 70_000), Id: "larger than a buffer"),
            _ => new Post(RandomText(random, random.Next(1, 2_200)), Id: random.Next(3) == 0 ? null : $"id{index}",
                Author: random.Next(2) == 0 ? null : RandomText(random, random.Next(0, 40)),
                CreatedAt: random.Next(2) == 0 ? null : DateTimeOffset.UnixEpoch.AddSeconds(random.Next()),
                Source: random.Next(4) == 0 ? "demo" : null),
        }).ToArray();
        var bytes = Serializer.SerializeToArray(new PostBatch("p", 1, posts));

        var received = Read(bytes);

        var packed = Assert.IsType<PackedPostList>(received.Posts);
        Assert.Equal(posts, packed);
        Assert.True(packed.BufferLengths.Count() > 10, $"{packed.BufferLengths.Count()} buffers");
        Assert.Contains(packed.BufferLengths, length => length > PackedPostList.BufferSize);
        Assert.Equal(bytes, Serializer.SerializeToArray(received));
    }

    [Fact]
    public void BufferThatHoldsNoFinishedPostIsGivenBackWhenItsPostMoves()
    {
        Post[] posts = [null!, new(new string('x', 100_000), Id: "first"), new("small"), new(new string('y', 100_000))];

        var packed = Assert.IsType<PackedPostList>(RoundTrip(new PostBatch("p", 1, posts)).Posts);

        Assert.Equal(posts, packed);
        // The first buffer (256 bytes for four posts) held only the null post when the first large post outgrew it.
        Assert.Single(packed.BufferLengths);
    }

    [Fact]
    public void PostRepackedWhileItsBytesAreMovedToANewBufferKeepsItsLastValues()
    {
        // Each post gives its text twice, so it is read as a Post and packed again from that; the second text is long
        // enough that a buffer often ends inside it.
        var index = 0;
        var bytes = HandWrittenBatch((ref Writer<ArrayBufferWriter<byte>> writer) =>
        {
            index++;
            RawString(ref writer, 0, $"first {index}");
            RawString(ref writer, 1, $"id{index}");
            RawString(ref writer, 0xFFFF_FFFF, $"second {index} {new string('é', 997 * index % 3_000)}");
        }, count: 120);

        var read = Read(bytes);

        Assert.Equal(120, read.Posts.Count);
        Assert.All(Enumerable.Range(1, 120), number =>
            Assert.Equal(new Post($"second {number} {new string('é', 997 * number % 3_000)}", Id: $"id{number}"), read.Posts[number - 1]));
    }

    [Fact]
    public void BatchInTheGeneratedCodecsFormIsStillRead()
    {
        var posts = new List<Post> { new("old client", Id: "o1", Source: "demo"), new("second", Source: "demo") };
        var bytes = Serializer.SerializeToArray(new GeneratedFormBatch("old-producer", 9, posts));

        var read = Read(bytes);

        Assert.Equal("old-producer", read.ProducerId);
        Assert.Equal(9, read.Sequence);
        Assert.Equal(posts, read.Posts);
    }

    [Fact]
    public void SiloOfAnEarlierVersionReadsTheBatchWithoutPostsAndSoRefusesIt()
    {
        var bytes = Serializer.SerializeToArray(new PostBatch("new-producer", 4, [new Post("new form")]));

        var read = Serializer.Deserialize<GeneratedFormBatch>(bytes) ?? throw new InvalidOperationException("no batch read");

        Assert.Equal("new-producer", read.ProducerId);
        Assert.Equal(4, read.Sequence);
        Assert.Null(read.Posts);
        Assert.Equal("the batch has no post list", PostBatch.Validate(new PostBatch(read.ProducerId, read.Sequence, read.Posts!)));
    }

    [Fact]
    public void WhatFollowsABatchKeepsItsReferencesForReadersOfEitherForm()
    {
        // The second string is written as a reference to the first: its number must mean the same to every reader.
        var shared = new string('s', 40);
        Post[] posts = [new("hello", Id: "1", Author: "ana", CreatedAt: DateTimeOffset.UnixEpoch, Source: "demo"), null!, new("after")];
        var bytes = Serializer.SerializeToArray(new BatchThenStrings(new PostBatch("p", 2, posts), shared, shared));

        var read = Serializer.Deserialize<BatchThenStrings>(bytes) ?? throw new InvalidOperationException("nothing read");
        var readByEarlierVersion = Serializer.Deserialize<GeneratedFormBatchThenStrings>(bytes) ?? throw new InvalidOperationException("nothing read");

        Assert.Equal(posts, read.Batch.Posts);
        Assert.Equal(shared, read.First);
        Assert.Same(read.First, read.Second);
        Assert.Equal(shared, readByEarlierVersion.First);
        Assert.Same(readByEarlierVersion.First, readByEarlierVersion.Second);
    }

    [Fact]
    public void UnknownFieldsAreSkipped()
    {
        var bytes = Serializer.SerializeToArray(new LaterFormBatch("later", 3, 5, "a field this version does not know"));

        var read = Read(bytes);

        Assert.Equal("later", read.ProducerId);
        Assert.Equal(3, read.Sequence);
        Assert.Null(read.Posts);
    }

    [Fact]
    public void ReceivedPostsArePackedAndReadBackAsSent()
    {
        Post[] posts = [new("first", Id: "1"), null!, new(null!, Author: "no text"), new("last 🍺", CreatedAt: DateTimeOffset.UnixEpoch)];

        var read = RoundTrip(new PostBatch("p", 1, posts));

        var packed = Assert.IsType<PackedPostList>(read.Posts);
        Assert.Equal(posts, packed);
        Assert.True(packed.PackedAt(1).IsEmpty);
        Assert.Equal(PackedPost.NoText | PackedPost.HasAuthor, packed.PackedAt(2)[0]);
    }

    [Fact]
    public void ReceivedBatchPassedOnIsWrittenExactlyAsItsSenderWroteIt()
    {
        var at = new DateTimeOffset(2026, 11, 26, 8, 30, 0, TimeSpan.FromHours(2));
        var sent = new PostBatch("producer", 8,
        [
            new Post("Hazy IPA 🍺 très houblonnée", Id: "1", Author: "ana", CreatedAt: at, Source: "demo"),
            null!,
            new Post(null!, Id: "no text", Source: "file"),
            new Post("half \ud83c of a pair"),
            new Post("time only", CreatedAt: DateTimeOffset.UnixEpoch),
        ]);
        var bytes = Serializer.SerializeToArray(sent);
        var received = Read(bytes);

        var passedOn = Serializer.SerializeToArray(received);

        Assert.IsType<PackedPostList>(received.Posts);
        Assert.Equal(bytes, passedOn);
        Assert.Equal(received.Posts, Read(passedOn).Posts);
    }

    [Fact]
    public void ReleasedPostsCannotBeReadAnyMore()
    {
        var packed = Assert.IsType<PackedPostList>(RoundTrip(new PostBatch("p", 1, [new Post("kept by a window")])).Posts);

        packed.Release();
        packed.Release();

        var failure = Assert.Throws<ObjectDisposedException>(() => packed[0]);
        Assert.Contains("released", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedUtf8IsReadAsTheStringCodecReadsIt()
    {
        var bytes = Serializer.SerializeToArray(new PostBatch("p", 1, [new Post("before"), new Post("bad ~~ text", Id: "2"), new Post("after")]));
        var at = bytes.AsSpan().IndexOf("~~"u8);
        bytes[at] = 0xC3; // a lead byte followed by one that cannot continue it
        bytes[at + 1] = 0x28;

        var read = Read(bytes);

        Assert.Equal(Encoding.UTF8.GetString([.. "bad "u8, 0xC3, 0x28, .. " text"u8]), read.Posts[1].Text);
        Assert.Contains('\uFFFD', read.Posts[1].Text);
        Assert.Equal([new Post("before"), new Post(read.Posts[1].Text, Id: "2"), new Post("after")], read.Posts);
    }

    [Fact]
    public void FieldGivenTwiceTakesItsLastValueAsTheGeneratedCodecDid()
    {
        var bytes = Serializer.SerializeToArray(new PostBatch("p", 1, [new Post("text", Id: "identity"), new Post("next")]));
        // The id's field header says "one field after the text"; made to say "the text again".
        var header = bytes.AsSpan().IndexOf("identity"u8) - 2;
        Assert.Equal(1, bytes[header] & 0x07);
        bytes[header] &= 0xF8;

        var read = Read(bytes);

        Assert.Equal([new Post("identity"), new Post("next")], read.Posts);
    }

    [Fact]
    public void FieldsAfterAnEndOfBaseMarkerAreReadByTheirIdsNotByTheirPlace()
    {
        // Ids start again after the marker: the text (0) comes after the id (1).
        var bytes = HandWrittenBatch((ref Writer<ArrayBufferWriter<byte>> writer) =>
        {
            RawString(ref writer, 1, "the-id");
            writer.WriteEndBase();
            RawString(ref writer, 0, "hello hazy world");
        });

        Assert.Equal([new Post("hello hazy world", Id: "the-id")], Read(bytes).Posts);
    }

    [Fact]
    public void FieldIdThatWrapsAroundIsReadByItsIdNotByItsPlace()
    {
        var bytes = HandWrittenBatch((ref Writer<ArrayBufferWriter<byte>> writer) =>
        {
            RawString(ref writer, 4, "demo");
            RawString(ref writer, 0xFFFF_FFFC, "wrapped to the text");
        });

        Assert.Equal([new Post("wrapped to the text", Source: "demo")], Read(bytes).Posts);
    }

    [Fact]
    public void PostWithFieldsOutOfOrderIsKeptAsSentNotAsBytesThatNoLongerRead()
    {
        // Ticks whose little-endian bytes read as a string prefix and "AAAA" were the text taken from the date's place.
        var at = new DateTimeOffset(0x0041_4141_4141_4108L, TimeSpan.Zero);
        var bytes = HandWrittenBatch((ref Writer<ArrayBufferWriter<byte>> writer) =>
        {
            DateTimeOffsetCodec.WriteField(ref writer, 3, at);
            writer.WriteEndBase();
            RawString(ref writer, 0, "hello");
        });
        var window = new WordWindow(10, Tokenizer.English, null);

        window.Append(Read(bytes).Posts);

        Assert.Equal([new Post("hello", CreatedAt: at)], PostLog.Unpack(window.GetPackedFrom(window.First, window.Count)));
        Assert.Equal(0, window.CountOf("aaaa"));
    }

    [Fact]
    public void BatchWhosePostsReferToAStringSentEarlierIsRefusedBeforeItOutgrowsTheMessage()
    {
        // Each post's text refers back to the producer id: about 3 bytes on the wire, 256 KB once packed.
        var big = new string('x', 256 * 1024);
        const uint Posts = 400;
        var bytes = HandWrittenBatch((ref Writer<ArrayBufferWriter<byte>> writer) => StringCodec.WriteField(ref writer, 0, big), Posts, big);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var refused = Assert.Throws<SerializerException>(() => Read(bytes));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("refer to strings sent earlier", refused.Message, StringComparison.Ordinal);
        Assert.True(allocated < 16L * bytes.Length, $"a {bytes.Length:N0}-byte message allocated {allocated:N0} bytes");
    }

    private delegate void PostFields(ref Writer<ArrayBufferWriter<byte>> writer);

    /// <summary>A batch ("p", 1) of <paramref name="count"/> posts, each written field by field by <paramref name="fields"/>.</summary>
    private static byte[] HandWrittenBatch(PostFields fields, uint count = 1, string producerId = "p")
    {
        using var session = Sessions.GetSession();
        var writer = Writer.Create(new ArrayBufferWriter<byte>(), session);
        ReferenceCodec.MarkValueField(session);
        writer.WriteStartObject(0, typeof(PostBatch), typeof(PostBatch));
        writer.WriteEndBase();
        StringCodec.WriteField(ref writer, 0, producerId);
        Int64Codec.WriteField(ref writer, 1, 1L);
        UInt32Codec.WriteField(ref writer, 2, count);
        var delta = 1u;
        for (var index = 0; index < count; index++)
        {
            ReferenceCodec.MarkValueField(writer.Session);
            writer.WriteStartObject(delta, typeof(Post), typeof(Post));
            fields(ref writer);
            writer.WriteEndObject();
            delta = 0;
        }

        writer.WriteEndObject();
        writer.Commit();
        return writer.Output.WrittenSpan.ToArray();
    }

    /// <summary>A string field written raw, as <see cref="PostBatchCodec"/> writes a post's strings.</summary>
    private static void RawString(ref Writer<ArrayBufferWriter<byte>> writer, uint delta, string value)
    {
        ReferenceCodec.MarkValueField(writer.Session);
        writer.WriteFieldHeaderExpected(delta, WireType.LengthPrefixed);
        var length = Encoding.UTF8.GetByteCount(value);
        writer.WriteVarUInt32((uint)length);
        StringCodec.WriteRaw(ref writer, value, length);
    }

    /// <summary>About <paramref name="length"/> UTF-16 units of letters, spaces, accented letters and emoji (never half a pair).</summary>
    private static string RandomText(Random random, int length)
    {
        var text = new StringBuilder(length + 1);
        while (text.Length < length)
        {
            text.Append(random.Next(10) switch
            {
                0 => " ",
                1 => "é",
                2 => "🍺",
                3 => "日",
                _ => ((char)('a' + random.Next(26))).ToString(),
            });
        }

        return text.ToString();
    }

    private static PostBatch RoundTrip(PostBatch batch) => Read(Serializer.SerializeToArray(batch));

    private static PostBatch Read(byte[] bytes) => Serializer.Deserialize<PostBatch>(bytes) ?? throw new InvalidOperationException("no batch read");

    private static ReadOnlySequence<byte> InSegments(byte[] bytes, int size)
    {
        Segment? first = null, last = null;
        for (var start = 0; start < bytes.Length; start += size)
        {
            var segment = new Segment(bytes.AsMemory(start, Math.Min(size, bytes.Length - start)), last);
            first ??= segment;
            last = segment;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, Segment? previous)
        {
            Memory = memory;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }
}

/// <summary>A batch as the codec Orleans generated for <see cref="PostBatch"/> wrote it, before it had its own.</summary>
[GenerateSerializer]
public sealed record class GeneratedFormBatch([property: Id(0)] string ProducerId, [property: Id(1)] long Sequence, [property: Id(2)] IReadOnlyList<Post> Posts);

/// <summary>A batch from a later version with fields this one does not know (ids 5 and 9).</summary>
[GenerateSerializer]
public sealed record class LaterFormBatch([property: Id(0)] string ProducerId, [property: Id(1)] long Sequence, [property: Id(5)] int Priority, [property: Id(9)] string Note);

/// <summary>A batch with more after it in the same message.</summary>
[GenerateSerializer]
public sealed record class BatchThenStrings([property: Id(0)] PostBatch Batch, [property: Id(1)] string First, [property: Id(2)] string Second);

/// <summary><see cref="BatchThenStrings"/> as a version whose batches had the generated codec reads it.</summary>
[GenerateSerializer]
public sealed record class GeneratedFormBatchThenStrings([property: Id(0)] GeneratedFormBatch Batch, [property: Id(1)] string First, [property: Id(2)] string Second);
