namespace WordCloud.Abstractions;

/// <summary>What the word cloud page shows of a window: its stats, top words and newest posts, read at one instant.</summary>
[GenerateSerializer, Immutable, Alias("WordCloud.WordCloudView")]
public sealed record class WordCloudView(
    [property: Id(0)] string Topic,
    [property: Id(1)] WindowStats Stats,
    [property: Id(2)] IReadOnlyList<WordCount> Words,
    [property: Id(3)] IReadOnlyList<Post> NewestPosts);
