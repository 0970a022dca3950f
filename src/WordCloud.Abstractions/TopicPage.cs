namespace WordCloud.Abstractions;

/// <summary>A page of the topic list: topics by posts held, most first, then by name.</summary>
/// <param name="Total">How many topics there are in all.</param>
/// <param name="Topics">The topics of the page.</param>
[GenerateSerializer, Immutable, Alias("WordCloud.TopicPage")]
public sealed record class TopicPage(
    [property: Id(0)] int Total,
    [property: Id(1)] IReadOnlyList<TopicListing> Topics)
{
    /// <summary>Most topics in one page.</summary>
    public const int MaxTake = 1000;
}
