using WordCloud.Client.Commands;

namespace WordCloud.Tests.Client;

public sealed class ProducerStateFileTests : IDisposable
{
    private const string Source = "file:/data/posts.txt";

    private readonly string _directory = Directory.CreateTempSubdirectory("wordcloud-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    [Fact]
    public void NoFileYetMeansStartFromTheBeginning()
    {
        Assert.Null(ProducerStateFile.Load(PathOf("state.json"), Source, "beer"));
    }

    [Fact]
    public void ASavedResumePointIsLoadedBackAndNoTemporaryFileIsLeft()
    {
        var path = PathOf("state.json");
        var state = new ProducerStateFile(path, Source, "beer");

        state.Save("1200", DateTimeOffset.UnixEpoch);
        state.Save("1300", DateTimeOffset.UnixEpoch);

        Assert.Equal("1300", ProducerStateFile.Load(path, Source, "beer"));
        Assert.Equal(["state.json"], Directory.GetFiles(_directory).Select(Path.GetFileName));
        Assert.Contains("\"source\":\"file:/data/posts.txt\",\"topic\":\"beer\",\"resume\":\"1300\",\"savedAt\":", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file:/data/other.txt", "beer")]
    [InlineData(Source, "coffee")]
    public void AFileOfAnotherSourceOrTopicIsRefusedNamingTheFileWhatItHoldsAndWhatWasAsked(string source, string topic)
    {
        var path = PathOf("state.json");
        new ProducerStateFile(path, Source, "beer").Save("7", DateTimeOffset.UnixEpoch);

        var failure = Assert.Throws<ProducerStateException>(() => ProducerStateFile.Load(path, source, topic));

        Assert.Contains($"state file '{path}' holds where source '{Source}' stopped for topic 'beer'", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"this run reads source '{source}' into topic '{topic}'", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"source\":\"file:/data/posts.txt\",\"topic\":\"beer\"}")]
    [InlineData("[1,2,3]")]
    public void ACorruptFileIsRefusedNamingIt(string content)
    {
        var path = PathOf("state.json");
        File.WriteAllText(path, content);

        var failure = Assert.Throws<ProducerStateException>(() => ProducerStateFile.Load(path, Source, "beer"));

        Assert.Contains($"state file '{path}' is not a producer state file", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AStateFileInAFolderThatDoesNotExistIsRefusedBeforeTheRun()
    {
        var path = PathOf(Path.Combine("missing", "state.json"));

        var failure = Assert.Throws<ProducerStateException>(() => ProducerStateFile.Load(path, Source, "beer"));

        Assert.Contains("does not exist", failure.Message, StringComparison.Ordinal);
    }
}
