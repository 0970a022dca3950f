using Microsoft.Extensions.Options;

namespace WordCloud.ServiceDefaults.Memory;

/// <summary>When a quiet process hands back the memory its garbage collector kept from a busy stretch (section "Memory").</summary>
public sealed class MemoryTrimOptions
{
    public const string SectionName = "Memory";

    public const int MaxIdleSeconds = 86_400;

    public const int MaxTrimMinimumMegabytes = 1_000_000;

    /// <summary>Run one compacting collection that returns free memory once the process has been quiet a while.</summary>
    public bool TrimWhenIdle { get; set; } = true;

    /// <summary>How long (1 to 86,400 s) the process must have allocated next to nothing before it trims.</summary>
    public int IdleSeconds { get; set; } = 30;

    /// <summary>
    /// Trim only when at least this much (0 to 1,000,000 MB) of the memory the collector holds is not live data: below
    /// that, a full blocking collection costs more than it returns.
    /// </summary>
    public int TrimMinimumMegabytes { get; set; } = 64;
}

public sealed class MemoryTrimOptionsValidator : IValidateOptions<MemoryTrimOptions>
{
    public ValidateOptionsResult Validate(string? name, MemoryTrimOptions options)
    {
        var failures = new List<string>();
        if (options.IdleSeconds is < 1 or > MemoryTrimOptions.MaxIdleSeconds)
        {
            failures.Add($"{MemoryTrimOptions.SectionName}:{nameof(MemoryTrimOptions.IdleSeconds)} is {options.IdleSeconds}; it must be between 1 and {MemoryTrimOptions.MaxIdleSeconds}");
        }

        if (options.TrimMinimumMegabytes is < 0 or > MemoryTrimOptions.MaxTrimMinimumMegabytes)
        {
            failures.Add($"{MemoryTrimOptions.SectionName}:{nameof(MemoryTrimOptions.TrimMinimumMegabytes)} is {options.TrimMinimumMegabytes}; it must be between 0 and {MemoryTrimOptions.MaxTrimMinimumMegabytes}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
