using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using CsCheck;
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
        Post[] posts =
        [
            new Post("Hazy IPA, très houblonnée 🍺", Id: "p1", Author: "ana", CreatedAt: at, Source: "file:a.txt"),
            new Post("only text"),
            new Post("", Id: "empty"),
            new Post("no author", Id: "p4", CreatedAt: DateTimeOffset.UnixEpoch),
            new Post("source only", Source: "stdin"),
        ];

        var read = RoundTrip(PostBatch.Encode(posts, "producer-1", 42));

        Assert.Equal("producer-1", read.ProducerId);
        Assert.Equal(42, read.Sequence);
        Assert.Equal(posts, PostsOf(read));
        Assert.Equal(at.Offset, PostsOf(read)[0]!.CreatedAt!.Value.Offset);
    }

    [Fact]
    public void DeletionsArriveAsDeletionsInTheirPlaceAmongThePosts()
    {
        using var builder = new PostBatchBuilder(4);
        builder.Add(new Post("first", Id: "at://a/1"));
        builder.AddDeletion("at://a/0");
        builder.Add(new Post("second"));
        builder.AddDeletion(null);

        var read = RoundTrip(builder.Build("p", 3));

        Assert.Equal(4, read.Count);
        Assert.False(PostBytes.IsDeletion(read.PostAt(0)));
        Assert.True(PostBytes.IsDeletion(read.PostAt(1)));
        Assert.Equal("at://a/0", Encoding.UTF8.GetString(PostBytes.IdBytes(read.PostAt(1), out _)));
        Assert.Equal(new Post("second"), PostsOf(read)[2]);
        Assert.True(PostBytes.IsDeletion(read.PostAt(3)));
        Assert.True(PostBytes.IdBytes(read.PostAt(3), out _).IsEmpty);
    }

    [Fact]
    public void NullsTheWindowRejectsArriveAsNulls()
    {
        var batch = PostBatch.Encode([null, new Post(null!, Id: "no-text")]);

        var read = RoundTrip(batch);

        Assert.Null(read.ProducerId);
        Assert.Equal(0, read.Sequence);
        Assert.True(read.PostAt(0).IsEmpty);
        var untexted = PostsOf(read)[1]!;
        Assert.Null(untexted.Text);
        Assert.Equal("no-text", untexted.Id);
        // An unnumbered batch is well-formed; its posts are rejected one by one.
        Assert.Null(PostBatch.Validate(read));
    }

    [Fact]
    public void EmptyBatchArrivesEmptyAndIsRefused()
    {
        var read = RoundTrip(PostBatch.Encode([], "p", 1));

        Assert.Equal(0, read.Count);
        Assert.Contains("holds no posts", PostBatch.Validate(read), StringComparison.Ordinal);
    }

    [Fact]
    public void CountOverTheBatchLimitIsRefusedBeforeItsPostsAreAllocated()
    {
        // Every post is there, so only the limit can refuse it.
        const uint Posts = WindowLimits.MaxBatch + 1;
        var bytes = HandWrittenBatch((ref Writer<ArrayBufferWriter<byte>> writer) => RawString(ref writer, 0, "x"), Posts);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var refused = Assert.Throws<SerializerException>(() => Read(bytes));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains($"the limit is {WindowLimits.MaxBatch}", refused.Message, StringComparison.Ordinal);
        // A builder for 10,001 posts alone takes 40 KB of post ends.
        Assert.True(allocated < 16 * 1024, $"refusing the count allocated {allocated:N0} bytes");
    }

    [Fact]
    public void RandomBytesAreReadOrRefusedWithinABoundedAllocation()
    {
        Gen.Byte.Array[0, 256].Sample(ReadsOrRefusesWithinBound, iter: 10_000);
    }

    [Fact]
    public void MutatedBatchesAreReadOrRefusedWithinABoundedAllocation()
    {
        var valid = Serializer.SerializeToArray(PostBatch.Encode(
            [new Post("Hazy IPA 🍺 très bien", Id: "p1", Author: "ana", CreatedAt: DateTimeOffset.UnixEpoch, Source: "file"), new Post("second"), null], "producer", 7));
        Mutations.Of(valid).Sample(ReadsOrRefusesWithinBound, iter: 10_000);
    }

    /// <summary>
    /// A message is read or refused with the serializer's exceptions, and never makes the reader allocate much more than
    /// the message: a fixed allowance for the serializer's session and a batch's first buffer, and a multiple of its size.
    /// </summary>
    private static void ReadsOrRefusesWithinBound(byte[] bytes)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            // A null reference is a message too: it reads as no batch, which the grain refuses by name.
            Serializer.Deserialize<PostBatch>(bytes)?.Dispose();
        }
        catch (SerializerException)
        {
            // Refused by the codec, as a malformed batch must be.
        }
        catch (Exception refused) when (!ThrownByThisProject(refused))
        {
            // Refused by Orleans' own readers, which throw what they like on a malformed message (a declared length past
            // the end, an unknown type id, an overflowing varint), and the runtime drops such a message. Thrown from this project's code (an
            // index out of range, a null reference, an overflow), it would be a defect, and fails the test.
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 256 * 1024 + (64L * bytes.Length), $"a {bytes.Length}-byte message allocated {allocated:N0} bytes: {Convert.ToHexString(bytes)}");
    }

    [Fact]
    public void LoneSurrogatesAreReplacedAsTheStringCodecReplacesThem()
    {
        var text = "half \ud83c of a pair";

        var read = RoundTrip(PostBatch.Encode([new Post(text)], "p", 1));

        Assert.Equal(Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text)), PostsOf(read)[0]!.Text);
    }

    [Fact]
    public void StringsSharedBetweenPostsAreSentOncePerPost()
    {
        // The generated codec would send the shared author once and hand back one instance for both posts.
        var author = new string('a', 500);
        var one = Serializer.SerializeToArray(PostBatch.Encode([new Post("x", Author: author)], "p", 1));
        var two = Serializer.SerializeToArray(PostBatch.Encode([new Post("x", Author: author), new Post("y", Author: author)], "p", 1));

        var read = Read(two);

        Assert.True(two.Length - one.Length > author.Length, $"the second post added {two.Length - one.Length} bytes");
        Assert.Equal([new Post("x", Author: author), new Post("y", Author: author)], PostsOf(read));
    }

    [Fact]
    public void LargeBatchIsReadFromManySmallBufferSegments()
    {
        var posts = Enumerable.Range(0, 10_000).Select(index => new Post($"post {index} {new string('é', index % 300)}", Id: $"id{index}")).ToArray();
        var bytes = Serializer.SerializeToArray(PostBatch.Encode(posts, "p", 7));

        var read = Serializer.Deserialize<PostBatch>(InSegments(bytes, 61)) ?? throw new InvalidOperationException("no batch read");

        Assert.Equal(posts, PostsOf(read));
    }

    [Fact]
    public void BatchOfTenThousandPostsIsHeldInBuffersBelowTheLargeObjectHeap()
    {
        var posts = Enumerable.Range(0, 10_000).Select(index => new Post($"{index} {new string('a', 100)}", Id: $"id{index}")).ToArray();

        var read = RoundTrip(PostBatch.Encode(posts, "p", 1));

        var runs = RunLengths(read);
        Assert.Equal(posts, PostsOf(read));
        Assert.InRange(runs.Length, 17, 20); // about 1.15 MB of posts
        Assert.All(runs, length => Assert.InRange(length, 1, PostBatch.BufferSize));
        Assert.True(PostBatch.BufferSize < 85_000);
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
        var bytes = Serializer.SerializeToArray(PostBatch.Encode(posts, "p", 1));

        var received = Read(bytes);

        var runs = RunLengths(received);
        Assert.Equal(posts, PostsOf(received));
        Assert.True(runs.Length > 10, $"{runs.Length} buffers");
        Assert.Contains(runs, length => length > PostBatch.BufferSize);
        Assert.Equal(bytes, Serializer.SerializeToArray(received));
    }

    [Fact]
    public void PostRewrittenWhileItsBytesAreMovedToANewBufferKeepsItsLastValues()
    {
        // Each post gives its text twice, so it is read as a Post and written again from that; the second text is long
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

        var posts = PostsOf(read);
        Assert.Equal(120, read.Count);
        Assert.All(Enumerable.Range(1, 120), number =>
            Assert.Equal(new Post($"second {number} {new string('é', 997 * number % 3_000)}", Id: $"id{number}"), posts[number - 1]));
    }

    [Fact]
    public void WhatFollowsABatchKeepsItsReferencesForReadersThatReadOrSkipItsPosts()
    {
        // The second string is written as a reference to the first: its number must mean the same to every reader.
        var shared = new string('s', 40);
        Post?[] posts = [new("hello", Id: "1", Author: "ana", CreatedAt: DateTimeOffset.UnixEpoch, Source: "demo"), null, new("after")];
        var bytes = Serializer.SerializeToArray(new BatchThenStrings(PostBatch.Encode(posts, "p", 2), shared, shared));

        var read = Serializer.Deserialize<BatchThenStrings>(bytes) ?? throw new InvalidOperationException("nothing read");
        var readSkippingPosts = Serializer.Deserialize<PostlessBatchThenStrings>(bytes) ?? throw new InvalidOperationException("nothing read");

        Assert.Equal(posts, PostsOf(read.Batch));
        Assert.Equal(shared, read.First);
        Assert.Same(read.First, read.Second);
        Assert.Equal(("p", 2L), (readSkippingPosts.Batch.ProducerId, readSkippingPosts.Batch.Sequence));
        Assert.Equal(shared, readSkippingPosts.First);
        Assert.Same(readSkippingPosts.First, readSkippingPosts.Second);
    }

    [Fact]
    public void UnknownFieldsAreSkipped()
    {
        var bytes = Serializer.SerializeToArray(new LaterFormBatch("later", 3, 5, "a field this version does not know"));

        var read = Read(bytes);

        Assert.Equal("later", read.ProducerId);
        Assert.Equal(3, read.Sequence);
        // No post count was sent: a batch of no posts.
        Assert.Equal(0, read.Count);
    }

    [Fact]
    public void ReceivedPostsAreHeldAsTheirBytesAndReadBackAsSent()
    {
        Post?[] posts = [new("first", Id: "1"), null, new(null!, Author: "no text"), new("last 🍺", CreatedAt: DateTimeOffset.UnixEpoch)];

        var read = RoundTrip(PostBatch.Encode(posts, "p", 1));

        Assert.Equal(posts, PostsOf(read));
        Assert.True(read.PostAt(1).IsEmpty);
        Assert.Equal(PostBytes.NoText | PostBytes.HasAuthor, read.PostAt(2)[0]);
    }

    [Fact]
    public void ReceivedBatchPassedOnIsWrittenExactlyAsItsSenderWroteIt()
    {
        var at = new DateTimeOffset(2026, 11, 26, 8, 30, 0, TimeSpan.FromHours(2));
        var sent = PostBatch.Encode(
        [
            new Post("Hazy IPA 🍺 très houblonnée", Id: "1", Author: "ana", CreatedAt: at, Source: "demo"),
            null,
            new Post(null!, Id: "no text", Source: "file"),
            new Post("half \ud83c of a pair"),
            new Post("time only", CreatedAt: DateTimeOffset.UnixEpoch),
        ], "producer", 8);
        var bytes = Serializer.SerializeToArray(sent);
        var received = Read(bytes);

        var passedOn = Serializer.SerializeToArray(received);

        Assert.Equal(bytes, passedOn);
        Assert.Equal(PostsOf(received), PostsOf(Read(passedOn)));
    }

    [Fact]
    public void PostsOfADisposedBatchCannotBeReadAnyMore()
    {
        var received = RoundTrip(PostBatch.Encode([new Post("kept by a window")], "p", 1));

        received.Dispose();
        received.Dispose();

        var failure = Assert.Throws<ObjectDisposedException>(() => received.PostAt(0).Length);
        Assert.Contains("given back", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedUtf8IsReadAsTheStringCodecReadsIt()
    {
        var bytes = Serializer.SerializeToArray(PostBatch.Encode([new Post("before"), new Post("bad ~~ text", Id: "2"), new Post("after")], "p", 1));
        var at = bytes.AsSpan().IndexOf("~~"u8);
        bytes[at] = 0xC3; // a lead byte followed by one that cannot continue it
        bytes[at + 1] = 0x28;

        var read = PostsOf(Read(bytes));

        Assert.Equal(Encoding.UTF8.GetString([.. "bad "u8, 0xC3, 0x28, .. " text"u8]), read[1]!.Text);
        Assert.Contains('\uFFFD', read[1]!.Text);
        Assert.Equal([new Post("before"), new Post(read[1]!.Text, Id: "2"), new Post("after")], read);
    }

    [Fact]
    public void FieldGivenTwiceTakesItsLastValueAsTheGeneratedCodecDid()
    {
        var bytes = Serializer.SerializeToArray(PostBatch.Encode([new Post("text", Id: "identity"), new Post("next")], "p", 1));
        // The id's field header says "one field after the text"; made to say "the text again".
        var header = bytes.AsSpan().IndexOf("identity"u8) - 2;
        Assert.Equal(1, bytes[header] & 0x07);
        bytes[header] &= 0xF8;

        var read = Read(bytes);

        Assert.Equal([new Post("identity"), new Post("next")], PostsOf(read));
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

        Assert.Equal([new Post("hello hazy world", Id: "the-id")], PostsOf(Read(bytes)));
    }

    [Fact]
    public void FieldIdThatWrapsAroundIsReadByItsIdNotByItsPlace()
    {
        var bytes = HandWrittenBatch((ref Writer<ArrayBufferWriter<byte>> writer) =>
        {
            RawString(ref writer, 4, "demo");
            RawString(ref writer, 0xFFFF_FFFC, "wrapped to the text");
        });

        Assert.Equal([new Post("wrapped to the text", Source: "demo")], PostsOf(Read(bytes)));
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

        window.Append(Read(bytes));

        Assert.Equal([new Post("hello", CreatedAt: at)], window.GetStoredFrom(window.First, window.Count).ReadAll());
        Assert.Equal([new WordCount("hello", 1)], window.GetTopWords(10));
    }

    [Fact]
    public void BatchWhosePostsReferToAStringSentEarlierIsRefusedBeforeItOutgrowsTheMessage()
    {
        // Each post's text refers back to the producer id: about 3 bytes on the wire, 256 KB as post bytes.
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

    /// <summary>The posts of <paramref name="batch"/> as new objects; null for a null post.</summary>
    private static IReadOnlyList<Post?> PostsOf(PostBatch batch) => [.. Enumerable.Range(0, batch.Count).Select(index => Decode(batch.PostAt(index)))];

    private static Post? Decode(ReadOnlySpan<byte> post)
    {
        var position = 0;
        return post.IsEmpty ? null : PostBytes.Read(post, ref position);
    }

    /// <summary>
    /// How many bytes of posts each buffer of <paramref name="batch"/> holds, told apart by where its posts lie: a post
    /// that starts right after the last byte of the one before it is in the same buffer (two arrays never touch: each
    /// has an object header before its first byte). The distance is taken between references, which the collector
    /// updates if it moves an array.
    /// </summary>
    private static int[] RunLengths(PostBatch batch)
    {
        var runs = new List<int>();
        ReadOnlySpan<byte> previous = default;
        for (var index = 0; index < batch.Count; index++)
        {
            var post = batch.PostAt(index);
            if (post.IsEmpty)
            {
                continue;
            }

            if (!previous.IsEmpty && Unsafe.ByteOffset(ref Unsafe.Add(ref MemoryMarshal.GetReference(previous), previous.Length - 1), ref MemoryMarshal.GetReference(post)) == 1)
            {
                runs[^1] += post.Length;
            }
            else
            {
                runs.Add(post.Length);
            }

            previous = post;
        }

        return [.. runs];
    }

    private static bool ThrownByThisProject(Exception refused) =>
        new System.Diagnostics.StackTrace(refused).GetFrame(0)?.GetMethod()?.DeclaringType?.Namespace?.StartsWith("WordCloud", StringComparison.Ordinal) == true;

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

/// <summary>A batch from a later version with fields this one does not know (ids 5 and 9).</summary>
[GenerateSerializer]
public sealed record class LaterFormBatch([property: Id(0)] string ProducerId, [property: Id(1)] long Sequence, [property: Id(5)] int Priority, [property: Id(9)] string Note);

/// <summary>A batch with more after it in the same message.</summary>
[GenerateSerializer]
public sealed record class BatchThenStrings([property: Id(0)] PostBatch Batch, [property: Id(1)] string First, [property: Id(2)] string Second);

/// <summary>A batch read by a reader that knows its producer and sequence only, and skips its posts as unknown fields.</summary>
[GenerateSerializer]
public sealed record class PostlessBatch([property: Id(0)] string ProducerId, [property: Id(1)] long Sequence);

/// <summary><see cref="BatchThenStrings"/> as a reader that skips the batch's posts reads it.</summary>
[GenerateSerializer]
public sealed record class PostlessBatchThenStrings([property: Id(0)] PostlessBatch Batch, [property: Id(1)] string First, [property: Id(2)] string Second);
