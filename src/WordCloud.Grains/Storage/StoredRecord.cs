namespace WordCloud.Grains.Storage;

/// <summary>A state as <see cref="InMemoryGrainStorage"/> keeps it: its serialised bytes and its ETag.</summary>
/// <remarks>Never changed once made: reads hand out the stored array itself.</remarks>
[GenerateSerializer, Immutable, Alias("WordCloud.Grains.Storage.StoredRecord")]
public sealed record class StoredRecord([property: Id(0)] byte[] Data, [property: Id(1)] string ETag);
