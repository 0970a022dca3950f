namespace WordCloud.Abstractions;

/// <summary>The posts of a window and its top words, read at one instant.</summary>
[GenerateSerializer, Immutable, Alias("WordCloud.WindowSnapshot")]
public sealed record class WindowSnapshot(
    [property: Id(0)] string Topic,
    [property: Id(1)] WindowStats Stats,
    [property: Id(2)] IReadOnlyList<Post> Posts,
    [property: Id(3)] IReadOnlyList<WordCount> Top);
