using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Orleans.Placement;
using Orleans.Storage;
using WordCloud.Abstractions;
using WordCloud.Grains.Text;
using WordCloud.Grains.Windows;

namespace WordCloud.Grains;

/// <summary>
/// One topic's window of recent posts. A thin shell around <see cref="WordWindow"/>: it checks the topic key,
/// rebuilds the window from storage on activation, and saves it before acknowledging a batch.
/// </summary>
/// <remarks>
/// Reentrant for group commit: an append changes the window in one synchronous step (no await between reading and
/// changing it), then awaits only the <see cref="CoalescingWriter"/>, so appends that arrive while a write is under
/// way are applied in arrival order and share the next write. Reads may interleave with an append that waits for its
/// write, and see its posts a moment before it is acknowledged.
/// <para>
/// Placed on the silo whose gateway brought the call that activated it. An Orleans client sends every call for one
/// grain through the same gateway, so a producer's batches then reach the window without a second hop, in which the
/// gateway silo decodes and encodes every post again (a fifth of the two cores' time in the 1-topic load, where the
/// default placement put the window on the other silo in about half the runs).
/// </para>
/// </remarks>
[Reentrant]
[PreferLocalPlacement]
public sealed partial class WordWindowGrain(
    [PersistentState("head", WordWindowGrain.StorageName)] IPersistentState<WordWindowHead> head,
    IOptions<WordWindowOptions> options,
    Tokenizer tokenizer,
    WordCloudMetrics metrics,
    ILogger<WordWindowGrain> logger) : Grain, IWordWindowGrain
{
    /// <summary>The grain storage provider the silo must register for windows.</summary>
    public const string StorageName = "WordWindows";

    /// <summary>
    /// How long a batch that arrived before its predecessor waits for it before it is sent back as out of order: long
    /// enough for a batch that took another way (gateway) to arrive, well under a client's 5-second call timeout.
    /// </summary>
    public static readonly TimeSpan PredecessorWait = TimeSpan.FromSeconds(1);

    private readonly ProducerLedger _producers = new();
    private readonly WaitingBatches _waitingBatches = new();
    private CoalescingWriter? _writer;
    private SegmentStore? _segments;
    private WordWindow? _window;
    private string? _topicError;
    private bool _registered;

    private WordWindow Window => _topicError is null
        ? _window!
        : throw new ArgumentException(_topicError);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var topic = this.GetPrimaryKeyString();
        if (!TopicName.IsNormalized(topic))
        {
            // Callers normalise topics before asking for a grain; a raw key is refused on every call, not activated.
            _topicError = $"invalid topic key '{topic}': {TopicName.Rule}; normalise it with TopicName.Normalize";
            LogInvalidTopic(logger, topic);
            return;
        }

        var settings = options.Value;
        var saved = head.State;
        _segments = new SegmentStore(ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageName), this.GetGrainId(), settings.SegmentSize, settings.InlinePosts);
        var posts = await _segments.ReadAsync(saved, cancellationToken);
        if (posts.Count != saved.TotalAppended - saved.First)
        {
            // Renumbering what is left would misplace every later post: refuse to activate, loudly.
            LogSegmentsMissing(logger, topic, saved.TotalAppended - saved.First, posts.Count);
            throw new InvalidOperationException($"window {topic}: its head names {saved.TotalAppended - saved.First} posts but its segments hold {posts.Count}");
        }

        _window = new WordWindow(settings.Capacity, tokenizer, settings.ExcludeTopicWord ? topic : null);
        _window.Restore(posts, saved.TotalAppended, saved.TotalEvicted);
        ReleaseStoredText(saved);
        _producers.Restore(saved.Producers);
        _writer = new CoalescingWriter(WriteAsync);
        LogActivated(logger, topic, _window.Capacity, _window.Count, _window.TotalAppended);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        LogDeactivated(logger, this.GetPrimaryKeyString(), reason.ReasonCode.ToString(), _window?.Count ?? 0);
        if (_writer is not null)
        {
            // Callers of a failed write have their exception already; this only keeps the loop from being cut off.
            await _writer.Idle.WaitAsync(cancellationToken);
        }
    }

    public async Task<AppendResult> AppendAsync(IReadOnlyList<Post> posts)
    {
        var window = Window;
        ArgumentNullException.ThrowIfNull(posts);
        var result = window.Append(posts);
        if (result.Accepted > 0)
        {
            await SaveAsync();
        }

        Report(result, posts.Count);
        return result;
    }

    public async Task<AppendResult> AppendBatchAsync(PostBatch batch)
    {
        var window = Window;
        if (PostBatch.Validate(batch) is { } error)
        {
            throw new ArgumentException($"invalid batch: {error}", nameof(batch));
        }

        // A batch ahead of its predecessor waits for it (briefly), then looks again: by then it may be next, or a
        // retry of it may have been applied meanwhile.
        while (true)
        {
            if (_producers.IsApplied(batch.ProducerId, batch.Sequence))
            {
                // Its first attempt may still be waiting for its write: the retry is acknowledged only once that is done.
                LogDuplicateBatch(logger, this.GetPrimaryKeyString(), batch.ProducerId, batch.Sequence);
                await _writer!.WhenSavedAsync();
                return new AppendResult(0, [], 0, AlreadyApplied: true);
            }

            if (!_producers.IsAhead(batch.ProducerId, batch.Sequence))
            {
                break;
            }

            if (!await WaitForPredecessorAsync(batch))
            {
                LogOutOfOrder(logger, this.GetPrimaryKeyString(), batch.ProducerId, batch.Sequence);
                return new AppendResult(0, [], 0, OutOfOrder: true);
            }
        }

        var result = window.Append(batch.Posts);
        // The window copied what it keeps: a received batch's buffer goes back to the pool.
        (batch.Posts as PackedPostList)?.Release();
        _producers.Record(batch.ProducerId, batch.Sequence);
        _waitingBatches.Applied(batch.ProducerId, batch.Sequence);
        await SaveAsync();
        Report(result, batch.Posts.Count);
        return result;
    }

    /// <summary>
    /// Waits up to <see cref="PredecessorWait"/> for the batch before <paramref name="batch"/> to be applied; false if
    /// it still is not (lost, or its producer gave up), or if too many batches wait already.
    /// </summary>
    private async Task<bool> WaitForPredecessorAsync(PostBatch batch)
    {
        if (_waitingBatches.WaitForPredecessor(batch.ProducerId, batch.Sequence) is not { } wait)
        {
            return false;
        }

        try
        {
            await wait.WaitAsync(PredecessorWait);
            return true;
        }
        catch (TimeoutException)
        {
            _waitingBatches.GiveUp(batch.ProducerId, batch.Sequence, wait);
            // The predecessor may have been applied as the wait ran out: the caller looks at the ledger again.
            return !_producers.IsAhead(batch.ProducerId, batch.Sequence);
        }
    }

    /// <summary>
    /// Returns once the window, with this change, is in storage. If the write fails, this activation's memory is
    /// ahead of storage: it deactivates, so the next call rebuilds the window from what storage really holds and a
    /// retry of the same batch is applied rather than taken for a duplicate.
    /// </summary>
    private async Task SaveAsync()
    {
        try
        {
            await _writer!.SaveAsync();
        }
        catch (Exception failure)
        {
            LogWriteFailed(logger, this.GetPrimaryKeyString(), failure.GetType().Name, failure.Message);
            DeactivateOnIdle();
            throw;
        }

        await RegisterTopicAsync();
    }

    /// <summary>
    /// One save of every change made so far: the posts not yet in a segment go into the head's tail while there are
    /// at most <c>WordWindow:InlinePosts</c>, else out as delta segments under new keys (merged with earlier deltas of
    /// the same segment number, or written whole once that number is complete; see <see cref="SegmentStore"/>); then
    /// the head that names them (a failure or crash before the head is stored leaves the previous head and every
    /// segment it names as they were); then the clearing of the segments the new head no longer names. What is written is captured before the first await, so posts arriving meanwhile wait
    /// for the next save.
    /// </summary>
    private async Task WriteAsync()
    {
        var window = _window!;
        var saved = head.State;
        var save = _segments!.Capture(window, saved);
        var next = new WordWindowHead
        {
            First = window.TotalAppended - window.Count,
            TotalAppended = window.TotalAppended,
            TotalEvicted = window.TotalEvicted,
            Producers = _producers.Save(),
            FirstSegment = save.FirstSegment,
            SegmentKeys = save.Keys,
            SegmentSize = options.Value.SegmentSize,
            TailFirst = save.TailFirst,
            Tail = save.Tail,
        };
        await save.WriteAsync();
        metrics.RecordSegmentPostsWritten(save.PostsToWrite);
        head.State = next;
        try
        {
            await head.WriteStateAsync();
        }
        catch
        {
            // Not stored: the head in memory must stay the one storage has, for the reload that follows.
            head.State = saved;
            throw;
        }

        ReleaseStoredText(next);
        var unreferenced = saved.SegmentKeys.Except(save.Keys, StringComparer.Ordinal).ToArray();
        if (unreferenced.Length > 0 && await _segments.ForgetAsync(unreferenced, CancellationToken.None) is > 0 and var failed)
        {
            LogClearFailed(logger, this.GetPrimaryKeyString(), failed);
        }
    }

    /// <summary>
    /// Lets the window forget the text of its older posts once <paramref name="stored"/> (now in storage) holds them in
    /// segments no save will write again, keeping the newest <c>WordWindow:TextInMemory</c>: a big window then costs
    /// its word ids here, and its text only in storage.
    /// </summary>
    private void ReleaseStoredText(WordWindowHead stored)
    {
        var window = _window!;
        window.ReleaseTextBefore(Math.Min(_segments!.StoredWholeBefore(stored), window.TotalAppended - options.Value.TextInMemory));
    }

    /// <summary>
    /// Every held post, oldest first, with the stats and (when <paramref name="top"/> is given) the top words of the same
    /// moment. Posts whose text is in storage only are read from there first; appends go on meanwhile, so posts that
    /// left the window during the reads are dropped, text released during them is read too, and the result is put
    /// together in one step at the end, from the posts read and the text in memory at that moment.
    /// </summary>
    private async Task<(Post[] Posts, WindowStats Stats, WordCount[]? Top)> ReadWholeWindowAsync(int? top)
    {
        var window = Window;
        var stored = new List<Post>();
        var storedFirst = window.First;
        for (var reads = 0; storedFirst + stored.Count < window.TextFrom; reads++)
        {
            if (reads == MaxStorageReadRounds)
            {
                throw new InvalidOperationException($"window {this.GetPrimaryKeyString()} kept releasing text during {reads} rounds of reading it from storage; read it in pages (GetPostPage) instead");
            }

            var from = Math.Max(storedFirst + stored.Count, window.First);
            var (readFirst, read) = await _segments!.ReadRangeAsync(head.State, from, window.TextFrom, CancellationToken.None);
            if (readFirst != storedFirst + stored.Count)
            {
                // A gap: the posts before it left the window (their segments were cleared), so only what follows counts.
                stored.Clear();
                storedFirst = readFirst;
            }

            stored.AddRange(read);
            if (read.Count == 0)
            {
                // Everything asked for had left the window: go on from what it holds now.
                stored.Clear();
                storedFirst = window.First;
            }
        }

        // From here on nothing awaits, so the posts, the stats and the top words are of one moment.
        var gone = (int)Math.Clamp(window.First - storedFirst, 0, stored.Count);
        var inMemory = window.GetNewestPosts((int)(window.TotalAppended - Math.Max(window.TextFrom, window.First)));
        Post[] posts = stored.Count - gone + inMemory.Length == window.Count
            ? [.. stored.Skip(gone), .. inMemory]
            : throw new InvalidOperationException($"window {this.GetPrimaryKeyString()}: {stored.Count - gone} posts read from storage and {inMemory.Length} in memory, but it holds {window.Count}");
        return (posts, window.Stats, top is { } count ? window.GetTopWords(count) : null);
    }

    /// <summary>How many times a whole-window read goes back to storage for text released while it read.</summary>
    private const int MaxStorageReadRounds = 100;

    private void Report(AppendResult result, int batchSize)
    {
        metrics.Record(result.Accepted, result.Evicted, result.Rejected.Count);
        if (result.Rejected.Count > 0)
        {
            var first = result.Rejected[0];
            LogRejected(logger, this.GetPrimaryKeyString(), result.Rejected.Count, batchSize, first.Index, first.Reason);
        }

        LogAppended(logger, this.GetPrimaryKeyString(), result.Accepted, result.Evicted, _window?.Count ?? 0);
    }

    /// <summary>
    /// Lists the topic in the directory, once per activation (the directory ignores topics it knows). The posts are
    /// already saved, so a failure here only delays the listing to the next append; it does not fail the append.
    /// </summary>
    private async Task RegisterTopicAsync()
    {
        if (_registered)
        {
            return;
        }

        try
        {
            await GrainFactory.GetGrain<ITopicDirectoryGrain>(ITopicDirectoryGrain.Key).RegisterAsync(this.GetPrimaryKeyString());
            _registered = true;
        }
        catch (Exception failure) when (failure is OrleansException or TimeoutException)
        {
            LogRegistrationFailed(logger, this.GetPrimaryKeyString(), failure.Message);
        }
    }

    public async Task<IReadOnlyList<Post>> GetPostsAsync() => (await ReadWholeWindowAsync(top: null)).Posts;

    public Task<IReadOnlyList<WordCount>> GetTopWordsAsync(int count) =>
        Task.FromResult<IReadOnlyList<WordCount>>(Window.GetTopWords(count));

    public Task<WindowStats> GetStatsAsync() => Task.FromResult(Window.Stats);

    public async Task<PostPage> GetPostPageAsync(long first, int maxPosts)
    {
        var window = Window;
        if (maxPosts is < 1 or > PostPage.MaxPosts)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPosts), maxPosts, $"invalid page size {maxPosts}: it must be between 1 and {PostPage.MaxPosts}");
        }

        if (first < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(first), first, $"invalid post number {first}: posts are numbered from 0");
        }

        for (var reads = 0; Math.Max(first, window.First) < window.TextFrom; reads++)
        {
            if (reads == MaxStorageReadRounds)
            {
                throw new InvalidOperationException($"window {this.GetPrimaryKeyString()}: the posts from {first} left the window during each of {reads} reads from storage");
            }

            // Older posts' text is in storage: this page stops where the text in memory begins.
            var from = Math.Max(first, window.First);
            var (readFirst, read) = await _segments!.ReadRangeAsync(head.State, from, Math.Min(window.TextFrom, from + maxPosts), CancellationToken.None);

            // Posts that left the window while the read waited are not part of the page; if none is left, read again
            // from the oldest held now (which may be in storage still).
            var gone = (int)Math.Clamp(window.First - readFirst, 0, read.Count);
            if (read.Count > gone)
            {
                return new PostPage(readFirst + gone, WordWindow.TakeUpTo(read.Skip(gone), maxPosts, PostPage.MaxChars), window.Stats);
            }
        }

        var posts = window.GetPostsFrom(first, maxPosts, PostPage.MaxChars, out var actualFirst);
        return new PostPage(actualFirst, posts, window.Stats);
    }

    public async Task<WindowSnapshot> GetSnapshotAsync(int top)
    {
        var (posts, stats, topWords) = await ReadWholeWindowAsync(top);
        return new WindowSnapshot(this.GetPrimaryKeyString(), stats, posts, topWords!);
    }

    public Task<WordCloudView> GetCloudAsync(int top, int newestPosts)
    {
        var window = Window;
        if (newestPosts is < 0 or > WindowLimits.MaxNewestPosts)
        {
            throw new ArgumentOutOfRangeException(nameof(newestPosts), newestPosts,
                $"invalid newest-posts count {newestPosts}: it must be between 0 and {WindowLimits.MaxNewestPosts}");
        }

        return Task.FromResult(new WordCloudView(this.GetPrimaryKeyString(), window.Stats, window.GetTopWords(top), window.GetNewestPosts(newestPosts)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Window {Topic} activated: capacity {Capacity}, {Count} posts restored, {TotalAppended} appended in its lifetime")]
    private static partial void LogActivated(ILogger logger, string topic, int capacity, int count, long totalAppended);

    [LoggerMessage(Level = LogLevel.Information, Message = "Window {Topic} deactivated ({Reason}) holding {Count} posts")]
    private static partial void LogDeactivated(ILogger logger, string topic, string reason, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused calls for grain key '{Topic}': not a normalised topic")]
    private static partial void LogInvalidTopic(ILogger logger, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Window {Topic} rejected {Rejected} of {BatchSize} posts; first at index {Index}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string topic, int rejected, int batchSize, int index, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Window {Topic} could not list itself in the topic directory, trying again on the next append: {Reason}")]
    private static partial void LogRegistrationFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Window {Topic} dropped batch {Sequence} of producer {ProducerId}: it was applied before (a retry)")]
    private static partial void LogDuplicateBatch(ILogger logger, string topic, string producerId, long sequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Window {Topic} sent back batch {Sequence} of producer {ProducerId}: the batch before it did not arrive within the wait")]
    private static partial void LogOutOfOrder(ILogger logger, string topic, string producerId, long sequence);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Window {Topic} expected {Expected} posts in its stored segments and found {Found}; it does not activate")]
    private static partial void LogSegmentsMissing(ILogger logger, string topic, long expected, int found);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Window {Topic} could not clear {Count} stored segments it no longer uses; they stay in storage, unused")]
    private static partial void LogClearFailed(ILogger logger, string topic, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Window {Topic} could not save its state ({Error}: {Message}); the append fails and the window reloads from storage")]
    private static partial void LogWriteFailed(ILogger logger, string topic, string error, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Window {Topic} appended {Accepted} posts, evicted {Evicted}, now holds {Count}")]
    private static partial void LogAppended(ILogger logger, string topic, int accepted, int evicted, int count);
}
