using Microsoft.Extensions.Logging;
using WordCloud.Abstractions;

namespace WordCloud.Grains;

/// <summary>What a <see cref="WordWindowGrain"/> logs.</summary>
internal static partial class WordWindowLog
{
    /// <summary>What became of a batch: its rejected posts (a warning), a dropped retry, a batch sent back, or what was appended.</summary>
    public static void Outcome(ILogger logger, string topic, PostBatch batch, AppendResult result)
    {
        if (result.Rejected.Count > 0)
        {
            var first = result.Rejected[0];
            Rejected(logger, topic, result.Rejected.Count, batch.Count, first.Index, first.Reason);
        }

        if (result.AlreadyApplied)
        {
            DuplicateBatch(logger, topic, batch.ProducerId!, batch.Sequence);
        }
        else if (result.OutOfOrder)
        {
            OutOfOrder(logger, topic, batch.ProducerId!, batch.Sequence);
        }
        else
        {
            Appended(logger, topic, result.Accepted, result.Evicted, result.TotalAppended);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Window {Topic} activated: capacity {Capacity}, {Count} posts restored, {TotalAppended} appended in its lifetime")]
    public static partial void Activated(ILogger logger, string topic, int capacity, int count, long totalAppended);

    [LoggerMessage(Level = LogLevel.Information, Message = "Window {Topic} deactivated ({Reason}) holding {Count} posts")]
    public static partial void Deactivated(ILogger logger, string topic, string reason, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused calls for grain key '{Topic}': not a normalised topic")]
    public static partial void InvalidTopic(ILogger logger, string topic);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Window {Topic} does not activate: {Reason}")]
    public static partial void Damaged(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Window {Topic} rejected {Rejected} of {BatchSize} posts; first at index {Index}: {Reason}")]
    public static partial void Rejected(ILogger logger, string topic, int rejected, int batchSize, int index, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Window {Topic} could not list itself in the topic directory, trying again on the next append: {Reason}")]
    public static partial void RegistrationFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Window {Topic} dropped batch {Sequence} of producer {ProducerId}: it was applied before (a retry)")]
    public static partial void DuplicateBatch(ILogger logger, string topic, string producerId, long sequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Window {Topic} sent back batch {Sequence} of producer {ProducerId}: the batch before it did not arrive within the wait")]
    public static partial void OutOfOrder(ILogger logger, string topic, string producerId, long sequence);

    [LoggerMessage(Level = LogLevel.Error, Message = "Window {Topic} could not save its state ({Error}: {Message}); the append fails and the window reloads from storage")]
    public static partial void SaveFailed(ILogger logger, string topic, string error, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Window {Topic} did not push its cloud: a save failed ({Reason}); watchers find it again when they renew")]
    public static partial void PushSkipped(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Window {Topic} appended {Accepted} posts, evicted {Evicted}; {TotalAppended} appended in its lifetime")]
    public static partial void Appended(ILogger logger, string topic, int accepted, int evicted, long totalAppended);
}
