namespace WordCloud.Grains.Storage;

/// <summary>
/// A state as <see cref="InMemoryGrainStorage"/> keeps it, with the ETag of the write that stored it: its serialised
/// bytes, or, for a state of an immutable type, the state itself (<see cref="Value"/>; <see cref="Data"/> null).
/// </summary>
/// <remarks>Never changed once made: reads hand out the stored array or state itself.</remarks>
[GenerateSerializer, Immutable, Alias("WordCloud.Grains.Storage.StoredRecord")]
public sealed record class StoredRecord([property: Id(0)] byte[]? Data, [property: Id(1)] string ETag, [property: Id(2)] object? Value = null);
