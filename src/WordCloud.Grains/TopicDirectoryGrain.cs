using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WordCloud.Abstractions;
using WordCloud.Grains.Windows;

namespace WordCloud.Grains;

/// <summary>
/// The topics that have windows, with what each window last reported, kept in the same grain storage as the windows.
/// A new topic is listed when its window first receives posts, up to <c>WordWindow:MaxTopics</c>.
/// </summary>
/// <remarks>
/// A new topic is saved at once: a read of it must find it. The windows' reports are saved at most every
/// <see cref="SaveReportsEvery"/>: they only feed the topic list, and a report lost with the silo is sent again after
/// the window's next change.
/// </remarks>
public sealed partial class TopicDirectoryGrain(
    [PersistentState("topics", WordWindowGrain.StorageName)] IPersistentState<TopicDirectoryState> state,
    IOptions<WordWindowOptions> options,
    ILogger<TopicDirectoryGrain> logger) : Grain, ITopicDirectoryGrain
{
    public static readonly TimeSpan SaveReportsEvery = TimeSpan.FromSeconds(30);

    private IGrainTimer? _save;
    private bool _reportsUnsaved;

    public async Task<bool> AdmitAsync(string topic)
    {
        if (!TopicName.IsNormalized(topic))
        {
            throw new ArgumentException($"invalid topic '{topic}': {TopicName.Rule}", nameof(topic));
        }

        if (state.State.Topics.Contains(topic))
        {
            return true;
        }

        var limit = options.Value.MaxTopics;
        if (state.State.Topics.Count >= limit)
        {
            LogRefused(logger, topic, limit);
            return false;
        }

        state.State.Topics.Add(topic);
        await state.WriteStateAsync();
        _reportsUnsaved = false;
        LogRegistered(logger, topic, state.State.Topics.Count);
        return true;
    }

    public Task<bool> ContainsAsync(string topic) => Task.FromResult(state.State.Topics.Contains(topic));

    public Task ReportAsync(TopicListing listing)
    {
        if (state.State.Topics.Contains(listing.Topic))
        {
            state.State.Listings[listing.Topic] = listing;
            _reportsUnsaved = true;
            _save ??= this.RegisterGrainTimer(SaveReportsAsync, new GrainTimerCreationOptions(SaveReportsEvery, SaveReportsEvery));
        }

        return Task.CompletedTask;
    }

    public Task<TopicPage> GetPageAsync(int skip, int take)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        if (take is < 1 or > TopicPage.MaxTake)
        {
            throw new ArgumentOutOfRangeException(nameof(take), take, $"invalid page size {take}: it must be between 1 and {TopicPage.MaxTake}");
        }

        var listings = state.State.Listings;
        var page = state.State.Topics
            .Select(topic => listings.TryGetValue(topic, out var listing) ? listing : new TopicListing(topic, 0, 0, 0))
            .OrderByDescending(listing => listing.Count)
            .ThenBy(listing => listing.Topic, StringComparer.Ordinal)
            .Skip(skip)
            .Take(take)
            .ToArray();
        return Task.FromResult(new TopicPage(state.State.Topics.Count, page));
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await SaveReportsAsync(cancellationToken);
    }

    private async Task SaveReportsAsync(CancellationToken cancellationToken)
    {
        if (_reportsUnsaved)
        {
            _reportsUnsaved = false;
            await state.WriteStateAsync(cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic} registered; {Count} topics known")]
    private static partial void LogRegistered(ILogger logger, string topic, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Topic {Topic} refused: the cluster keeps windows for at most {Limit} topics (WordWindow:MaxTopics)")]
    private static partial void LogRefused(ILogger logger, string topic, int limit);
}
