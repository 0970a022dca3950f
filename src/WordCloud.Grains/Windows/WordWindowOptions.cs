using WordCloud.Abstractions;

namespace WordCloud.Grains.Windows;

/// <summary>Silo settings for every WordWindow, from the configuration section "WordWindow".</summary>
public sealed class WordWindowOptions
{
    public const string SectionName = "WordWindow";

    /// <summary>How many recent posts each topic's window holds (1 to 1,000,000).</summary>
    public int Capacity { get; set; } = WindowLimits.DefaultCapacity;

    /// <summary>Drop the topic's own word and hashtag ("beer", "#beer" for topic beer) from the counts.</summary>
    public bool ExcludeTopicWord { get; set; } = true;

    public const int MaxSegmentSize = 100_000;

    /// <summary>
    /// Posts per segment number (1 to 100,000): a batch is stored as a delta and merged with the earlier deltas of its
    /// segment number, which is written whole once complete; smaller segments make merges cheaper and activation reads
    /// more numerous.
    /// </summary>
    public int SegmentSize { get; set; } = 1000;

    public const int MaxInlinePosts = 10_000;

    /// <summary>
    /// Posts (0 to 10,000) a window's head may carry itself before they are written as a segment: a save of a small
    /// batch is then one storage write instead of two or three; 0 writes every save's posts as a segment.
    /// </summary>
    public int InlinePosts { get; set; } = 256;

    public const int MinTextInMemory = WindowLimits.MaxNewestPosts;

    /// <summary>
    /// How many of the newest posts (100 to 1,000,000) a window keeps the text of in memory. Older posts keep only
    /// their word counts here: their text is already in storage, and is read from there when someone reads them (pages
    /// of posts, snapshots). Windows of at most this many posts never read storage after activation.
    /// </summary>
    public int TextInMemory { get; set; } = 10_000;

    public const int MaxMaxTopics = 1_000_000;

    /// <summary>
    /// How many topics the cluster keeps windows for (1 to 1,000,000): a post to a new topic beyond it is refused, so a
    /// client cannot make the silos hold windows without end. Read by the topic directory's silo.
    /// </summary>
    public int MaxTopics { get; set; } = 10_000;
}
