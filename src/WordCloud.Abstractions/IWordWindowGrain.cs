namespace WordCloud.Abstractions;

// This namespace must not start with "Orleans": Orleans 10 files calls to interfaces in such namespaces under its
// own Microsoft.Orleans.Runtime activity source, and our grain-call spans would vanish from
// Microsoft.Orleans.Application, the source the hosts subscribe to.

/// <summary>
/// The fixed-length window of the most recent posts about one topic, with word counts kept up to date as posts
/// arrive and leave. Keyed by the normalised topic name (see <see cref="TopicName"/>).
/// </summary>
[Alias("WordCloud.IWordWindowGrain")]
public interface IWordWindowGrain : IGrainWithStringKey
{
    /// <summary>Appends posts in order, evicting the oldest beyond capacity. Invalid posts are rejected one by one.</summary>
    [Alias("Append")]
    Task<AppendResult> AppendAsync(IReadOnlyList<Post> posts);

    /// <summary>
    /// Appends a producer's numbered batch like <see cref="AppendAsync"/>, in the producer's order. A batch whose
    /// number the window has already applied (or passed) adds nothing and says <see cref="AppendResult.AlreadyApplied"/>;
    /// a batch that comes before its predecessor (a producer with several in flight) waits up to a second for it and is
    /// then applied after it; if the predecessor does not come, it adds nothing and says
    /// <see cref="AppendResult.OutOfOrder"/>, to be sent again. The first batch the window sees from a producer is taken
    /// as its start. The batch is saved to storage before the call returns.
    /// </summary>
    [Alias("AppendBatch")]
    Task<AppendResult> AppendBatchAsync(PostBatch batch);

    /// <summary>The posts in the window, oldest first, in one message: small windows only; else use pages.</summary>
    [Alias("GetPosts")]
    Task<IReadOnlyList<Post>> GetPostsAsync();

    /// <summary>The <paramref name="count"/> most frequent words (1 to 1000): count descending, then word ordinal.</summary>
    [Alias("GetTopWords")]
    Task<IReadOnlyList<WordCount>> GetTopWordsAsync(int count);

    [Alias("GetStats")]
    Task<WindowStats> GetStatsAsync();

    /// <summary>
    /// Up to <paramref name="maxPosts"/> consecutive posts (1 to <see cref="PostPage.MaxPosts"/>, fewer when their text
    /// passes <see cref="PostPage.MaxChars"/>) from post number <paramref name="first"/> on, or from the oldest held if
    /// that one is gone. See <see cref="WordWindowGrainExtensions.ReadPostsAsync"/>.
    /// </summary>
    [Alias("GetPostPage")]
    Task<PostPage> GetPostPageAsync(long first, int maxPosts);

    /// <summary>Posts, stats and top words in one call, so they agree with each other (whole window: small windows only).</summary>
    [Alias("GetSnapshot")]
    Task<WindowSnapshot> GetSnapshotAsync(int top);

    /// <summary>
    /// Stats, the <paramref name="top"/> words and the newest <paramref name="newestPosts"/> posts (0 to 100) in one
    /// call: what a word cloud view needs, without copying the whole window.
    /// </summary>
    [Alias("GetCloud")]
    Task<WordCloudView> GetCloudAsync(int top, int newestPosts);
}
