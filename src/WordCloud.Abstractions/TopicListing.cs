namespace WordCloud.Abstractions;

/// <summary>A topic as the topic list shows it: what its window last reported to the directory.</summary>
/// <param name="Topic">The normalised topic name.</param>
/// <param name="Count">Posts its window holds and shows.</param>
/// <param name="Capacity">The most posts its window holds.</param>
/// <param name="TotalAppended">Posts its window ever accepted.</param>
[GenerateSerializer, Immutable, Alias("WordCloud.TopicListing")]
public sealed record class TopicListing(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Count,
    [property: Id(2)] int Capacity,
    [property: Id(3)] long TotalAppended);
