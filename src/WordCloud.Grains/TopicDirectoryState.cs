using WordCloud.Abstractions;

namespace WordCloud.Grains;

/// <summary>The directory's saved state.</summary>
/// <remarks>Persisted: never renumber the members.</remarks>
[GenerateSerializer, Alias("WordCloud.TopicDirectoryState")]
public sealed class TopicDirectoryState
{
    [Id(0)]
    public HashSet<string> Topics { get; set; } = new(StringComparer.Ordinal);

    /// <summary>What each window last reported; a listed topic without one has not reported since it was listed.</summary>
    [Id(1)]
    public Dictionary<string, TopicListing> Listings { get; set; } = new(StringComparer.Ordinal);
}
