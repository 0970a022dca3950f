using System.Runtime.InteropServices;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace WordCloud.Grains.Storage;

/// <summary>
/// Grain storage kept in memory by a fixed set of <see cref="IMemoryStoreGrain"/>s spread over the cluster: the
/// embedded default, where state lives as long as the silos do. It does what Orleans' in-memory storage does, with
/// two differences that matter to windows, which save on every batch: a state crosses to its store as one byte
/// array (Orleans' store takes a <c>ReadOnlyMemory&lt;byte&gt;</c>, which Orleans 10 copies and serialises one byte
/// at a time: a third of a silo's time under load), and a deleted record is removed rather than kept as a marker.
/// </summary>
public sealed class InMemoryGrainStorage(
    IGrainFactory grains,
    IGrainStorageSerializer serializer,
    IActivatorProvider activators,
    int stores) : IGrainStorage
{
    /// <summary>How many store grains a storage uses unless told otherwise: enough to spread over a few silos.</summary>
    public const int DefaultStores = 16;

    private readonly IMemoryStoreGrain[] _stores = [.. Enumerable.Range(0, stores).Select(index => grains.GetGrain<IMemoryStoreGrain>(index))];

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = KeyOf(stateName, grainId);
        var record = await StoreOf(key).ReadAsync(key);
        grainState.State = record is null ? activators.GetActivator<T>().Create() : serializer.Deserialize<T>(new BinaryData(record.Data)) ?? activators.GetActivator<T>().Create();
        grainState.ETag = record?.ETag;
        grainState.RecordExists = record is not null;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = KeyOf(stateName, grainId);
        var bytes = serializer.Serialize(grainState.State).ToMemory();
        var data = MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToArray();
        var outcome = await StoreOf(key).WriteAsync(key, data, grainState.ETag);
        ThrowIfRefused(outcome, "write", key, grainState.ETag);
        grainState.ETag = outcome.ETag;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = KeyOf(stateName, grainId);
        ThrowIfRefused(await StoreOf(key).DeleteAsync(key, grainState.ETag), "clear", key, grainState.ETag);
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = activators.GetActivator<T>().Create();
    }

    /// <summary>Thrown here, in the grain that saves, so Orleans deactivates that grain (not the store).</summary>
    private static void ThrowIfRefused(StoreOutcome outcome, string operation, string key, string? etag)
    {
        if (!outcome.Done)
        {
            throw new InconsistentStateException(
                $"{operation} of '{key}' refused: it names ETag '{etag ?? "(none)"}' but the stored record has '{outcome.ETag}'",
                outcome.ETag,
                etag);
        }
    }

    private static string KeyOf(string stateName, GrainId grainId) => $"{grainId}/{stateName}";

    /// <summary>The store for a key: the same in every silo and every run (string.GetHashCode is not).</summary>
    private IMemoryStoreGrain StoreOf(string key)
    {
        // FNV-1a over the key's UTF-16 code units.
        var hash = 2166136261u;
        foreach (var unit in key)
        {
            hash = (hash ^ unit) * 16777619u;
        }

        return _stores[hash % (uint)_stores.Length];
    }
}
