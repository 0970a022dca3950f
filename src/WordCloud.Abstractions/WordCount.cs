namespace WordCloud.Abstractions;

/// <summary>A word and how many times it occurs in the posts now in a window.</summary>
[GenerateSerializer, Immutable, Alias("WordCloud.WordCount")]
public sealed record class WordCount([property: Id(0)] string Word, [property: Id(1)] int Count);
