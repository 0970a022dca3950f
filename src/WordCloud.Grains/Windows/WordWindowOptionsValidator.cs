using Microsoft.Extensions.Options;
using WordCloud.Abstractions;

namespace WordCloud.Grains.Windows;

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

        if (options.MaxTopics is < 1 or > WordWindowOptions.MaxMaxTopics)
        {
            failures.Add($"{WordWindowOptions.SectionName}:{nameof(WordWindowOptions.MaxTopics)} is {options.MaxTopics}; it must be between 1 and {WordWindowOptions.MaxMaxTopics}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
