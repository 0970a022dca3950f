using WordCloud.Abstractions;

namespace WordCloud.Grains.Windows;

/// <summary>
/// What a WordWindow saves: its posts, oldest first, its lifetime totals and the producers' last batches. Word counts
/// are rebuilt from the posts on load.
/// </summary>
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

    /// <summary>The last batch applied for each recent producer, so a retried batch is not counted twice.</summary>
    [Id(3)]
    public ProducerProgress[] Producers { get; set; } = [];
}
