using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace WordCloud.Grains.Storage;

/// <summary>
/// Grain storage kept in memory by a fixed set of <see cref="IMemoryStoreGrain"/>s spread over the cluster: the
/// embedded default, where a grain's state lives as long as the silo holding its store. It does what Orleans'
/// in-memory storage does, with differences that matter to windows, which save on every batch
/// (BENCHMARKS.md, "Why the code is as it is"):
/// <list type="bullet">
/// <item>A state crosses to its store as one byte array. Orleans' store takes a <c>ReadOnlyMemory&lt;byte&gt;</c>,
/// which its copier and codec handle one byte at a time.</item>
/// <item>Every state of one grain is in the same store, so a lost silo loses whole grains, which start afresh,
/// never a window's head without one of the segments it names.</item>
/// <item>A deleted record is removed rather than kept as a marker, so short-lived keys do not accumulate.</item>
/// <item>A write naming an ETag where the store holds no record is refused, as by Orleans' Redis provider (Orleans'
/// in-memory storage takes it): after a store was lost with its silo, its owner's next write fails with an
/// <see cref="InconsistentStateException"/>, and a window then writes all it holds again instead of saving heads that
/// name segments which are gone (<c>PersistentWindow</c>).</item>
/// <item>A state of a type marked <see cref="ImmutableAttribute"/> (a window's segments) is kept as it is, not as a
/// serialised copy: it never changes once made. A window's segments point into the bytes the window holds, so a
/// store beside its window holds no second copy of them, and merging segments copies nothing.</item>
/// </list>
/// Other states are kept in Orleans' binary format.
/// </summary>
public sealed class InMemoryGrainStorage : IGrainStorage
{
    /// <summary>How many store grains a storage uses unless told otherwise: enough to spread over a few silos.</summary>
    public const int DefaultStores = 16;

    private readonly string _name;
    private readonly Serializer _serializer;
    private readonly IActivatorProvider _activators;
    private readonly IMemoryStoreGrain[] _stores;

    public InMemoryGrainStorage(string name, IGrainFactory grains, Serializer serializer, IActivatorProvider activators, int stores)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stores, 1);
        _name = name;
        _serializer = serializer;
        _activators = activators;
        _stores = [.. Enumerable.Range(0, stores).Select(index => grains.GetGrain<IMemoryStoreGrain>(index))];
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var record = await StoreOf(grainId).ReadAsync(KeyOf(stateName, grainId));
        grainState.State = record switch
        {
            null => Fresh<T>(),
            { Value: { } value } => (T)value,
            _ => _serializer.Deserialize<T>(record.Data!),
        };
        grainState.ETag = record?.ETag;
        grainState.RecordExists = record is not null;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = KeyOf(stateName, grainId);
        var store = StoreOf(grainId);
        var outcome = grainState.State is { } state && IsImmutable(state.GetType())
            ? await store.WriteValueAsync(key, state, grainState.ETag)
            : await store.WriteAsync(key, _serializer.SerializeToArray(grainState.State), grainState.ETag);
        ThrowIfRefused(outcome, "write", key, grainState.ETag);
        grainState.ETag = outcome.ETag;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = KeyOf(stateName, grainId);
        ThrowIfRefused(await StoreOf(grainId).DeleteAsync(key, grainState.ETag), "clear", key, grainState.ETag);
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Fresh<T>();
    }

    /// <summary>Thrown here, in the grain that saves, so Orleans deactivates that grain (not the store).</summary>
    private static void ThrowIfRefused(StoreOutcome outcome, string operation, string key, string? etag)
    {
        if (!outcome.Done)
        {
            throw new InconsistentStateException(
                $"{operation} of '{key}' refused: it names ETag '{etag ?? "(none)"}' but the stored record has '{outcome.ETag ?? "(none: there is no record)"}'",
                outcome.ETag ?? string.Empty,
                etag);
        }
    }

    private static bool IsImmutable(Type type) => s_immutable.GetOrAdd(type, static type => type.IsDefined(typeof(ImmutableAttribute), inherit: false));

    private static readonly ConcurrentDictionary<Type, bool> s_immutable = new();

    private T Fresh<T>() => _activators.GetActivator<T>().Create();

    private string KeyOf(string stateName, GrainId grainId) => $"{_name}/{grainId}/{stateName}";

    private IMemoryStoreGrain StoreOf(GrainId grainId) => _stores[StoreIndexOf(_name, grainId, _stores.Length)];

    /// <summary>
    /// The key of the store grain that keeps the states of <paramref name="grainId"/> in the storage named
    /// <paramref name="name"/> with <paramref name="stores"/> stores: the same in every silo and every run
    /// (string.GetHashCode is not).
    /// </summary>
    public static int StoreIndexOf(string name, GrainId grainId, int stores)
    {
        // FNV-1a over the UTF-16 code units of "name/grain".
        var hash = 2166136261u;
        foreach (var unit in $"{name}/{grainId}")
        {
            hash = (hash ^ unit) * 16777619u;
        }

        return (int)(hash % (uint)stores);
    }
}
