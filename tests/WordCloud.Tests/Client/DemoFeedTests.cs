using WordCloud.Abstractions;
using WordCloud.Client.Sources;
using WordCloud.Grains.Text;

namespace WordCloud.Tests.Client;

public sealed class DemoFeedTests
{
    private static readonly HashSet<string> BeerWords =
    [
        "ipa", "stout", "lager", "pilsner", "porter", "sour", "saison", "hops", "malt", "pint", "tripel", "hefeweizen",
        "barleywine", "cask", "ale", "brewery", "taproom", "growler", "yeast", "hoppy", "crisp", "hazy", "malty", "juicy",
        "bitter", "roasty", "smooth", "tart", "refreshing", "citrusy", "dry", "funky", "#craftbeer", "#homebrew", "#ipa",
        "#pubnight", "#cheers", "#brewing",
    ];

    private static async Task<SourcedPost[]> TakeAsync(DemoFeed feed, int count)
    {
        var posts = new List<SourcedPost>();
        await foreach (var post in feed.ReadAsync(CancellationToken.None))
        {
            posts.Add(post);
            if (posts.Count == count)
            {
                break;
            }
        }

        return [.. posts];
    }

    [Fact]
    public async Task SameSeedGivesTheSameTexts()
    {
        var first = await TakeAsync(new DemoFeed("beer", seed: 42), 100);
        var second = await TakeAsync(new DemoFeed("beer", seed: 42), 100);

        Assert.Equal(first.Select(post => post.Post!.Text), second.Select(post => post.Post!.Text));
    }

    [Fact]
    public async Task DifferentSeedsGiveDifferentTexts()
    {
        var first = await TakeAsync(new DemoFeed("beer", seed: 1), 20);
        var second = await TakeAsync(new DemoFeed("beer", seed: 2), 20);

        Assert.NotEqual(first.Select(post => post.Post!.Text), second.Select(post => post.Post!.Text));
    }

    [Theory]
    [InlineData("beer")]
    [InlineData("coffee")]
    [InlineData("orleans")]
    public async Task PostsAreValidAndNumbered(string topic)
    {
        var posts = await TakeAsync(new DemoFeed(topic, seed: 7), 300);

        Assert.All(posts, post => Assert.Null(post.Error));
        Assert.All(posts, post => Assert.Null(PostRules.Validate(post.Post)));
        Assert.Equal(Enumerable.Range(1, 300).Select(number => $"demo-7-{number}"), posts.Select(post => post.Post!.Id));
        Assert.Equal(Enumerable.Range(1, 300).Select(number => $"demo post {number}"), posts.Select(post => post.Origin));
        Assert.All(posts, post => Assert.Equal("demo", post.Post!.Source));
    }

    [Fact]
    public async Task BeerPostsMentionBeerVocabulary()
    {
        var posts = await TakeAsync(new DemoFeed("beer", seed: 3), 200);

        var withoutBeerWords = posts
            .Where(post => !Tokenizer.English.Tokenize(post.Post!.Text, "beer").Any(BeerWords.Contains))
            .Select(post => post.Post!.Text)
            .ToArray();

        Assert.Empty(withoutBeerWords);
    }

    [Fact]
    public async Task CoffeePostsDoNotMentionBeerVocabulary()
    {
        var posts = await TakeAsync(new DemoFeed("coffee", seed: 3), 200);

        var beerWordsUsed = posts
            .SelectMany(post => Tokenizer.English.Tokenize(post.Post!.Text, "coffee"))
            .Where(word => word is "ipa" or "stout" or "lager" or "hoppy" or "#craftbeer")
            .ToArray();

        Assert.Empty(beerWordsUsed);
    }

    [Fact]
    public async Task CommonWordsOutnumberRareOnesSoTheCloudHasAShape()
    {
        var posts = await TakeAsync(new DemoFeed("beer", seed: 5), 1000);
        var tokens = posts.SelectMany(post => Tokenizer.English.Tokenize(post.Post!.Text, "beer")).ToArray();

        var first = tokens.Count(token => token == "ipa");
        var last = tokens.Count(token => token == "yeast");

        Assert.True(first > 3 * last, $"ipa {first} times, yeast {last} times");
    }

    [Fact]
    public void ComposeWithTheSameRandomSeedGivesTheSameText()
    {
        var feed = new DemoFeed("coffee", seed: 0);

        var first = feed.Compose(new Random(9));
        var second = feed.Compose(new Random(9));

        Assert.Equal(first, second);
        Assert.False(string.IsNullOrWhiteSpace(first));
    }

    [Fact]
    public async Task CancelledFeedYieldsNothing()
    {
        var feed = new DemoFeed("beer", seed: 1);
        var posts = new List<SourcedPost>();

        await foreach (var post in feed.ReadAsync(new CancellationToken(canceled: true)))
        {
            posts.Add(post);
        }

        Assert.Empty(posts);
    }

    [Fact]
    public void FeedIsPacedAtOnePostEveryTwoSecondsAndDescribesTopicAndSeed()
    {
        var feed = new DemoFeed("beer", seed: 42);

        Assert.Equal(TimeSpan.FromSeconds(2), ((IPostSource)feed).DefaultPace);
        Assert.Equal("demo feed about #beer (seed 42)", feed.Description);
    }
}
