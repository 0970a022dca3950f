namespace WordCloud.Grains;

/// <summary>The directory's saved state.</summary>
/// <remarks>Persisted: never renumber the members.</remarks>
[GenerateSerializer, Alias("WordCloud.TopicDirectoryState")]
public sealed class TopicDirectoryState
{
    [Id(0)]
    public HashSet<string> Topics { get; set; } = new(StringComparer.Ordinal);
}
