using Orleans.Storage;
using WordCloud.Grains.Windows;

namespace WordCloud.Grains.Storage;

/// <summary>
/// A window's <see cref="IWindowStore"/> in an Orleans grain storage provider: the head as state "head" of the window
/// grain, each segment as a state named by its key, with the ETags of what this activation read or wrote.
/// </summary>
/// <remarks>
/// A provider's own exception reaches callers as an <see cref="OrleansException"/> around it, as Orleans reports
/// storage failures of persistent state, so that a client retries it as it retries any failure of the cluster.
/// </remarks>
public sealed class GrainStorageWindowStore(IGrainStorage storage, GrainId grainId) : IWindowStore
{
    public const string HeadName = "head";

    private readonly Dictionary<string, string?> _segmentETags = new(StringComparer.Ordinal);
    private string? _headETag;
    private bool _headExists;

    public async Task<StoredWindowHead?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        var state = new GrainState<StoredWindowHead>();
        await CallAsync("read", HeadName, () => storage.ReadStateAsync(HeadName, grainId, state, cancellationToken));
        (_headETag, _headExists) = (state.ETag, state.RecordExists);
        return state.RecordExists ? state.State : null;
    }

    public async Task WriteHeadAsync(StoredWindowHead head)
    {
        var state = new GrainState<StoredWindowHead>(head) { ETag = _headETag, RecordExists = _headExists };
        await CallAsync("write", HeadName, () => storage.WriteStateAsync(HeadName, grainId, state));
        (_headETag, _headExists) = (state.ETag, true);
    }

    public async Task<StoredSegment?> ReadSegmentAsync(string key, CancellationToken cancellationToken)
    {
        var state = new GrainState<StoredSegment>();
        await CallAsync("read", key, () => storage.ReadStateAsync(key, grainId, state, cancellationToken));
        if (!state.RecordExists || state.State is not { } segment)
        {
            return null;
        }

        _segmentETags[key] = state.ETag;
        return segment;
    }

    public async Task WriteSegmentAsync(string key, StoredSegment segment)
    {
        var state = new GrainState<StoredSegment>(segment);
        await CallAsync("write", key, () => storage.WriteStateAsync(key, grainId, state));
        _segmentETags[key] = state.ETag;
    }

    public async Task DeleteSegmentAsync(string key)
    {
        _segmentETags.Remove(key, out var etag);
        var state = new GrainState<StoredSegment> { ETag = etag, RecordExists = true };
        await CallAsync("delete", key, () => storage.ClearStateAsync(key, grainId, state));
    }

    private async Task CallAsync(string operation, string key, Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception failure) when (failure is not OrleansException and not OperationCanceledException)
        {
            throw new OrleansException($"window storage could not {operation} '{key}' of {grainId}: {failure.GetType().Name}: {failure.Message}", failure);
        }
    }
}
