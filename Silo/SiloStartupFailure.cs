using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace WordCloud.Silo;

/// <summary>Turns the ways a silo fails to start because of its settings into one line and an exit code.</summary>
public static class SiloStartupFailure
{
    public const int InvalidConfiguration = 2;
    public const int CannotListen = 3;
    public const int Interrupted = 130;

    public static bool TryDescribe(Exception failure, out int exitCode, out string message)
    {
        (exitCode, message) = failure switch
        {
            OptionsValidationException invalid => (InvalidConfiguration, $"invalid configuration: {invalid.Message}"),
            // Binding "Silo:Instance=abc" to an int fails with this message, which names the key and the value.
            InvalidOperationException { Message: var text } when text.StartsWith("Failed to convert configuration value", StringComparison.Ordinal)
                => (InvalidConfiguration, $"invalid configuration: {text}"),
            // The command-line configuration provider rejects unknown short switches such as "-x".
            FormatException { Message: var text } => (InvalidConfiguration, $"invalid command line: {text}"),
            IOException { Message: var text } => (CannotListen, $"cannot listen: {text}"),
            SiloStartupException { Message: var text } => (CannotListen, $"cannot start: {text}"),
            // Ctrl-C or SIGTERM while Orleans was still joining the cluster.
            OperationCanceledException => (Interrupted, "stopped while starting"),
            RedisConnectionException { Message: var text } => (CannotListen, $"cannot reach Redis: {text}"),
            _ => (0, string.Empty),
        };
        return exitCode != 0;
    }
}
