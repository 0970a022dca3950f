namespace WordCloud.EndToEndTests.Infrastructure;

/// <summary>One finished run of the real client process.</summary>
public sealed record ClientRun(int ExitCode, string StandardOutput, string StandardError)
{
    public string AllOutput => StandardOutput + "\n" + StandardError;

    /// <summary>
    /// Runs `dotnet WordCloud.Client.dll args` to the end (killing it after <paramref name="timeout"/>), with
    /// <paramref name="environment"/> (such as ORLEANSCLOUD_Tls__CertificatePassword) added to its environment.
    /// </summary>
    public static async Task<ClientRun> RunAsync(IEnumerable<string> arguments, TimeSpan timeout, string? standardInput = null, IDictionary<string, string>? environment = null)
    {
        await using var client = RunningProcess.StartExecutable("client", "dotnet", [RepoPaths.ClientDll, .. arguments], standardInput, environment: environment);
        var exitCode = await client.WaitForExitAsync(timeout);
        return new ClientRun(exitCode, client.StandardOutput, client.StandardError);
    }
}
