using Microsoft.Extensions.Options;

namespace WordCloud.ServiceDefaults;

public enum ClusterProvider
{
    /// <summary>Membership held by silo instance 0 in memory, grain state in memory: one machine, no setup.</summary>
    Localhost,

    /// <summary>Membership and grain state in Redis: any number of silos on any machines; any silo may die.</summary>
    Redis,
}

/// <summary>
/// Which cluster a silo joins or a client talks to, from the configuration section "Cluster" (also
/// <c>--cluster</c> and <c>--redis</c> on the command line, and ORLEANSCLOUD_Cluster__* environment variables).
/// </summary>
public sealed class ClusterSettings
{
    public const string SectionName = "Cluster";
    public const string DefaultRedis = "127.0.0.1:6379";

    public ClusterProvider Provider { get; set; } = ClusterProvider.Localhost;

    /// <summary>The StackExchange.Redis connection string of the Redis that holds membership and grain state.</summary>
    public string Redis { get; set; } = DefaultRedis;

    public string ClusterId { get; set; } = "wordcloud";

    public string ServiceId { get; set; } = "wordcloud";

    /// <summary>The host:port parts of <see cref="Redis"/>, for logs: never its password or other options.</summary>
    public string RedisEndpoints => string.Join(',', Redis.Split(',').Where(part => !part.Contains('=', StringComparison.Ordinal)));
}

public sealed class ClusterSettingsValidator : IValidateOptions<ClusterSettings>
{
    public ValidateOptionsResult Validate(string? name, ClusterSettings options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Provider))
        {
            failures.Add($"Cluster:Provider is {options.Provider}; it must be Localhost or Redis");
        }

        if (options.Provider == ClusterProvider.Redis && string.IsNullOrWhiteSpace(options.Redis))
        {
            failures.Add("Cluster:Redis is empty; with Cluster:Provider Redis it must be a Redis connection string such as 127.0.0.1:6379");
        }

        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            failures.Add("Cluster:ClusterId is empty; it must name the cluster");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceId))
        {
            failures.Add("Cluster:ServiceId is empty; it must name the service");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
