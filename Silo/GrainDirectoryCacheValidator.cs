using Microsoft.Extensions.Options;
using Orleans.Configuration;
using WordCloud.ServiceDefaults;

namespace WordCloud.Silo;

/// <summary>
/// Checks <c>Cluster:GrainDirectory:CacheSize</c>: Orleans takes 0 or less as "no cache" and reserves room for the whole
/// size at start, so a negative or huge value would be taken silently.
/// </summary>
public sealed class GrainDirectoryCacheValidator : IValidateOptions<GrainDirectoryOptions>
{
    /// <summary>Ten times Orleans' own default; the silo reserves room for the whole cache at start.</summary>
    public const int MaxCacheSize = 10_000_000;

    public ValidateOptionsResult Validate(string? name, GrainDirectoryOptions options) =>
        options.CacheSize is >= 0 and <= MaxCacheSize
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{ClusterSettings.SectionName}:GrainDirectory:CacheSize is {options.CacheSize}; it must be between 0 (no cache) and {MaxCacheSize}");
}
