namespace WordCloud.Abstractions;

/// <summary>One post about a topic. Only <see cref="Text"/> is required.</summary>
/// <remarks>Persisted in grain state: never reorder or renumber the members.</remarks>
[GenerateSerializer, Immutable, Alias("WordCloud.Post")]
public sealed record class Post(
    [property: Id(0)] string Text,
    [property: Id(1)] string? Id = null,
    [property: Id(2)] string? Author = null,
    [property: Id(3)] DateTimeOffset? CreatedAt = null,
    [property: Id(4)] string? Source = null);
