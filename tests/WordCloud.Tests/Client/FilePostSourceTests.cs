using System.Text;
using WordCloud.Abstractions;
using WordCloud.Client.Sources;

namespace WordCloud.Tests.Client;

public sealed class FilePostSourceTests : IDisposable
{
    private const string Origin = "posts.jsonl line 7";

    private readonly string _directory = Directory.CreateTempSubdirectory("wordcloud-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<SourcedPost[]> ReadAllAsync(IPostSource source)
    {
        var posts = new List<SourcedPost>();
        await foreach (var post in source.ReadAsync(CancellationToken.None))
        {
            posts.Add(post);
        }

        return [.. posts];
    }

    private string WriteFile(string name, string content, Encoding? encoding = null)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content, encoding ?? new UTF8Encoding(false));
        return path;
    }

    [Fact]
    public void TextLineIsTrimmedIntoAPostFromAFile()
    {
        var result = FilePostSource.ParseTextLine("  hoppy stout\t", Origin);

        Assert.Null(result.Error);
        Assert.Equal(new Post("hoppy stout", Source: "file"), result.Post);
        Assert.Equal(Origin, result.Origin);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t")]
    public void BlankTextLineIsRejected(string line)
    {
        var result = FilePostSource.ParseTextLine(line, Origin);

        Assert.Null(result.Post);
        Assert.Equal(Origin, result.Origin);
        Assert.Contains("empty or whitespace", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TooLongTextLineIsRejectedNamingItsLength()
    {
        var result = FilePostSource.ParseTextLine(new string('a', 10_001), Origin);

        Assert.Null(result.Post);
        Assert.Contains("10001 characters", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonLineWithEveryFieldParses()
    {
        var line = """{"text":"hoppy stout","id":"p1","author":"ana","created_at":"2026-11-26T10:00:00+01:00","source":"mastodon"}""";

        var result = FilePostSource.ParseJsonLine(line, Origin);

        Assert.Null(result.Error);
        Assert.Equal(Origin, result.Origin);
        Assert.Equal(
            new Post("hoppy stout", Id: "p1", Author: "ana", CreatedAt: new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.FromHours(1)), Source: "mastodon"),
            result.Post);
    }

    [Fact]
    public void JsonLineWithOnlyTextGetsTheFileSource()
    {
        var result = FilePostSource.ParseJsonLine("""{"text":"hoppy stout"}""", Origin);

        Assert.Equal(new Post("hoppy stout", Source: "file"), result.Post);
    }

    [Theory]
    [InlineData("""{"text":"stout","id":42}""", "42")]
    [InlineData("""{"text":"stout","id":1234567890123}""", "1234567890123")]
    [InlineData("""{"text":"stout","id":"42"}""", "42")]
    [InlineData("""{"text":"stout","id":true}""", null)]
    [InlineData("""{"text":"stout","id":null}""", null)]
    public void JsonIdMayBeAStringOrANumber(string line, string? id)
    {
        var result = FilePostSource.ParseJsonLine(line, Origin);

        Assert.Null(result.Error);
        Assert.Equal(id, result.Post!.Id);
    }

    [Fact]
    public void JsonCreatedAtWithoutOffsetIsUniversal()
    {
        var result = FilePostSource.ParseJsonLine("""{"text":"stout","created_at":"2026-11-26T10:00:00"}""", Origin);

        Assert.Equal(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero), result.Post!.CreatedAt);
    }

    [Fact]
    public void JsonNullCreatedAtMeansNoDate()
    {
        var result = FilePostSource.ParseJsonLine("""{"text":"stout","created_at":null}""", Origin);

        Assert.Null(result.Error);
        Assert.Null(result.Post!.CreatedAt);
    }

    [Theory]
    [InlineData("""{"id":"p1"}""", "\"text\" is missing or not a string")]
    [InlineData("""{"Text":"stout"}""", "\"text\" is missing or not a string")]
    [InlineData("""{"text":42}""", "\"text\" is missing or not a string")]
    [InlineData("""{"text":null}""", "\"text\" is missing or not a string")]
    [InlineData("""{"text":["stout"]}""", "\"text\" is missing or not a string")]
    [InlineData("""{"text":"stout" """, "malformed JSON")]
    [InlineData("""{text:"stout"}""", "malformed JSON")]
    [InlineData("hoppy stout", "malformed JSON")]
    [InlineData("""{"text":"stout"} {"text":"ipa"}""", "malformed JSON")]
    [InlineData("""[{"text":"stout"}]""", "the line is a JSON array; it must be an object")]
    [InlineData("\"stout\"", "the line is a JSON string; it must be an object")]
    [InlineData("42", "the line is a JSON number; it must be an object")]
    [InlineData("", "the line is empty")]
    [InlineData("   ", "the line is empty")]
    [InlineData("""{"text":"stout","created_at":"yesterday"}""", "\"created_at\" is \"yesterday\"; it must be an ISO 8601 date-time")]
    [InlineData("""{"text":"stout","created_at":1764151200}""", "\"created_at\" is 1764151200; it must be an ISO 8601 date-time")]
    [InlineData("""{"text":"  "}""", "empty or whitespace")]
    public void InvalidJsonLineIsRejectedNamingTheProblem(string line, string problem)
    {
        var result = FilePostSource.ParseJsonLine(line, Origin);

        Assert.Null(result.Post);
        Assert.Equal(Origin, result.Origin);
        Assert.Contains(problem, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonLineWithTooLongTextIsRejectedNamingItsLength()
    {
        var line = $$"""{"text":"{{new string('a', 10_001)}}"}""";

        var result = FilePostSource.ParseJsonLine(line, Origin);

        Assert.Null(result.Post);
        Assert.Contains("the post text is 10001 characters long; the limit is 10000", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonLineWithTooLongAuthorIsRejectedNamingTheField()
    {
        var line = $$"""{"text":"stout","author":"{{new string('a', 257)}}"}""";

        var result = FilePostSource.ParseJsonLine(line, Origin);

        Assert.Null(result.Post);
        Assert.Contains("the post author is 257 characters long", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("posts.jsonl", PostFileFormat.JsonLines)]
    [InlineData("posts.ndjson", PostFileFormat.JsonLines)]
    [InlineData("POSTS.JSONL", PostFileFormat.JsonLines)]
    [InlineData("data/Posts.NdJson", PostFileFormat.JsonLines)]
    [InlineData("posts.csv", PostFileFormat.Csv)]
    [InlineData("Posts.CSV", PostFileFormat.Csv)]
    [InlineData("posts.json", PostFileFormat.Text)]
    [InlineData("posts.txt", PostFileFormat.Text)]
    [InlineData("posts", PostFileFormat.Text)]
    [InlineData("posts.jsonl.txt", PostFileFormat.Text)]
    [InlineData("data.jsonl/posts", PostFileFormat.Text)]
    public void FormatFollowsTheExtension(string path, PostFileFormat expected)
    {
        var format = FilePostSource.FormatOf(path);

        Assert.Equal(expected, format);
    }

    [Fact]
    public void OpeningAMissingFileThrowsNamingThePath()
    {
        var path = Path.Combine(_directory, "missing.txt");

        var failure = Assert.Throws<IOException>(() => FilePostSource.Open(path, PostFileFormat.Auto));

        Assert.Contains($"'{path}'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpeningAFileInAMissingDirectoryThrowsNamingThePath()
    {
        var path = Path.Combine(_directory, "no-such-directory", "posts.jsonl");

        var failure = Assert.Throws<IOException>(() => FilePostSource.Open(path, PostFileFormat.Auto));

        Assert.Contains($"'{path}'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpeningADirectoryThrowsNamingThePath()
    {
        var failure = Assert.Throws<IOException>(() => FilePostSource.Open(_directory, PostFileFormat.Text));

        Assert.Contains($"'{_directory}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("directory", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextFileYieldsOnePostPerLineWithItsOrigin()
    {
        var path = WriteFile("posts.txt", "hoppy stout\n\n  crisp lager  \r\nhazy ipa");
        using var source = FilePostSource.Open(path, PostFileFormat.Auto);

        var posts = await ReadAllAsync(source);

        Assert.Equal([$"{path} line 1", $"{path} line 2", $"{path} line 3", $"{path} line 4"], posts.Select(post => post.Origin));
        Assert.Equal(["hoppy stout", null, "crisp lager", "hazy ipa"], posts.Select(post => post.Post?.Text));
        Assert.NotNull(posts[1].Error);
        Assert.Null(((IPostSource)source).DefaultPace);
        Assert.Contains("text, one post per line", source.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonLinesFileYieldsValidAndInvalidLinesWithTheirOrigins()
    {
        var path = WriteFile("posts.jsonl", "{\"text\":\"hoppy stout\",\"id\":1}\n[1]\n{\"text\":\"crisp lager\"}\n");
        using var source = FilePostSource.Open(path, PostFileFormat.Auto);

        var posts = await ReadAllAsync(source);

        Assert.Equal([$"{path} line 1", $"{path} line 2", $"{path} line 3"], posts.Select(post => post.Origin));
        Assert.Equal(new Post("hoppy stout", Id: "1", Source: "file"), posts[0].Post);
        Assert.Contains("JSON array", posts[1].Error, StringComparison.Ordinal);
        Assert.Equal("crisp lager", posts[2].Post?.Text);
        Assert.Contains("JSON lines", source.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplicitFormatOverridesTheExtension()
    {
        var path = WriteFile("posts.jsonl", "{\"text\":\"hoppy stout\"}\n");
        using var source = FilePostSource.Open(path, PostFileFormat.Text);

        var posts = await ReadAllAsync(source);

        Assert.Equal("{\"text\":\"hoppy stout\"}", Assert.Single(posts).Post?.Text);
    }

    [Fact]
    public async Task ByteOrderMarkIsNotPartOfTheFirstPost()
    {
        var path = WriteFile("posts.txt", "café stout\n", new UTF8Encoding(true));
        using var source = FilePostSource.Open(path, PostFileFormat.Auto);

        var posts = await ReadAllAsync(source);

        Assert.Equal("café stout", Assert.Single(posts).Post?.Text);
    }

    [Fact]
    public async Task AResumableFileGivesEachItemsLineNumberAndResumesAfterTheOneGiven()
    {
        var path = WriteFile("posts.txt", "one\ntwo\n\nfour\nfive\n");

        using (var whole = FilePostSource.Open(path, PostFileFormat.Auto, resume: null, givesResume: true))
        {
            Assert.Equal(["1", "2", "3", "4", "5"], (await ReadAllAsync(whole)).Select(item => item.Resume));
        }

        using var resumed = FilePostSource.Open(path, PostFileFormat.Auto, resume: "3", givesResume: true);
        var items = await ReadAllAsync(resumed);

        Assert.Equal(["four", "five"], items.Select(item => item.Post!.Text));
        Assert.Equal(["4", "5"], items.Select(item => item.Resume));
        Assert.EndsWith("posts.txt line 4", items[0].Origin, StringComparison.Ordinal);
    }

    [Fact]
    public void AResumePointThatIsNotALineNumberIsRefusedNamingTheFile()
    {
        var path = WriteFile("posts.txt", "one\n");

        var failure = Assert.Throws<InvalidDataException>(() => FilePostSource.Open(path, PostFileFormat.Auto, resume: "cursor-17", givesResume: true));

        Assert.Contains($"cannot resume posts file '{path}' at 'cursor-17'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileSaysHowManyOfItsBytesHaveBeenRead()
    {
        var path = WriteFile("posts.txt", string.Concat(Enumerable.Repeat("a hoppy stout\n", 1000)));
        using var source = FilePostSource.Open(path, PostFileFormat.Auto);
        Assert.Equal((0L, new FileInfo(path).Length), (source.BytesRead, source.Length!.Value));

        await ReadAllAsync(source);

        Assert.Equal(source.Length, source.BytesRead);
    }

    [Fact]
    public async Task ANamedPipeIsReadAsStandardInputIsAndCannotResume()
    {
        // Arrange: a FIFO with a writer on the other end, as `--file <(command)` gives.
        var fifo = Path.Combine(_directory, "posts.fifo");
        using (var make = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            await make.WaitForExitAsync();
        }

        // A writer that opens the pipe and writes nothing: the open to be refused must not take the posts of the next.
        using var writer = System.Diagnostics.Process.Start("sh", ["-c", $": > '{fifo}'"]);

        // Act
        var resumable = Assert.Throws<IOException>(() => FilePostSource.Open(fifo, PostFileFormat.Text, resume: null, givesResume: true));
        // Gone before the next reader opens: a writer still holding the pipe would be that reader's only writer, and
        // its close an end of input before the next writer's lines.
        await writer.WaitForExitAsync();
        using var writerAgain = System.Diagnostics.Process.Start("sh", ["-c", $"printf 'hoppy stout\ncrisp lager\n' > '{fifo}'"]);
        using var source = FilePostSource.Open(fifo, PostFileFormat.Text);
        var posts = await ReadAllAsync(source);

        // Assert
        Assert.Contains("it is a pipe, read once, so --state-file needs a file or a live feed", resumable.Message, StringComparison.Ordinal);
        Assert.Equal(["hoppy stout", "crisp lager"], posts.Select(post => post.Post!.Text));
        Assert.Null(source.Length);
    }
}
