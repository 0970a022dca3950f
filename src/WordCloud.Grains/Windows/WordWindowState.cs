using WordCloud.Abstractions;

namespace WordCloud.Grains.Windows;

/// <summary>What a WordWindow saves: its posts, oldest first, and its lifetime totals. Counts are rebuilt on load.</summary>
/// <remarks>Persisted: never renumber the members.</remarks>
[GenerateSerializer, Alias("WordCloud.WordWindowState")]
public sealed class WordWindowState
{
    [Id(0)]
    public Post[] Posts { get; set; } = [];

    [Id(1)]
    public long TotalAppended { get; set; }

    [Id(2)]
    public long TotalEvicted { get; set; }
}
