using System.Runtime.CompilerServices;
using WordCloud.Abstractions;

namespace WordCloud.Client.Sources;

/// <summary>
/// An endless feed of made-up but believable posts about a topic: sentences built from templates and a topic's
/// vocabulary, with the hashtags, mentions, links and emoji real posts carry. Some words are much more common than
/// others, as in real posts, so the cloud has a shape. The same seed gives the same posts.
/// </summary>
public sealed class DemoFeed(string topic, int seed) : IPostSource
{
    private static readonly string[] Templates =
    [
        "Just tried a {adj} {noun} at {place} and wow. #{topic}",
        "Is it just me or is {noun} way better than {noun2}? #{topic}",
        "{opener} the {adj} {noun} from {place} is {verdict} {emoji}",
        "Hot take: {noun2} is {verdict}, but {adj} {noun} wins every time #{topic} #{tag}",
        "Weekend plan: {noun}, {noun2} and a {adj} {noun3} with @friend_{n} {emoji}",
        "New post on {noun} and why it matters for {topic} lovers https://example.org/{topic}/{n}",
        "{opener} can anyone recommend a {adj} {noun} near {place}? #{topic}",
        "Three things I learned about {noun} this week: it is {adj}, it is {adj2}, and {noun2} pairs with it. #{tag}",
        "The {noun} at {place} tonight was {verdict}. {adj} and {adj2}. {emoji}",
        "Ranking every {noun} I had this month, the {adj} one is still on top #{topic} #{tag}",
    ];

    private static readonly string[] Openers = ["Honestly,", "Okay,", "Wow,", "Update:", "PSA:", "Not gonna lie,", "Friends,"];
    private static readonly string[] Verdicts = ["amazing", "underrated", "overrated", "perfect", "surprisingly good", "a revelation", "not for me"];
    private static readonly string[] Emoji = ["🍺", "🔥", "😍", "👌", "🎉", "🤔", "✨"];

    private readonly Vocabulary _words = Vocabulary.For(topic);

    public string Description => $"demo feed about #{topic} (seed {seed})";

    public TimeSpan? DefaultPace => TimeSpan.FromSeconds(2);

    public FeedCounters Counters { get; } = new();

    public async IAsyncEnumerable<SourcedPost> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        for (var number = 1L; !cancellationToken.IsCancellationRequested; number++)
        {
            var text = Compose(random);
            var post = new Post(text, Id: $"demo-{seed}-{number}", Author: $"demo_user_{Skewed(random, 40)}", CreatedAt: DateTimeOffset.UtcNow, Source: "demo");
            Counters.CountSeen();
            Counters.CountMatched();
            yield return SourcedPost.Valid(post, $"demo post {number}");
            // Let a slow consumer's cancellation be seen between posts without blocking.
            await Task.Yield();
        }
    }

    /// <summary>One post's text.</summary>
    public string Compose(Random random)
    {
        var template = Templates[random.Next(Templates.Length)];
        return template
            .Replace("{opener}", Pick(random, Openers))
            .Replace("{verdict}", Pick(random, Verdicts))
            .Replace("{emoji}", Pick(random, Emoji))
            .Replace("{adj2}", PickSkewed(random, _words.Adjectives))
            .Replace("{adj}", PickSkewed(random, _words.Adjectives))
            .Replace("{noun3}", PickSkewed(random, _words.Nouns))
            .Replace("{noun2}", PickSkewed(random, _words.Nouns))
            .Replace("{noun}", PickSkewed(random, _words.Nouns))
            .Replace("{place}", Pick(random, _words.Places))
            .Replace("{tag}", PickSkewed(random, _words.Tags))
            .Replace("{topic}", topic)
            .Replace("{n}", random.Next(1, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string Pick(Random random, string[] choices) => choices[random.Next(choices.Length)];

    /// <summary>Favours the first entries of a list, roughly as word use falls off in real text.</summary>
    private static string PickSkewed(Random random, string[] choices) => choices[Skewed(random, choices.Length)];

    private static int Skewed(Random random, int count) => (int)(count * Math.Pow(random.NextDouble(), 2.2));

    private sealed record Vocabulary(string[] Nouns, string[] Adjectives, string[] Places, string[] Tags)
    {
        public static Vocabulary For(string topic) => topic switch
        {
            "beer" => new(
                ["ipa", "stout", "lager", "pilsner", "porter", "sour", "saison", "hops", "malt", "pint", "tripel", "hefeweizen", "barleywine", "cask ale", "brewery", "taproom", "growler", "yeast"],
                ["hoppy", "crisp", "hazy", "malty", "juicy", "bitter", "roasty", "smooth", "tart", "refreshing", "citrusy", "dry", "funky"],
                ["the brewpub", "a tiny taproom", "the beer garden", "the corner pub", "the festival", "my local", "the bottle shop"],
                ["craftbeer", "homebrew", "ipa", "pubnight", "cheers", "brewing"]),
            "coffee" => new(
                ["espresso", "latte", "cappuccino", "pour over", "cold brew", "flat white", "beans", "roast", "grinder", "barista", "crema", "aeropress", "mocha"],
                ["bold", "fruity", "nutty", "smooth", "bright", "bitter", "creamy", "strong", "floral", "chocolatey"],
                ["the cafe", "a small roastery", "the coffee cart", "my kitchen", "the office", "the station kiosk"],
                ["coffeetime", "espresso", "baristalife", "morningbrew", "caffeine"]),
            _ => new(
                ["update", "thread", "question", "community", "photo", "event", "release", "talk", "idea", "meetup", "story", "tip", "project", "video"],
                ["great", "interesting", "new", "amazing", "useful", "weird", "wonderful", "fresh", "classic", "tiny", "huge"],
                ["the meetup", "downtown", "the conference", "the park", "the library", "online", "the studio"],
                ["today", "news", "community", "weekend", "tips", "inspiration"]),
        };
    }
}
