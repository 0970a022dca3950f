namespace WordCloud.Grains.Storage;

/// <summary>What a store grain did with a write or delete.</summary>
/// <param name="Done">False when the caller named an ETag other than the stored record's.</param>
/// <param name="ETag">The record's ETag now: the new one after a write, null after a delete, the stored one when refused (null: there is no record, and the write named an ETag).</param>
/// <remarks>
/// A refusal is a result, not an exception: a grain call that throws <c>InconsistentStateException</c> deactivates
/// the grain it ran on, and a store grain's records live only in its activation.
/// </remarks>
[GenerateSerializer, Immutable, Alias("WordCloud.Grains.Storage.StoreOutcome")]
public sealed record class StoreOutcome([property: Id(0)] bool Done, [property: Id(1)] string? ETag);
