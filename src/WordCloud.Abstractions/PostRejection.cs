namespace WordCloud.Abstractions;

/// <summary>A post the window refused: its index in the batch and why.</summary>
[GenerateSerializer, Immutable, Alias("WordCloud.PostRejection")]
public sealed record class PostRejection([property: Id(0)] int Index, [property: Id(1)] string Reason);
