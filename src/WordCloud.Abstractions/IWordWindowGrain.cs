namespace WordCloud.Abstractions;

// This namespace must not start with "Orleans": Orleans 10 files calls to interfaces in such namespaces under its
// own Microsoft.Orleans.Runtime activity source, and our grain-call spans would vanish from
// Microsoft.Orleans.Application, the source the hosts subscribe to.

/// <summary>
/// The fixed-length window of the most recent posts about one topic, with word counts kept up to date as posts
/// arrive and leave. Keyed by the normalised topic name (see <see cref="TopicName"/>).
/// </summary>
/// <remarks>
/// Every read sees the window as storage holds it: a read during a write waits for that write, and a read never sees
/// a post whose write failed.
/// </remarks>
[Alias("WordCloud.IWordWindowGrain")]
public interface IWordWindowGrain : IGrainWithStringKey
{
    /// <summary>
    /// Appends the posts of <paramref name="batch"/> in order, evicting the oldest beyond capacity; invalid posts are
    /// rejected one by one. The batch is saved to storage before the call returns.
    /// </summary>
    /// <remarks>
    /// A producer's numbered batches are applied once and in its order. A batch whose number the window has already
    /// applied (or passed) adds nothing and says <see cref="AppendResult.AlreadyApplied"/>; a batch that comes before
    /// its predecessor (a producer with several in flight) waits up to a second for it and is then applied after it;
    /// if the predecessor does not come, it adds nothing and says <see cref="AppendResult.OutOfOrder"/>, to be sent
    /// again. The first batch the window sees from a producer is taken as its start. A batch without a producer id is
    /// applied as it comes.
    /// </remarks>
    [Alias("Append")]
    Task<AppendResult> AppendAsync(PostBatch batch);

    [Alias("GetStats")]
    Task<WindowStats> GetStatsAsync();

    /// <summary>
    /// Stats, the <paramref name="top"/> words (1 to 1000: count descending, then word in ordinal order), the rising
    /// words (up to <see cref="WindowLimits.MaxRising"/>: see <see cref="RisingWord"/>), the newest
    /// <paramref name="newestPosts"/> posts (0 to 100) and the rate, read at one instant: what a word cloud shows.
    /// </summary>
    [Alias("GetCloud")]
    Task<WordCloudView> GetCloudAsync(int top, int newestPosts);

    /// <summary>
    /// Up to <paramref name="maxPosts"/> consecutive posts (1 to <see cref="PostPage.MaxPosts"/>, fewer when their text
    /// passes <see cref="PostPage.MaxChars"/>) from post number <paramref name="first"/> on, or from the oldest held if
    /// that one is gone, with the stats and the <paramref name="top"/> words (0 to 1000) of the same instant, and when
    /// <paramref name="top"/> is not 0 the rising words (<see cref="PostPage.Rising"/>) of that instant too. See
    /// <see cref="WordWindowGrainExtensions.ReadWholeWindowAsync"/>.
    /// </summary>
    [Alias("GetPostPage")]
    Task<PostPage> GetPostPageAsync(long first, int maxPosts, int top);

    /// <summary>
    /// Sends <paramref name="watcher"/> the window's cloud (all <see cref="WindowLimits.MaxTop"/> words and
    /// <see cref="WindowLimits.MaxNewestPosts"/> newest posts) whenever it changes, at most a few times a second, for
    /// <see cref="ICloudWatcher.Lease"/> from now: a watcher renews by calling again. Returns the cloud now.
    /// </summary>
    [Alias("Watch")]
    Task<WordCloudView> WatchAsync(ICloudWatcher watcher);

    /// <summary>Stops sending <paramref name="watcher"/> the cloud.</summary>
    [Alias("Unwatch")]
    Task UnwatchAsync(ICloudWatcher watcher);
}
