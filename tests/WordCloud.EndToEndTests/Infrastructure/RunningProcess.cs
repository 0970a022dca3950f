using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace WordCloud.EndToEndTests.Infrastructure;

/// <summary>
/// A real process of ours (`dotnet WordCloud.Silo.dll ...`), its standard output and error captured line by line.
/// Disposing it stops it: SIGTERM first, then a kill if it does not exit.
/// </summary>
public sealed class RunningProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly object _gate = new();
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _openStreams = 2;

    private RunningProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string StandardOutput
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _stdout);
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _stderr);
            }
        }
    }

    /// <summary>Both streams, for failure messages and searches that do not care which.</summary>
    public string AllOutput => StandardOutput + "\n" + StandardError;

    /// <param name="name">Names the process in failure messages.</param>
    /// <param name="dll">The .NET program to run with `dotnet`.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="standardInput">Written to its standard input, which is then closed unless <paramref name="keepInputOpen"/>.</param>
    /// <param name="keepInputOpen">Leave standard input open, as a pipe whose writer is still there.</param>
    public static RunningProcess Start(string name, string dll, IEnumerable<string> arguments, string? standardInput = null, bool keepInputOpen = false) =>
        StartExecutable(name, "dotnet", [dll, .. arguments], standardInput, keepInputOpen);

    /// <summary>Starts any executable (redis-server, say) with its output captured the same way.</summary>
    public static RunningProcess StartExecutable(string name, string executable, IEnumerable<string> arguments, string? standardInput = null, bool keepInputOpen = false, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Keep the tests' own settings out of the processes; they get exactly what a user's shell would give.
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var running = new RunningProcess(name, process);
        process.OutputDataReceived += (_, line) => running.Capture(running._stdout, line.Data);
        process.ErrorDataReceived += (_, line) => running.Capture(running._stderr, line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Flush();
        }

        if (!keepInputOpen)
        {
            process.StandardInput.Close();
        }

        return running;
    }

    /// <summary>Waits until some output line satisfies <paramref name="condition"/>; fails with the output so far.</summary>
    public async Task WaitForOutputAsync(Func<string, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Lines().Any(condition))
            {
                return;
            }

            if (HasExited)
            {
                await Task.Delay(100);
                if (Lines().Any(condition))
                {
                    return;
                }

                throw new InvalidOperationException($"{Name} exited with {ExitCode} before {what}.\n{AllOutput}");
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{Name} did not show {what} within {timeout.TotalSeconds} s.\n{AllOutput}");
    }

    /// <summary>Waits for the process to exit and its output to be read; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            await _outputClosed.Task.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {timeout.TotalSeconds} s.\n{AllOutput}");
        }

        return _process.ExitCode;
    }

    /// <summary>Sends a POSIX signal (INT, TERM, KILL) as a user's terminal or service manager would.</summary>
    public void Signal(string signal)
    {
        if (HasExited)
        {
            return;
        }

        var number = signal switch
        {
            "INT" => 2,
            "KILL" => 9,
            "TERM" => 15,
            _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, "INT, TERM or KILL"),
        };
        if (NativeMethods.Kill(Id, number) != 0 && !HasExited)
        {
            throw new InvalidOperationException($"kill({Id}, SIG{signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!HasExited)
            {
                Signal("TERM");
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                try
                {
                    await _process.WaitForExitAsync(deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private IReadOnlyList<string> Lines()
    {
        lock (_gate)
        {
            return [.. _stdout, .. _stderr];
        }
    }

    private void Capture(List<string> lines, string? line)
    {
        if (line is null)
        {
            if (Interlocked.Decrement(ref _openStreams) == 0)
            {
                _outputClosed.TrySetResult();
            }

            return;
        }

        lock (_gate)
        {
            lines.Add(line);
        }
    }
}

internal static partial class NativeMethods
{
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);
}
