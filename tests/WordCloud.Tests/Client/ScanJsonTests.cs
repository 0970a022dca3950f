using System.Text.Json;
using WordCloud.Abstractions;
using WordCloud.Client.Commands;

namespace WordCloud.Tests.Client;

public sealed class ScanJsonTests
{
    private static readonly WordCloudView Cloud = new(
        "beer",
        new WindowStats(Capacity: 100, Count: 3, TotalAppended: 7, TotalEvicted: 4, DistinctWords: 5),
        [new WordCount("stout", 3), new WordCount("#ipa", 2), new WordCount("éclair", 1)],
        NewestPosts: []);

    private static readonly Post[] Posts =
        [new Post("oldest café"), new Post("middle \"quoted\" \\ line", Id: "2"), new Post("newest 🍺\nsecond line")];

    [Fact]
    public void JsonLineHasExactlyTheDocumentedKeysInOrder()
    {
        var line = ScanCommand.ToJsonLine(Cloud.Topic, Cloud.Stats, Cloud.Words, Posts);

        using var document = JsonDocument.Parse(line);
        Assert.Equal(["topic", "capacity", "count", "posts", "top"], document.RootElement.EnumerateObject().Select(property => property.Name));
    }

    [Fact]
    public void JsonLineCarriesTopicCapacityAndCount()
    {
        var line = ScanCommand.ToJsonLine(Cloud.Topic, Cloud.Stats, Cloud.Words, Posts);

        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        Assert.Equal("beer", root.GetProperty("topic").GetString());
        Assert.Equal(100, root.GetProperty("capacity").GetInt32());
        Assert.Equal(3, root.GetProperty("count").GetInt32());
    }

    [Fact]
    public void JsonLinePostsAreTheTextsOldestFirst()
    {
        var line = ScanCommand.ToJsonLine(Cloud.Topic, Cloud.Stats, Cloud.Words, Posts);

        using var document = JsonDocument.Parse(line);
        var posts = document.RootElement.GetProperty("posts").EnumerateArray().Select(post => post.GetString()!).ToArray();
        Assert.Equal(["oldest café", "middle \"quoted\" \\ line", "newest 🍺\nsecond line"], posts);
    }

    [Fact]
    public void JsonLineTopIsWordAndCountObjectsInOrder()
    {
        var line = ScanCommand.ToJsonLine(Cloud.Topic, Cloud.Stats, Cloud.Words, Posts);

        using var document = JsonDocument.Parse(line);
        var top = document.RootElement.GetProperty("top").EnumerateArray().ToArray();
        Assert.All(top, entry => Assert.Equal(["word", "count"], entry.EnumerateObject().Select(property => property.Name)));
        Assert.Equal(
            Cloud.Words,
            top.Select(entry => new WordCount(entry.GetProperty("word").GetString()!, entry.GetProperty("count").GetInt32())));
    }

    [Fact]
    public void JsonLineIsOneLineWithAccentedTextUnescaped()
    {
        var line = ScanCommand.ToJsonLine(Cloud.Topic, Cloud.Stats, Cloud.Words, Posts);

        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\r', line);
        Assert.Contains("oldest café", line, StringComparison.Ordinal);
        Assert.Contains("éclair", line, StringComparison.Ordinal);
    }

    [Fact]
    public void WithRisingWordsTheJsonLineEndsWithThemAsWordCountBaselineAndScoreToThreeDecimals()
    {
        RisingWord[] rising = [new RisingWord("zymurgy", 12, 0, 12 / Math.Sqrt(2)), new RisingWord("festival", 5, 1.25, 3.75 / Math.Sqrt(3.25))];

        var line = ScanCommand.ToJsonLine(Cloud.Topic, Cloud.Stats, Cloud.Words, Posts, rising);

        using var document = JsonDocument.Parse(line);
        Assert.Equal(["topic", "capacity", "count", "posts", "top", "rising"], document.RootElement.EnumerateObject().Select(property => property.Name));
        Assert.Equal(
            """[{"word":"zymurgy","count":12,"baseline":0,"score":8.485},{"word":"festival","count":5,"baseline":1.25,"score":2.08}]""",
            document.RootElement.GetProperty("rising").GetRawText());
    }

    [Fact]
    public void EmptyWindowGivesEmptyArrays()
    {
        var empty = new WordCloudView("coffee", new WindowStats(10, 0, 0, 0, 0), [], []);

        var line = ScanCommand.ToJsonLine(empty.Topic, empty.Stats, empty.Words, []);

        Assert.Equal("""{"topic":"coffee","capacity":10,"count":0,"posts":[],"top":[]}""", line);
    }
}
