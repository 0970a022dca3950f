using System.IO.Pipes;
using System.Text;
using WordCloud.Abstractions;
using WordCloud.Client.Sources;

namespace WordCloud.Tests.Client;

public sealed class CsvPostSourceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wordcloud-csv-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteFile(string content, Encoding? encoding = null, string name = "posts.csv")
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content, encoding ?? new UTF8Encoding(false));
        return path;
    }

    private static async Task<SourcedPost[]> ReadAllAsync(IPostSource source)
    {
        var posts = new List<SourcedPost>();
        await foreach (var post in source.ReadAsync(CancellationToken.None))
        {
            posts.Add(post);
        }

        return [.. posts];
    }

    [Fact]
    public async Task AnUnclosedQuoteBeforeMegabytesOfTextEndsTheReadWithAReasonInsteadOfHoldingItAll()
    {
        // Arrange: a good record, then a quote that never closes over 3 MiB (more than a record may take).
        var path = WriteFile("text\nstout\n\"" + new string('x', 3 << 20) + "\n");
        using var source = CsvPostSource.Open(path, new CsvColumns());
        var before = GC.GetAllocatedBytesForCurrentThread();

        // Act
        var posts = await ReadAllAsync(source);

        // Assert
        Assert.Equal("stout", posts[0].Post?.Text);
        var broken = Assert.Single(posts, post => post.Error is not null);
        Assert.Contains("the rest of the input is not read", broken.Error, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 32L << 20, "the reader held far more than a record may take");
    }

    [Fact]
    public async Task QuotedCommasQuotesAndNewlinesStayInTheText()
    {
        var path = WriteFile("id,text\n1,\"stout, porter\"\n2,\"first line\nsecond line\"\n3,\"a \"\"hazy\"\" ipa\"\n");
        using var source = CsvPostSource.Open(path, new CsvColumns(Id: "id"));

        var posts = await ReadAllAsync(source);

        Assert.Equal(["stout, porter", "first line\nsecond line", "a \"hazy\" ipa"], posts.Select(post => post.Post?.Text));
        Assert.Equal(["1", "2", "3"], posts.Select(post => post.Post?.Id));
        Assert.Equal([$"{path} record 1 (line 2)", $"{path} record 2 (line 3)", $"{path} record 3 (line 5)"], posts.Select(post => post.Origin));
    }

    [Fact]
    public async Task BadRecordInTheMiddleIsReportedWithItsNumbersAndTheRestAreRead()
    {
        var path = WriteFile("id,text\n1,stout\n2,porter,extra\n3,\"multi\nline\"\n4,lager\n");
        using var source = CsvPostSource.Open(path, new CsvColumns());

        var posts = await ReadAllAsync(source);

        Assert.Equal(["stout", null, "multi\nline", "lager"], posts.Select(post => post.Post?.Text));
        Assert.Equal($"{path} record 2 (line 3)", posts[1].Origin);
        Assert.Contains("header's 2 fields", posts[1].Error, StringComparison.Ordinal);
        Assert.Equal($"{path} record 4 (line 6)", posts[3].Origin);
        Assert.Equal(4, source.Counters.Seen);
        Assert.Equal(3, source.Counters.Matched);
        Assert.Equal(1, source.Counters.Malformed);
    }

    [Theory]
    [InlineData("1,a\"b\n", "quote inside an unquoted field")]
    [InlineData("1,\"ab\"c\n", "text after the closing quote")]
    [InlineData("1,\"never closed\n", "never closed")]
    public async Task BadQuotingIsReportedAndSkipped(string record, string problem)
    {
        var path = WriteFile($"id,text\n0,stout\n{record}");
        using var source = CsvPostSource.Open(path, new CsvColumns());

        var posts = await ReadAllAsync(source);

        Assert.Equal("stout", posts[0].Post?.Text);
        Assert.Contains(problem, posts[1].Error, StringComparison.Ordinal);
        Assert.Equal($"{path} record 2 (line 3)", posts[1].Origin);
        Assert.Equal(2, posts.Length);
    }

    [Fact]
    public async Task EmptyTextAndUnparseableTimeAreReportedNamingTheColumn()
    {
        var path = WriteFile("body,at\n,2026-11-26T10:00:00Z\nstout,yesterday\nporter,2026-11-26T10:00:00+01:00\n");
        using var source = CsvPostSource.Open(path, new CsvColumns(Text: "body", Time: "at"));

        var posts = await ReadAllAsync(source);

        Assert.Contains("the 'body' column is empty", posts[0].Error, StringComparison.Ordinal);
        Assert.Contains("the 'at' column is \"yesterday\"; it must be an ISO 8601 date-time", posts[1].Error, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.FromHours(1)), posts[2].Post?.CreatedAt);
    }

    [Fact]
    public void MissingTextColumnIsAnErrorListingTheColumns()
    {
        var path = WriteFile("id,text,author\n1,stout,ana\n");

        var failure = Assert.Throws<IOException>(() => CsvPostSource.Open(path, new CsvColumns(Text: "body")));

        Assert.Equal($"column 'body' (--text-column) not found in {path}; its columns are: id, text, author", failure.Message);
    }

    [Fact]
    public void MissingOptionalColumnIsAnErrorToo()
    {
        var path = WriteFile("id,text\n1,stout\n");

        var failure = Assert.Throws<IOException>(() => CsvPostSource.Open(path, new CsvColumns(Author: "user")));

        Assert.Contains("column 'user' (--author-column) not found", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyFileHasNoHeaderRow()
    {
        var path = WriteFile(string.Empty);

        var failure = Assert.Throws<IOException>(() => CsvPostSource.Open(path, new CsvColumns()));

        Assert.Contains("no header row", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OptionalColumnsFillThePostAndColumnNamesIgnoreCase()
    {
        var path = WriteFile("Text,ID,Author,Created,Origin,ignored\nstout,p1,ana,2026-11-26T10:00:00Z,mastodon,x\nporter,,,,,\n");
        using var source = CsvPostSource.Open(path, new CsvColumns(Text: "text", Id: "id", Author: "author", Time: "created", Source: "origin"));

        var posts = await ReadAllAsync(source);

        Assert.Equal(new Post("stout", Id: "p1", Author: "ana", CreatedAt: new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero), Source: "mastodon"), posts[0].Post);
        Assert.Equal(new Post("porter", Source: "file"), posts[1].Post);
    }

    [Fact]
    public async Task ByteOrderMarkIsNotPartOfTheFirstColumnName()
    {
        var path = WriteFile("text,id\ncafé stout,1\n", new UTF8Encoding(true));
        using var source = CsvPostSource.Open(path, new CsvColumns());

        var posts = await ReadAllAsync(source);

        Assert.Equal("café stout", Assert.Single(posts).Post?.Text);
    }

    [Fact]
    public async Task EmptyLinesAreNotRecords()
    {
        var path = WriteFile("text\nstout\n\nporter\n");
        using var source = CsvPostSource.Open(path, new CsvColumns());

        var posts = await ReadAllAsync(source);

        Assert.Equal(["stout", "porter"], posts.Select(post => post.Post?.Text));
    }

    [Fact]
    public async Task StreamThatCannotSeekIsReadLikeStandardInput()
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        var reading = new AnonymousPipeClientStream(PipeDirection.In, pipe.ClientSafePipeHandle);
        var writing = Task.Run(async () =>
        {
            await pipe.WriteAsync(Encoding.UTF8.GetBytes("text,id\nstout,1\n\"porter, dark\",2\n"));
            pipe.Dispose();
        });
        using var source = CsvPostSource.Open(reading, "standard input", new CsvColumns(Id: "id"));

        var posts = await ReadAllAsync(source);
        await writing;

        Assert.Equal(["stout", "porter, dark"], posts.Select(post => post.Post?.Text));
        Assert.Equal("standard input record 2 (line 3)", posts[1].Origin);
        Assert.Contains("CSV", source.Description, StringComparison.Ordinal);
    }
}
