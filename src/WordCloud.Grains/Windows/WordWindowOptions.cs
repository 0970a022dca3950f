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
}

public sealed class WordWindowOptionsValidator : IValidateOptions<WordWindowOptions>
{
    public ValidateOptionsResult Validate(string? name, WordWindowOptions options) =>
        options.Capacity is < WindowLimits.MinCapacity or > WindowLimits.MaxCapacity
            ? ValidateOptionsResult.Fail(
                $"{WordWindowOptions.SectionName}:{nameof(WordWindowOptions.Capacity)} is {options.Capacity}; it must be between {WindowLimits.MinCapacity} and {WindowLimits.MaxCapacity}")
            : ValidateOptionsResult.Success;
}
