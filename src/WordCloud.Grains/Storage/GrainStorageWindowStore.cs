using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using WordCloud.Grains.Windows;

namespace WordCloud.Grains.Storage;

/// <summary>
/// A window's <see cref="IWindowStore"/> in an Orleans grain storage provider: the head as state "head" of the window
/// grain, each segment as a state named by its key, with the ETags of what this activation read or wrote.
/// </summary>
/// <remarks>
/// A provider's own exception reaches callers as an <see cref="OrleansException"/> that names it, as Orleans reports
/// storage failures of persistent state, so that a client retries it as it retries any failure of the cluster.
/// <para>
/// Each call is a span of <see cref="ActivitySourceName"/> ("storage write", tag <c>wordcloud.storage.record</c>), below
/// the grain call that caused it. Orleans traces storage calls only of <c>IPersistentState</c>, which a window, with
/// its many records, does not use.
/// </para>
/// </remarks>
public sealed partial class GrainStorageWindowStore(IGrainStorage storage, GrainId grainId, WordCloudMetrics? metrics = null, ILogger? logger = null) : IWindowStore
{
    public const string HeadName = "head";

    public const string ActivitySourceName = "WordCloud.Storage";

    private static readonly ActivitySource Spans = new(ActivitySourceName);

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
        using var span = Spans.StartActivity($"storage {operation}", ActivityKind.Client);
        span?.SetTag("wordcloud.storage.record", key);
        var started = Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            await call();
            failed = false;
        }
        catch (Exception failure) when (failure is not OrleansException and not OperationCanceledException)
        {
            var message = $"window storage could not {operation} '{key}' of {grainId}: {failure.GetType().Name}: {failure.Message}";
            span?.SetStatus(ActivityStatusCode.Error, message);
            if (logger is not null)
            {
                LogProviderFailed(logger, operation, key, grainId.ToString(), failure);
            }

            // Without the provider's exception inside: it travels to the caller, and a client without the provider's
            // assembly (a producer has no Redis persistence) could not read the answer and would fail on a TypeLoadException.
            throw new OrleansException(message);
        }
        catch (Exception failure) when (span is not null)
        {
            span.SetStatus(ActivityStatusCode.Error, $"{failure.GetType().Name}: {failure.Message}");
            throw;
        }
        finally
        {
            metrics?.RecordStorageCall(operation, failed, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>The provider's exception, stack included, stays here: callers get its type and message only.</summary>
    [LoggerMessage(Level = LogLevel.Error, Message = "Window storage could not {Operation} '{Key}' of {Grain}")]
    private static partial void LogProviderFailed(ILogger logger, string operation, string key, string grain, Exception failure);
}
