namespace WordCloud.EndToEndTests.Infrastructure;

/// <summary>One finished run of the real client process.</summary>
public sealed record ClientRun(int ExitCode, string StandardOutput, string StandardError)
{
    public string AllOutput => StandardOutput + "\n" + StandardError;

    /// <summary>Runs `dotnet WordCloud.Client.dll args` to the end (killing it after <paramref name="timeout"/>).</summary>
    public static async Task<ClientRun> RunAsync(IEnumerable<string> arguments, TimeSpan timeout, string? standardInput = null)
    {
        await using var client = RunningProcess.Start("client", RepoPaths.ClientDll, arguments, standardInput);
        var exitCode = await client.WaitForExitAsync(timeout);
        return new ClientRun(exitCode, client.StandardOutput, client.StandardError);
    }
}
