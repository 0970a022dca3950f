namespace WordCloud.Abstractions;

/// <summary>
/// One post about a topic as clients, the API and readers see it. Only <see cref="Text"/> is required. In a batch, in a
/// window and in storage a post is bytes (<see cref="PostBytes"/>); a <see cref="Post"/> is made only to be read.
/// </summary>
/// <remarks>
/// Never reorder or renumber the members. Posts never refer to each other, so the serializer's per-object reference
/// tracking is switched off for them: pages of posts are read faster and smaller without it.
/// </remarks>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("WordCloud.Post")]
public sealed record class Post(
    [property: Id(0)] string Text,
    [property: Id(1)] string? Id = null,
    [property: Id(2)] string? Author = null,
    [property: Id(3)] DateTimeOffset? CreatedAt = null,
    [property: Id(4)] string? Source = null);
