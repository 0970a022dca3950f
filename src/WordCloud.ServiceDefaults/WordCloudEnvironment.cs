using Microsoft.Extensions.Configuration;

namespace WordCloud.ServiceDefaults;

public static class WordCloudEnvironment
{
    /// <summary>Environment variables with this prefix are settings of every OrleansCloud process: ORLEANSCLOUD_Cluster__Provider=Redis.</summary>
    public const string Prefix = "ORLEANSCLOUD_";

    /// <summary>Adds the environment variables that start with <see cref="Prefix"/>, without it, as settings.</summary>
    public static IConfigurationBuilder AddWordCloudEnvironment(this IConfigurationBuilder configuration) =>
        configuration.AddEnvironmentVariables(Prefix);
}
