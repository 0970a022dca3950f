using System.Text;
using CsCheck;
using WordCloud.Client.Sources;

namespace WordCloud.Tests.Client;

public sealed class BoundedLineReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wordcloud-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void LinesEndAtNewlinesWithOrWithoutACarriageReturnAndTheLastNeedsNone()
    {
        var lines = ReadAll("\uFEFFfirst\r\nsecond\n\nlast"u8.ToArray());

        Assert.Equal([(LineRead.Line, "first"), (LineRead.Line, "second"), (LineRead.Line, ""), (LineRead.Line, "last")], lines);
    }

    [Fact]
    public void LineOfExactlyTheLimitIsRead()
    {
        var longest = new string('x', BoundedLineReader.MaxLineBytes);

        var lines = ReadAll(Encoding.UTF8.GetBytes($"{longest}\nnext\n"));

        Assert.Equal([(LineRead.Line, longest), (LineRead.Line, "next")], lines);
    }

    [Theory]
    [InlineData(BoundedLineReader.MaxLineBytes + 1, "\n")]
    [InlineData(3 * BoundedLineReader.MaxLineBytes, "\n")]
    [InlineData(BoundedLineReader.MaxLineBytes + 1, "")]
    public void LineOverTheLimitIsPassedOverAndTheNextIsRead(int length, string end)
    {
        var bytes = Encoding.UTF8.GetBytes($"first\n{new string('x', length)}{end}");
        var withNext = end.Length == 0 ? bytes : [.. bytes, .. "next\n"u8];

        var lines = ReadAll(withNext);

        Assert.Equal(end.Length == 0 ? [(LineRead.Line, "first"), (LineRead.TooLong, null)] : [(LineRead.Line, "first"), (LineRead.TooLong, null), (LineRead.Line, "next")], lines);
    }

    [Fact]
    public void LineOfManyMegabytesIsPassedOverWithoutHoldingIt()
    {
        using var stream = new RepeatingStream((byte)'x', 64L << 20);
        using var reader = new BoundedLineReader(stream, "big");
        var before = GC.GetAllocatedBytesForCurrentThread();

        var found = reader.Read(out _);

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(LineRead.TooLong, found);
        Assert.True(allocated < 4L * BoundedLineReader.MaxLineBytes, $"passing over a 64 MiB line allocated {allocated:N0} bytes");
    }

    [Fact]
    public void NulByteEndsTheReadingNamingTheLine()
    {
        using var reader = new BoundedLineReader(new MemoryStream("one\ntwo\0\n"u8.ToArray()), "posts.txt");

        Assert.Equal(LineRead.Line, reader.Read(out _));
        var refused = Assert.Throws<InvalidDataException>(() => reader.Read(out _));

        Assert.Equal("posts.txt holds a NUL byte on line 2: it is not a text or JSON-lines file", refused.Message);
    }

    [Fact]
    public async Task ProducingFromDevZeroEndsWithOneClearError()
    {
        Assert.True(File.Exists("/dev/zero"), "the test needs /dev/zero (Linux, macOS)");
        using var source = FilePostSource.Open("/dev/zero", PostFileFormat.Text);

        var refused = await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var _ in source.ReadAsync(CancellationToken.None))
            {
            }
        });

        Assert.Contains("NUL byte on line 1", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileLineOverTheLimitIsReportedWithItsNumberAndTheRunGoesOn()
    {
        var path = Path.Combine(_directory, "posts.txt");
        await File.WriteAllTextAsync(path, $"hoppy stout\n{new string('x', BoundedLineReader.MaxLineBytes + 10)}\nhazy ipa\n");
        using var source = FilePostSource.Open(path, PostFileFormat.Text);

        var items = new List<SourcedPost>();
        await foreach (var item in source.ReadAsync(CancellationToken.None))
        {
            items.Add(item);
        }

        Assert.Equal(["hoppy stout", null, "hazy ipa"], items.Select(item => item.Post?.Text));
        Assert.Equal($"{path} line 2", items[1].Origin);
        Assert.Contains("over 1,048,576 bytes", items[1].Error, StringComparison.Ordinal);
        Assert.Equal(1, source.Counters.Malformed);
    }

    [Theory]
    [InlineData("{\"text\":\"\\ud800 stout\"}")]
    [InlineData("{\"text\":\"stout \\udc00\"}")]
    [InlineData("{\"text\":\"stout\",\"author\":\"\\ud83c\"}")]
    public void JsonLineEscapingALoneSurrogateIsRefusedNotThrown(string line)
    {
        var item = FilePostSource.ParseJsonLine(line, "posts.jsonl line 3");

        Assert.Null(item.Post);
        Assert.Contains("half of a surrogate pair", item.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void RandomJsonLinesAreReadOrRefusedWithinABoundedAllocation()
    {
        // Bytes that look like JSON lines, so that most cases get past the first character.
        var pieces = new[] { "{", "}", "\"text\"", ":", ",", "\"", "\\u", "d800", "dc00", "\\", "[", "]", "null", "1e999", "\n", "\r\n", "é", "🍺", "\"id\"", "\"created_at\"", "\"2026-01-01\"", " ", "\uFEFF" };
        var text = Gen.OneOf(Gen.OneOf(pieces).Select(Encoding.UTF8.GetBytes), Gen.Byte.Array[1, 4]).Array[0, 40]
            .Select(parts => parts.SelectMany(part => part).ToArray());

        text.Sample(ReadsOrRefusesWithinBound, iter: 10_000);
    }

    [Fact]
    public void MutatedJsonLinesAreReadOrRefusedWithinABoundedAllocation()
    {
        var valid = "{\"text\":\"Hazy IPA 🍺 très bien\",\"id\":42,\"author\":\"ana\",\"created_at\":\"2026-11-26T10:00:00Z\"}\n{\"text\":\"second\"}\n"u8.ToArray();
        Mutations.Of(valid).Sample(ReadsOrRefusesWithinBound, iter: 10_000);
    }

    /// <summary>Every line becomes a post or a reason; only a NUL byte may end the reading, and then as it says.</summary>
    private static void ReadsOrRefusesWithinBound(byte[] bytes)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        using var reader = new BoundedLineReader(new MemoryStream(bytes), "fuzz");
        try
        {
            var number = 0;
            while (reader.Read(out var line) is var found && found != LineRead.End)
            {
                number++;
                var item = FilePostSource.ParseJsonLine(line ?? string.Empty, $"fuzz line {number}");
                Assert.True(item.Post is not null ^ item.Error is not null, $"line {number} gave neither a post nor a reason");
            }
        }
        catch (InvalidDataException nul) when (nul.Message.Contains("NUL byte", StringComparison.Ordinal))
        {
            Assert.Contains((byte)0, bytes);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 256 * 1024 + (64L * bytes.Length), $"{bytes.Length} bytes of lines allocated {allocated:N0} bytes: {Convert.ToHexString(bytes)}");
    }

    private static List<(LineRead, string?)> ReadAll(byte[] bytes)
    {
        using var reader = new BoundedLineReader(new MemoryStream(bytes), "test");
        var lines = new List<(LineRead, string?)>();
        while (reader.Read(out var line) is var found && found != LineRead.End)
        {
            lines.Add((found, line));
        }

        return lines;
    }

    /// <summary>A stream of one byte value, never a newline, that holds nothing in memory.</summary>
    private sealed class RepeatingStream(byte value, long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = (int)Math.Min(count, length - _position);
            buffer.AsSpan(offset, read).Fill(value);
            _position += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
