using System.Text;
using WordCloud.EndToEndTests.Infrastructure;

namespace WordCloud.EndToEndTests;

/// <summary>Real processes on their own: errors a user makes, and a silo's start and graceful stop.</summary>
public sealed class StandaloneProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AClientWithNoClusterFailsWithinFifteenSecondsWithAClearErrorAndNoStackTrace()
    {
        // Arrange: a port nobody listens on.
        var port = FreePorts.Take(1)[0];
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // Act
        var scan = await ClientRun.RunAsync(["scan", "--topic", "beer", "--once", "--gateway", $"127.0.0.1:{port}"], Timeout);

        // Assert
        clock.Stop();
        Assert.Equal(3, scan.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        Assert.Contains($"Cannot reach the cluster: no gateway from gateways 127.0.0.1:{port} answered", scan.AllOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", scan.AllOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("be er", "invalid topic 'be er'")]
    [InlineData("#", "invalid topic '#'")]
    [InlineData("Beer!", "invalid topic 'Beer!'")]
    public async Task AnInvalidTopicIsRefusedBeforeConnectingWithTheRule(string topic, string expected)
    {
        var run = await ClientRun.RunAsync(["produce", "--topic", topic, "--gateway", "127.0.0.1:1"], Timeout);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(expected, run.AllOutput, StringComparison.Ordinal);
        Assert.Contains("1 to 64 characters from a-z, 0-9 and '_'", run.AllOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Connecting to the cluster", run.AllOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "scan", "--topic", "beer", "--top", "0" }, "invalid --top 0: it must be between 1 and 1000")]
    [InlineData(new[] { "scan", "--topic", "beer", "--rising", "0" }, "invalid --rising 0: it must be between 1 and 100")]
    [InlineData(new[] { "scan", "--topic", "beer", "--every", "soon" }, "invalid --every 'soon'")]
    [InlineData(new[] { "produce", "--topic", "beer", "--batch", "0" }, "invalid --batch 0")]
    [InlineData(new[] { "produce", "--topic", "beer", "--gateway", "nowhere" }, "invalid --gateway 'nowhere'")]
    [InlineData(new[] { "produce", "--topic", "beer", "--source", "jetstream", "--jetstream-url", "http://127.0.0.1:1/subscribe" }, "invalid --jetstream-url 'http://127.0.0.1:1/subscribe': it must be a ws:// or wss:// URL")]
    [InlineData(new[] { "produce", "--topic", "beer", "--source", "jetstream", "--lang", "english!" }, "invalid --lang 'english!'")]
    [InlineData(new[] { "produce", "--topic", "beer", "--source", "mastodon", "--instance", "mastodon.social" }, "invalid --instance 'mastodon.social': an instance is an http:// or https:// URL")]
    public async Task ABadOptionIsAUsageErrorThatNamesTheValueAndTheRule(string[] arguments, string expected)
    {
        var run = await ClientRun.RunAsync(arguments, Timeout);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(expected, run.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStateFileForASourceThatCannotResumeIsRefusedBeforeConnecting()
    {
        // No cluster runs: an answer within seconds, naming the rule, shows the check came first.
        var run = await ClientRun.RunAsync(["produce", "--topic", "beer", "--state-file", "state.json", "--gateway", "127.0.0.1:1"], Timeout);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--state-file state.json: the demo feed cannot resume; a state file needs a file or a live feed", run.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreadableFileIsReportedBeforeConnecting()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.txt");

        var run = await ClientRun.RunAsync(["produce", "--topic", "beer", "--file", missing, "--gateway", "127.0.0.1:1"], Timeout);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"cannot read posts file '{missing}'", run.AllOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Connecting to the cluster", run.AllOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--WordWindow:Capacity", "0", "WordWindow:Capacity is 0; it must be between 1 and 1000000")]
    [InlineData("--WordWindow:Capacity", "1000001", "WordWindow:Capacity is 1000001; it must be between 1 and 1000000")]
    [InlineData("--WordWindow:InlinePosts", "-1", "WordWindow:InlinePosts is -1; it must be between 0 and 10000")]
    [InlineData("--WordWindow:SegmentSize", "0", "WordWindow:SegmentSize is 0; it must be between 1 and 100000")]
    [InlineData("--WordWindow:TextInMemory", "99", "WordWindow:TextInMemory is 99; it must be between 100 and 1000000")]
    [InlineData("--Silo:HttpPort", "70000", "Silo:HttpPort is 70000; a port must be between 1 and 65535")]
    [InlineData("--Cluster:GrainDirectory:CacheSize", "-5", "Cluster:GrainDirectory:CacheSize is -5; it must be between 0 (no cache) and 10000000")]
    [InlineData("--Api:MaxBodyBytes", "100", "Api:MaxBodyBytes is 100; it must be between 1024 and 1073741824")]
    [InlineData("--Api:RateLimit:Burst", "50", "Api:RateLimit:Burst is 50; it must be between Api:RateLimit:PermitsPerSecond (100) and 1000000")]
    [InlineData("--Api:MaxEventStreamsPerAddress", "0", "Api:MaxEventStreamsPerAddress is 0; it must be between 1 and 100000")]
    [InlineData("--instance", "-3", "Silo:Instance is -3")]
    [InlineData("--Silo:Instance", "two", "'two'")]
    [InlineData("--Silo:ApiKey", "short-key", "Silo:ApiKey is set but 9 characters long (spaces aside); it must be at least 16")]
    public async Task ASiloWithAnInvalidSettingExitsNonZeroWithOneLineNamingIt(string key, string value, string expected)
    {
        // Arrange: free ports, so that only the bad value can stop the silo.
        var ports = FreePorts.Take(3);
        string[] arguments = ["--Silo:SiloPort", $"{ports[0]}", "--Silo:GatewayPort", $"{ports[1]}", "--Silo:HttpPort", $"{ports[2]}", "--Silo:PrimarySiloPort", $"{ports[0]}", key, value];

        // Act
        await using var silo = RunningProcess.Start("silo", RepoPaths.SiloDll, arguments);
        var exitCode = await silo.WaitForExitAsync(Timeout);

        // Assert
        Assert.Equal(2, exitCode);
        var error = silo.StandardError.Trim();
        Assert.StartsWith("error: invalid configuration", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    public async Task ASiloServingHttpBeyondLoopbackWithoutAKeyExitsBeforeListeningNamingSiloApiKey(string address)
    {
        // Arrange: free ports, so that only the missing key can stop the silo.
        var ports = FreePorts.Take(3);
        string[] arguments = ["--Silo:SiloPort", $"{ports[0]}", "--Silo:GatewayPort", $"{ports[1]}", "--Silo:HttpPort", $"{ports[2]}", "--Silo:PrimarySiloPort", $"{ports[0]}", "--Silo:HttpAddress", address];

        // Act
        await using var silo = RunningProcess.Start("silo", RepoPaths.SiloDll, arguments);
        var exitCode = await silo.WaitForExitAsync(Timeout);

        // Assert: the check comes before Orleans and Kestrel start, so nothing was ever listening.
        Assert.Equal(2, exitCode);
        var error = silo.StandardError.Trim();
        Assert.Equal($"error: invalid configuration: Silo:ApiKey is not set; a silo whose Silo:HttpAddress is {address} (reachable from other machines) must have one", error);
        Assert.DoesNotContain("starting", silo.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASiloStopsGracefullyOnSigtermAndExitsZeroEvenWithAPageStreamOpen()
    {
        // Arrange: a page's event stream is open, which never ends by itself.
        await using var cluster = await LocalCluster.StartAsync(silos: 1, capacity: 10);
        var silo = cluster.Silos[0];
        using var http = new HttpClient { Timeout = Timeout };
        using (var post = await http.PostAsync(new Uri($"http://127.0.0.1:{cluster.HttpPorts[0]}/api/topics/beer/posts"), new StringContent("""[{"text":"stout"}]""", Encoding.UTF8, "application/json")))
        {
            post.EnsureSuccessStatusCode();
        }

        await using var events = await http.GetStreamAsync(new Uri($"http://127.0.0.1:{cluster.HttpPorts[0]}/api/topics/beer/events"));
        Assert.True(await events.ReadAsync(new byte[1]) > 0);

        // Act
        silo.Signal("TERM");
        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(20));

        // Assert: within 20 s, well before ASP.NET's 30 s shutdown timeout would cut the stream.
        Assert.Equal(0, exitCode);
        Assert.Contains("Silo 0 stopping: leaving the cluster gracefully", silo.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Silo 0 stopped", silo.StandardOutput, StringComparison.Ordinal);
    }
}
