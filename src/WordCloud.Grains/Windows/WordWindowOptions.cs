using Microsoft.Extensions.Options;
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
}

public sealed class WordWindowOptionsValidator : IValidateOptions<WordWindowOptions>
{
    public ValidateOptionsResult Validate(string? name, WordWindowOptions options)
    {
        var failures = new List<string>();
        if (options.Capacity is < WindowLimits.MinCapacity or > WindowLimits.MaxCapacity)
        {
            failures.Add($"{WordWindowOptions.SectionName}:{nameof(WordWindowOptions.Capacity)} is {options.Capacity}; it must be between {WindowLimits.MinCapacity} and {WindowLimits.MaxCapacity}");
        }

        if (options.SegmentSize is < 1 or > WordWindowOptions.MaxSegmentSize)
        {
            failures.Add($"{WordWindowOptions.SectionName}:{nameof(WordWindowOptions.SegmentSize)} is {options.SegmentSize}; it must be between 1 and {WordWindowOptions.MaxSegmentSize}");
        }

        if (options.InlinePosts is < 0 or > WordWindowOptions.MaxInlinePosts)
        {
            failures.Add($"{WordWindowOptions.SectionName}:{nameof(WordWindowOptions.InlinePosts)} is {options.InlinePosts}; it must be between 0 and {WordWindowOptions.MaxInlinePosts}");
        }

        if (options.TextInMemory is < WordWindowOptions.MinTextInMemory or > WindowLimits.MaxCapacity)
        {
            failures.Add($"{WordWindowOptions.SectionName}:{nameof(WordWindowOptions.TextInMemory)} is {options.TextInMemory}; it must be between {WordWindowOptions.MinTextInMemory} and {WindowLimits.MaxCapacity}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
