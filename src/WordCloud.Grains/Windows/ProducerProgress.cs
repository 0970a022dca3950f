namespace WordCloud.Grains.Windows;

/// <summary>
/// A producer's last applied batch; <see cref="LastSeen"/> orders producers by recency, <see cref="LastUsed"/> says
/// when its last batch was applied (null in heads written before it was kept).
/// </summary>
/// <remarks>Stored: never renumber the members.</remarks>
[GenerateSerializer, Immutable, Alias("WordCloud.ProducerProgress")]
public sealed record class ProducerProgress(
    [property: Id(0)] string ProducerId,
    [property: Id(1)] long Sequence,
    [property: Id(2)] long LastSeen,
    [property: Id(3)] DateTimeOffset? LastUsed = null);
