using Microsoft.Extensions.Logging;
using Orleans.Storage;
using WordCloud.Abstractions;
using WordCloud.Grains.Text;

namespace WordCloud.Grains.Windows;

/// <summary>
/// One topic's window with its persistence: loads it from an <see cref="IWindowStore"/>, applies batches in each
/// producer's order, saves every change before acknowledging it, and answers reads with what storage holds. Knows
/// nothing of Orleans: the grain around it adds activation, timers, metrics and logging.
/// </summary>
/// <remarks>
/// <para>
/// Memory is never ahead of storage for anyone outside. The window in memory runs ahead while a save is under way
/// (changes made meanwhile share the next save: group commit, <see cref="CoalescingWriter"/>), but no caller learns of
/// a change before a save covering it has succeeded: an append returns after it, and a read captures what it returns,
/// then waits for it. After a failed save every call fails, so no read sees a post the failed save lost; the owner
/// loads the window again from storage, where a retry of the batch is applied rather than taken for a duplicate.
/// </para>
/// <para>
/// Single-threaded: calls and their continuations must run one at a time (the grain's scheduler), though calls may
/// interleave at their awaits. A save is captured in one synchronous step (<see cref="WindowSegments.Capture"/>), so
/// appends interleaving with its writes wait for the next one.
/// </para>
/// </remarks>
public sealed partial class PersistentWindow
{
    /// <summary>
    /// How long a batch that arrived before its predecessor waits for it before it is sent back as out of order: long
    /// enough for a batch that took another way (gateway) to arrive, well under a client's 5-second call timeout.
    /// </summary>
    public static readonly TimeSpan PredecessorWait = TimeSpan.FromSeconds(1);

    /// <summary>How many times a page read goes back to storage when the posts it read all left the window meanwhile.</summary>
    private const int MaxStorageReadRounds = 100;

    private readonly string _topic;
    private readonly WordWindowOptions _options;
    private readonly IWindowStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WordWindow _window;
    private readonly WindowSegments _segments;
    private readonly ProducerLedger _producers;
    private readonly WaitingBatches _waiting = new();
    private readonly PostRate _rate;
    private readonly CoalescingWriter _writer;

    /// <summary>The head storage holds.</summary>
    private StoredWindowHead _head;

    /// <summary>Changes made to the window's posts so far, so that a cloud read twice without a change is made once.</summary>
    private long _version;
    private long _viewVersion = -1;
    private WordCloudView? _view;

    private PersistentWindow(
        string topic, WordWindowOptions options, IWindowStore store, TimeProvider time, ILogger logger, WordWindow window, WindowSegments segments, StoredWindowHead head)
    {
        _topic = topic;
        _options = options;
        _store = store;
        _time = time;
        _logger = logger;
        _window = window;
        _segments = segments;
        _head = head;
        _rate = new PostRate(time);
        _producers = new ProducerLedger(time);
        _writer = new CoalescingWriter(SaveAsync);
        _producers.Restore(head.Producers);
        ReleaseStoredText(head);
    }

    public string Topic => _topic;

    /// <summary>Posts the window holds in memory, saved or not: for logs and metrics.</summary>
    public int Count => _window.Count;

    /// <summary>How many posts the window holds at most.</summary>
    public int Capacity => _window.Capacity;

    /// <summary>Posts the window has accepted in its life, saved or not: 0 for a topic that never had a post.</summary>
    public long TotalAppended => _window.TotalAppended;

    /// <summary>Posts written into segments by this window's saves, merges and whole rewrites included: over posts appended, the write amplification.</summary>
    public long SegmentPostsWritten => _segments.PostsWritten;

    /// <summary>True once a save has failed: every call fails from then on, and the owner must load the window again.</summary>
    public bool HasFailed => _writer.Failure is not null;

    /// <summary>The save now running, for an owner that must not leave it behind (deactivation).</summary>
    public Task Idle => _writer.Idle;

    /// <summary>Reads the window of <paramref name="topic"/> from <paramref name="store"/>: its head, then the posts of its segments and tail.</summary>
    /// <exception cref="InvalidDataException">The segments hold fewer posts than the head names: renumbering what is left would misplace every later post.</exception>
    public static async Task<PersistentWindow> LoadAsync(
        string topic, WordWindowOptions options, Tokenizer tokenizer, IWindowStore store, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var head = await store.ReadHeadAsync(cancellationToken) ?? StoredWindowHead.Empty;
        var segments = new WindowSegments(store, options.SegmentSize, options.InlinePosts);
        var held = await segments.ReadHeldAsync(head, cancellationToken);
        var expected = head.TotalAppended - head.First;
        var found = held.Sum(posts => (long)posts.Count);
        if (found != expected)
        {
            throw new InvalidDataException($"window {topic}: its head names {expected} posts but its segments hold {found}");
        }

        var window = new WordWindow(options.Capacity, tokenizer, options.ExcludeTopicWord ? topic : null);
        window.Restore(held, new WindowTotals(head.TotalAppended, head.TotalEvicted, head.TotalDuplicates, head.TotalDeleted), head.Deleted);
        return new PersistentWindow(topic, options, store, time, logger, window, segments, head);
    }

    /// <summary>
    /// Appends <paramref name="batch"/> (see <see cref="IWordWindowGrain.AppendAsync"/>) and returns once a save
    /// covering it has succeeded. The batch's posts are copied; the caller may dispose it afterwards.
    /// </summary>
    /// <exception cref="ArgumentException">The batch is not well-formed.</exception>
    public async Task<AppendResult> AppendAsync(PostBatch batch)
    {
        ThrowIfFailed();
        if (PostBatch.Validate(batch) is { } error)
        {
            throw new ArgumentException($"invalid batch: {error}", nameof(batch));
        }

        if (batch.ProducerId is { } producer)
        {
            // A batch ahead of its predecessor waits for it (briefly), then looks again: by then it may be next, or a
            // retry of it may have been applied meanwhile.
            while (true)
            {
                if (_producers.IsApplied(producer, batch.Sequence))
                {
                    // Its first attempt may still be waiting for its save: the retry is acknowledged only once that is done.
                    var total = _window.TotalAppended;
                    await _writer.WhenSavedAsync();
                    return new AppendResult(0, [], 0, AlreadyApplied: true, TotalAppended: total);
                }

                if (!_producers.IsAhead(producer, batch.Sequence))
                {
                    break;
                }

                if (!await WaitForPredecessorAsync(producer, batch.Sequence))
                {
                    return new AppendResult(0, [], 0, OutOfOrder: true, TotalAppended: await ReadTotalAppendedAsync());
                }
            }

            ThrowIfFailed();
        }

        var result = _window.Append(batch);
        var changed = result.Accepted > 0 || result.Deleted > 0;
        if (changed)
        {
            _version++;
            _rate.Add(result.Accepted);
        }

        if (batch.ProducerId is { } applied)
        {
            _producers.Record(applied, batch.Sequence);
            _waiting.Applied(applied, batch.Sequence);
        }

        await (changed || result.Duplicates > 0 || batch.ProducerId is not null ? _writer.SaveAsync() : _writer.WhenSavedAsync());
        return result;
    }

    /// <summary>The window's size and totals as storage holds them.</summary>
    public async Task<WindowStats> ReadStatsAsync()
    {
        var stats = _window.Stats;
        await _writer.WhenSavedAsync();
        return stats;
    }

    /// <summary>
    /// The window's cloud as storage holds it: all <see cref="WindowLimits.MaxTop"/> top words and
    /// <see cref="WindowLimits.MaxRising"/> rising words, the
    /// <see cref="WindowLimits.MaxNewestPosts"/> newest posts, the stats and the rate, of one instant. Made once per
    /// change of the window, however often it is read.
    /// </summary>
    public async Task<WordCloudView> ReadCloudAsync()
    {
        var view = CurrentView();
        await _writer.WhenSavedAsync();
        return view;
    }

    /// <summary>
    /// Up to <paramref name="maxPosts"/> consecutive posts from number <paramref name="first"/> on, or from the oldest
    /// held if that one is gone, with the stats and <paramref name="top"/> words of the same instant (see
    /// <see cref="IWordWindowGrain.GetPostPageAsync"/>). Posts whose text the window keeps only in storage are read from
    /// there; such a page stops where the text in memory begins.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A number or size outside its range.</exception>
    public async Task<PostPage> ReadPageAsync(long first, int maxPosts, int top = 0)
    {
        if (top != 0 && WindowLimits.ValidateTop(top) is { } topError)
        {
            throw new ArgumentOutOfRangeException(nameof(top), top, $"{topError}, or 0 for none");
        }

        if (maxPosts is < 1 or > PostPage.MaxPosts)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPosts), maxPosts, $"invalid page size {maxPosts}: it must be between 1 and {PostPage.MaxPosts}");
        }

        if (first < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(first), first, $"invalid post number {first}: posts are numbered from 0");
        }

        ThrowIfFailed();
        var page = await ReadStoredPageAsync(first, maxPosts);
        if (page is null)
        {
            var posts = _window.GetPostsFrom(first, maxPosts, PostPage.MaxChars, out var actualFirst, out var next);
            page = new PostPage(actualFirst, posts, _window.Stats, [], next);
        }

        // The stats and the words are of the instant the page's last post was read, with nothing awaited in between.
        page = top > 0 ? page with { Words = _window.GetTopWords(top), Rising = _window.GetRising(WindowLimits.MaxRising) } : page;
        await _writer.WhenSavedAsync();
        return page;
    }

    /// <summary>
    /// The page from <paramref name="first"/> on when its first posts' text is in storage only, read from there; null
    /// when it is in memory. Posts that left the window while a read waited are not part of the page; if none is left,
    /// it reads again from the oldest held now.
    /// </summary>
    private async Task<PostPage?> ReadStoredPageAsync(long first, int maxPosts)
    {
        for (var reads = 0; Math.Max(first, _window.First) < _window.TextFrom; reads++)
        {
            if (reads == MaxStorageReadRounds)
            {
                throw new InvalidOperationException($"window {_topic}: the posts from {first} left the window during each of {reads} reads from storage");
            }

            var from = Math.Max(first, _window.First);
            var (readFirst, read) = await _segments.ReadRangeAsync(_head, from, Math.Min(_window.TextFrom, from + maxPosts), CancellationToken.None);
            var gone = (int)Math.Clamp(_window.First - readFirst, 0, read.Count);
            if (read.Count > gone)
            {
                var pageFirst = readFirst + gone;
                // Posts deleted while held are in storage still, but shown nowhere.
                var posts = WordWindow.TakeUpTo(
                    read.Skip(gone).Select((post, index) => _window.IsDeleted(pageFirst + index) ? null : post), maxPosts, PostPage.MaxChars, out var covered);
                return new PostPage(pageFirst, posts, _window.Stats, [], pageFirst + covered);
            }
        }

        return null;
    }

    /// <summary>The cloud of the window in memory now, made again only when its posts changed; the rate is always current.</summary>
    private WordCloudView CurrentView()
    {
        var rate = _rate.PerSecond();
        if (_view is null || _viewVersion != _version)
        {
            _view = new WordCloudView(
                _topic, _window.Stats, _window.GetTopWords(WindowLimits.MaxTop), _window.GetNewestPosts(WindowLimits.MaxNewestPosts), rate, _time.GetUtcNow(),
                _window.GetRising(WindowLimits.MaxRising));
            _viewVersion = _version;
        }
        else if (rate != _view.PostsPerSecond)
        {
            _view = _view with { PostsPerSecond = rate, At = _time.GetUtcNow() };
        }

        return _view;
    }

    private async Task<long> ReadTotalAppendedAsync() => (await ReadStatsAsync()).TotalAppended;

    /// <summary>
    /// Waits up to <see cref="PredecessorWait"/> for the batch before batch <paramref name="sequence"/> of
    /// <paramref name="producer"/> to be applied; false if it still is not (lost, or its producer gave up), or if too
    /// many batches wait already.
    /// </summary>
    private async Task<bool> WaitForPredecessorAsync(string producer, long sequence)
    {
        if (_waiting.WaitForPredecessor(producer, sequence) is not { } wait)
        {
            return false;
        }

        try
        {
            await wait.WaitAsync(PredecessorWait, _time);
            return true;
        }
        catch (TimeoutException)
        {
            _waiting.GiveUp(producer, sequence, wait);
            // The predecessor may have been applied as the wait ran out: the caller looks at the ledger again.
            return !_producers.IsAhead(producer, sequence);
        }
    }

    /// <summary>
    /// One save of every change made so far: the posts not yet in a segment go into the head's tail while there are at
    /// most <c>WordWindow:InlinePosts</c>, else out as segments under new keys (<see cref="WindowSegments"/>); then the
    /// head that names them (a failure or crash before the head is stored leaves the previous head and every segment
    /// it names as they were); then the deletion of the segments the new head no longer names. What is written is
    /// captured before the first await, so posts arriving meanwhile wait for the next save. If storage lost the
    /// window's records, the save writes all the window holds again (<see cref="RewriteAllAsync"/>).
    /// </summary>
    private async Task SaveAsync()
    {
        var saved = _head;
        var save = _segments.Capture(_window, saved);
        var next = HeadOf(save);
        await save.WriteAsync();
        string[] unused;
        try
        {
            await _store.WriteHeadAsync(next);
            unused = [.. saved.SegmentKeys.Except(next.SegmentKeys, StringComparer.Ordinal)];
        }
        catch (InconsistentStateException refused)
        {
            if (await _store.ReadHeadAsync(CancellationToken.None) is not null)
            {
                // Another activation wrote a head since this one read or wrote it: this one stops, and the next
                // activation loads what storage holds.
                throw;
            }

            LogStorageLost(_logger, _topic, refused.Message);
            next = await RewriteAllAsync();
            unused = [.. saved.SegmentKeys.Concat(save.Keys).Except(next.SegmentKeys, StringComparer.Ordinal)];
        }

        _head = next;
        ReleaseStoredText(next);
        if (unused.Length > 0 && await _segments.ForgetAsync(unused) is > 0 and var failed)
        {
            LogDeleteFailed(_logger, _topic, failed);
        }
    }

    /// <summary>
    /// After storage lost the window's records (its in-memory store was lost with its silo, or Redis restarted without
    /// persistence): writes every post the window holds under new keys, then a first head that names them. Posts whose
    /// text the window kept in storage only (older than its newest <c>WordWindow:TextInMemory</c>) cannot be written
    /// again: they are evicted, with a warning that says how many; a window of at most that many posts loses none.
    /// </summary>
    private async Task<StoredWindowHead> RewriteAllAsync()
    {
        if (_window.EvictBefore(_window.TextFrom) is > 0 and var lost)
        {
            _version++;
            LogTextLost(_logger, _topic, lost);
        }

        var save = _segments.Capture(_window, _head, rewriteAll: true);
        var head = HeadOf(save);
        await save.WriteAsync();
        await _store.WriteHeadAsync(head);
        LogRewritten(_logger, _topic, head.TotalAppended - head.First, save.Keys.Length);
        return head;
    }

    /// <summary>The head of the window as it is now, with the segments and tail of <paramref name="save"/>.</summary>
    private StoredWindowHead HeadOf(SegmentSave save) => new()
    {
        First = _window.First,
        TotalAppended = _window.TotalAppended,
        TotalEvicted = _window.TotalEvicted,
        TotalDuplicates = _window.TotalDuplicates,
        TotalDeleted = _window.TotalDeleted,
        Deleted = _window.Deleted.Count == 0 ? [] : [.. _window.Deleted],
        Producers = _producers.Save(),
        SegmentKeys = save.Keys,
        SegmentSize = _options.SegmentSize,
        TailFirst = save.TailFirst,
        Tail = save.Tail,
    };

    /// <summary>
    /// Lets the window forget the text of its older posts once <paramref name="stored"/> (now in storage) holds them in
    /// segments no save will write again, keeping the newest <c>WordWindow:TextInMemory</c>: a big window then costs
    /// its word ids here, and its text only in storage.
    /// </summary>
    private void ReleaseStoredText(StoredWindowHead stored) =>
        _window.ReleaseTextBefore(Math.Min(_segments.StoredWholeBefore(stored), _window.TotalAppended - _options.TextInMemory));

    /// <summary>After a failed save: an error a client retries (as it retries any failure of the cluster), by when the window is loaded again.</summary>
    private void ThrowIfFailed()
    {
        if (_writer.Failure is { } failure)
        {
            throw new OrleansException($"window {_topic} could not save a change ({failure.Message}) and is to be loaded again from storage; try again", failure);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Window {Topic}: storage no longer holds its head ({Reason}); writing all the window holds again")]
    private static partial void LogStorageLost(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Window {Topic}: wrote its {Posts} posts again, in {Segments} segments and a new head")]
    private static partial void LogRewritten(ILogger logger, string topic, long posts, int segments);

    [LoggerMessage(Level = LogLevel.Error, Message = "Window {Topic}: storage lost the text of its {Count} oldest posts, which the window kept in storage only (WordWindow:TextInMemory); they leave the window")]
    private static partial void LogTextLost(ILogger logger, string topic, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Window {Topic} could not delete {Count} stored segments it no longer uses; they stay in storage, unused")]
    private static partial void LogDeleteFailed(ILogger logger, string topic, int count);
}
