using Orleans.Concurrency;

namespace WordCloud.Abstractions;

/// <summary>
/// The topics that have windows, with what each window last reported, so that the topic list and reads of a topic
/// never wake a window. One activation for the cluster, key <see cref="Key"/>; a WordWindow asks it to admit its
/// topic before it first accepts a post, and reports its stats after changes.
/// </summary>
[Alias("WordCloud.ITopicDirectoryGrain")]
public interface ITopicDirectoryGrain : IGrainWithIntegerKey
{
    public const long Key = 0;

    /// <summary>
    /// Lists <paramref name="topic"/> (a normalised topic name) if it is listed already or the cluster's topic limit
    /// leaves room; false when it is new and the limit is reached.
    /// </summary>
    [Alias("Admit")]
    Task<bool> AdmitAsync(string topic);

    /// <summary>Whether <paramref name="topic"/> is listed: whether it has a window worth reading.</summary>
    [Alias("Contains")]
    Task<bool> ContainsAsync(string topic);

    /// <summary>Records what a window holds now, for the topic list; a topic not listed is ignored.</summary>
    [Alias("Report"), OneWay]
    Task ReportAsync(TopicListing listing);

    /// <summary>
    /// Topics <paramref name="skip"/> to <paramref name="skip"/> + <paramref name="take"/> − 1 by posts held, most
    /// first, then by name; <paramref name="take"/> is 1 to <see cref="TopicPage.MaxTake"/>.
    /// </summary>
    [Alias("GetPage")]
    Task<TopicPage> GetPageAsync(int skip, int take);
}
