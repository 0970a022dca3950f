namespace WordCloud.Abstractions;

/// <summary>
/// The topics that have received posts, so the web page can list them. One activation for the cluster, key
/// <see cref="Key"/>; each WordWindow registers its topic when it first accepts a post.
/// </summary>
[Alias("WordCloud.ITopicDirectoryGrain")]
public interface ITopicDirectoryGrain : IGrainWithIntegerKey
{
    public const long Key = 0;

    /// <summary>Adds <paramref name="topic"/> (a normalised topic name); registering it again changes nothing.</summary>
    [Alias("Register")]
    Task RegisterAsync(string topic);

    /// <summary>Every registered topic, in ordinal order.</summary>
    [Alias("GetTopics")]
    Task<IReadOnlyList<string>> GetTopicsAsync();
}
