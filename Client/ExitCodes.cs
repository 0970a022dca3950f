namespace WordCloud.Client;

/// <summary>What the client's exit status means.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A command-line value broke a rule (System.CommandLine's own parse errors also exit with 1).</summary>
    public const int UsageError = 1;

    /// <summary>The input could not be read: a missing or unreadable posts file, a source that broke part-way, or a state file that does not fit.</summary>
    public const int InputError = 2;

    /// <summary>No gateway of the cluster answered within the connect timeout, or the cluster failed a call.</summary>
    public const int ClusterUnavailable = 3;

    /// <summary>Stopped by Ctrl-C or SIGTERM with an in-flight batch abandoned before it was acknowledged.</summary>
    public const int Interrupted = 130;
}
