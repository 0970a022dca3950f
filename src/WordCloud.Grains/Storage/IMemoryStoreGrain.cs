namespace WordCloud.Grains.Storage;

/// <summary>
/// One of the grains that keep <see cref="InMemoryGrainStorage"/>'s records: serialised states by key, each with the
/// ETag of the write that stored it.
/// </summary>
[Alias("WordCloud.Grains.Storage.IMemoryStoreGrain")]
public interface IMemoryStoreGrain : IGrainWithIntegerKey
{
    /// <summary>The record stored under <paramref name="key"/>, or null when there is none.</summary>
    Task<StoredRecord?> ReadAsync(string key);

    /// <summary>
    /// Stores <paramref name="data"/> under <paramref name="key"/> if the record there still has
    /// <paramref name="etag"/> (null: no record yet); refused when it has another.
    /// </summary>
    Task<StoreOutcome> WriteAsync(string key, [Immutable] byte[] data, string? etag);

    /// <summary>
    /// As <see cref="WriteAsync"/>, for a state of an immutable type, kept as it is: a store on the caller's silo shares
    /// it with the caller, one on another silo receives a copy through the call.
    /// </summary>
    Task<StoreOutcome> WriteValueAsync(string key, [Immutable] object value, string? etag);

    /// <summary>Removes the record under <paramref name="key"/> if it still has <paramref name="etag"/>; refused when it has another.</summary>
    Task<StoreOutcome> DeleteAsync(string key, string? etag);
}
