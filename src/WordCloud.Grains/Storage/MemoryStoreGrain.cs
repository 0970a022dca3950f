using System.Globalization;
using Microsoft.Extensions.Logging;
using Orleans.Placement;

namespace WordCloud.Grains.Storage;

/// <summary>
/// Keeps records in a dictionary for as long as its silo runs: it is never deactivated for being idle nor moved to
/// another silo, and it logs a warning naming the records it drops if it is deactivated all the same (its silo
/// shutting down, or an operator's call). A deleted record is removed, not kept as a marker, so a store that sees
/// many short-lived keys does not grow.
/// </summary>
/// <remarks>
/// Placed on the silo of the grain that first uses it, so a store serving few windows (a single busy topic, say)
/// usually sits beside them and their saves do not cross the network. Its interface and records live here rather
/// than in WordCloud.Abstractions: they cross only between silos, and clients never call a store.
/// </remarks>
[KeepAlive]
[Immovable]
[PreferLocalPlacement]
public sealed partial class MemoryStoreGrain(ILogger<MemoryStoreGrain> logger) : Grain, IMemoryStoreGrain
{
    private const string WriteOperation = "write";

    private readonly Dictionary<string, StoredRecord> _records = new(StringComparer.Ordinal);
    private readonly string _epoch = Guid.NewGuid().ToString("N")[..12];
    private long _version;

    public Task<StoredRecord?> ReadAsync(string key) => Task.FromResult(_records.GetValueOrDefault(key));

    public Task<StoreOutcome> WriteAsync(string key, byte[] data, string? etag) => Task.FromResult(Store(key, etag, data, value: null));

    public Task<StoreOutcome> WriteValueAsync(string key, object value, string? etag) => Task.FromResult(Store(key, etag, data: null, value));

    private StoreOutcome Store(string key, string? etag, byte[]? data, object? value)
    {
        if (Refusal(key, etag, WriteOperation) is { } refused)
        {
            return refused;
        }

        var record = new StoredRecord(data, NextETag(), value);
        _records[key] = record;
        return new StoreOutcome(true, record.ETag);
    }

    public Task<StoreOutcome> DeleteAsync(string key, string? etag)
    {
        if (Refusal(key, etag, "delete") is { } refused)
        {
            return Task.FromResult(refused);
        }

        _records.Remove(key);
        return Task.FromResult(new StoreOutcome(true, null));
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        LogActivated(logger, this.GetPrimaryKeyLong());
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_records.Count > 0)
        {
            LogDroppingRecords(logger, this.GetPrimaryKeyLong(), reason.Description, _records.Count);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// A write must name the ETag of the record it replaces, and null only where there is none, as Orleans' Redis
    /// provider requires: a write naming an ETag where there is no record (this store lost it with the silo that held
    /// it) is refused, so its owner learns that storage lost its state (a window then writes again all it holds) rather
    /// than saving a head that names records which no longer exist. A delete of a record that is not there has nothing
    /// to lose and is done.
    /// </summary>
    private StoreOutcome? Refusal(string key, string? etag, string operation)
    {
        var found = _records.TryGetValue(key, out var stored);
        if ((found || operation == WriteOperation) && !string.Equals(stored?.ETag, etag, StringComparison.Ordinal))
        {
            LogStale(logger, operation, key, etag, stored?.ETag);
            return new StoreOutcome(false, stored?.ETag);
        }

        return null;
    }

    /// <summary>ETags unique for this activation; a random epoch keeps them apart from an earlier activation's.</summary>
    private string NextETag() => string.Create(CultureInfo.InvariantCulture, $"{_epoch}-{++_version}");

    [LoggerMessage(Level = LogLevel.Information, Message = "Memory store {Store} activated")]
    private static partial void LogActivated(ILogger logger, long store);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Memory store {Store} deactivated ({Reason}): its {Count} records are dropped")]
    private static partial void LogDroppingRecords(ILogger logger, long store, string reason, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Memory store: {Operation} of {Key} refused, ETag {Given} does not match the stored {Stored} (none: no record)")]
    private static partial void LogStale(ILogger logger, string operation, string key, string? given, string? stored);
}
