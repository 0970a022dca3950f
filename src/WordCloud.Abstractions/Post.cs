namespace WordCloud.Abstractions;

/// <summary>One post about a topic. Only <see cref="Text"/> is required.</summary>
/// <remarks>
/// Persisted in grain state: never reorder or renumber the members. A window's state holds every post it keeps, and
/// posts never refer to each other, so the serializer's per-object reference tracking (two thirds of the cost of
/// writing a large window, measured with dotnet-trace) is switched off for them.
/// </remarks>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("WordCloud.Post")]
public sealed record class Post(
    [property: Id(0)] string Text,
    [property: Id(1)] string? Id = null,
    [property: Id(2)] string? Author = null,
    [property: Id(3)] DateTimeOffset? CreatedAt = null,
    [property: Id(4)] string? Source = null);
