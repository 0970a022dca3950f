namespace WordCloud.ServiceDefaults;

/// <summary>
/// Where the compact exporters write: one lock for log and span lines, so lines of two threads never interleave, and
/// colour for warnings and errors when a person is watching a terminal.
/// </summary>
internal static class ConsoleWriter
{
    private static readonly object Lock = new();

    /// <summary>
    /// True when standard output and standard error are both terminals and NO_COLOR (no-color.org) is not set: the
    /// lines go to standard output, or to standard error once <c>scan --json</c> points Console.Out at it, and a file
    /// must get no escape codes either way.
    /// </summary>
    public static bool UseColour { get; } =
        !Console.IsOutputRedirected && !Console.IsErrorRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    public static void Write(string text)
    {
        lock (Lock)
        {
            // Console.Out is read at each write: `scan --json` points it at standard error after start-up.
            Console.Out.Write(text);
            Console.Out.Flush();
        }
    }
}
