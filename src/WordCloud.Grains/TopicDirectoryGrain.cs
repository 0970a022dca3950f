using Microsoft.Extensions.Logging;
using WordCloud.Abstractions;

namespace WordCloud.Grains;

/// <summary>The set of topics with posts, kept in the same grain storage as the windows.</summary>
public sealed partial class TopicDirectoryGrain(
    [PersistentState("topics", WordWindowGrain.StorageName)] IPersistentState<TopicDirectoryState> state,
    ILogger<TopicDirectoryGrain> logger) : Grain, ITopicDirectoryGrain
{
    public async Task RegisterAsync(string topic)
    {
        if (!TopicName.IsNormalized(topic))
        {
            throw new ArgumentException($"invalid topic '{topic}': {TopicName.Rule}", nameof(topic));
        }

        if (state.State.Topics.Add(topic))
        {
            await state.WriteStateAsync();
            LogRegistered(logger, topic, state.State.Topics.Count);
        }
    }

    public Task<IReadOnlyList<string>> GetTopicsAsync() =>
        Task.FromResult<IReadOnlyList<string>>([.. state.State.Topics.Order(StringComparer.Ordinal)]);

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic} registered; {Count} topics known")]
    private static partial void LogRegistered(ILogger logger, string topic, int count);
}
