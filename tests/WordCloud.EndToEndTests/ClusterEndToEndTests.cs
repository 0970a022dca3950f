using System.Text;
using System.Text.Json;
using WordCloud.EndToEndTests.Infrastructure;

namespace WordCloud.EndToEndTests;

/// <summary>Two real silos and real client processes, used the way the README tells a user to use them.</summary>
[Collection(TwoSiloClusterCollection.Name)]
public sealed class ClusterEndToEndTests(TwoSiloClusterFixture fixture) : IDisposable
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(60);

    // Plain words that the tokenizer keeps as they are, so a test can recount them with a split.
    private static readonly string[] Vocabulary =
        ["amber", "barrel", "cellar", "draught", "ember", "foam", "growler", "hops", "ipa", "keg", "lager", "malt", "nitro", "oak", "pint", "quad"];

    private readonly LocalCluster _cluster = fixture.Cluster;
    private readonly string _directory = Directory.CreateTempSubdirectory("wordcloud-e2e-").FullName;

    [Fact]
    public async Task WindowHoldsExactlyTheLastCapacityPostsInOrderAndTopWordsMatchARecount()
    {
        // Arrange: more posts than the window holds, each with words drawn unevenly from the vocabulary, a stop
        // word and the topic itself, which must not be counted.
        var topic = NewTopic();
        var random = new Random(20261126);
        var texts = Enumerable.Range(1, 230)
            .Select(index => $"{string.Join(' ', Enumerable.Range(0, 1 + random.Next(6)).Select(_ => Vocabulary[(int)(Vocabulary.Length * Math.Pow(random.NextDouble(), 2))]))} the {topic} #{topic} post{index}")
            .ToArray();
        var file = WriteLines("posts.txt", texts);

        // Act
        var produce = await RunClientAsync(["produce", "--topic", topic, "--file", file, "--batch", "40"]);
        var scan = await RunClientAsync(["scan", "--topic", topic, "--once", "--json", "--top", "1000"]);

        // Assert
        Assert.True(produce.ExitCode == 0, produce.AllOutput);
        Assert.Contains($"produce: topic={topic} sent=230 accepted=230 duplicates=0 deleted=0 rejected=0", produce.StandardOutput, StringComparison.Ordinal);
        Assert.True(scan.ExitCode == 0, scan.AllOutput);
        using var json = JsonDocument.Parse(scan.StandardOutput.Trim());
        var root = json.RootElement;
        Assert.Equal(topic, root.GetProperty("topic").GetString());
        Assert.Equal(TwoSiloClusterFixture.Capacity, root.GetProperty("capacity").GetInt32());
        Assert.Equal(TwoSiloClusterFixture.Capacity, root.GetProperty("count").GetInt32());
        var expectedPosts = texts[^TwoSiloClusterFixture.Capacity..];
        Assert.Equal(expectedPosts, root.GetProperty("posts").EnumerateArray().Select(post => post.GetString()!).ToArray());

        var recount = Recount.TopWords(expectedPosts, word => word != "the" && word != topic && word != $"#{topic}");
        var top = Recount.TopOf(root);
        Assert.Equal(recount, top);
    }

    [Fact]
    public async Task ScanWithRisingLogsTheRisingWordsBesideTheTopWordsAndWithJsonAddsThemToTheObject()
    {
        // Arrange: 20 steady posts (each word in half of them), then 12 that name a new word beside the steady ones.
        var topic = NewTopic();
        string[] steady = ["stout porter", "hoppy lager", "stout lager", "hoppy porter"];
        var steadyFile = WriteLines("steady.txt", [.. Enumerable.Range(0, 20).Select(index => steady[index % 4])]);
        var burstFile = WriteLines("burst.txt", [.. Enumerable.Range(0, 12).Select(index => $"zymurgy {steady[index % 4]}")]);
        Assert.Equal(0, (await RunClientAsync(["produce", "--topic", topic, "--file", steadyFile])).ExitCode);
        Assert.Equal(0, (await RunClientAsync(["produce", "--topic", topic, "--file", burstFile])).ExitCode);

        // Act
        var logged = await RunClientAsync(["scan", "--topic", topic, "--once", "--top", "3", "--rising", "3"]);
        var json = await RunClientAsync(["scan", "--topic", topic, "--once", "--json", "--top", "3", "--rising", "3"]);

        // Assert: 12 mentions in the newer 16 posts against none in the older 16; the steady words did not rise.
        Assert.True(logged.ExitCode == 0, logged.AllOutput);
        Assert.Contains($"{topic}: 32/{TwoSiloClusterFixture.Capacity} posts", logged.AllOutput, StringComparison.Ordinal);
        Assert.Contains($"{topic}: rising 1: zymurgy ↑ 0 → 12", logged.AllOutput, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 0, json.AllOutput);
        using var line = JsonDocument.Parse(json.StandardOutput.Trim());
        Assert.Equal(["topic", "capacity", "count", "posts", "top", "rising"], line.RootElement.EnumerateObject().Select(property => property.Name));
        Assert.Equal("""[{"word":"zymurgy","count":12,"baseline":0,"score":3.207}]""", line.RootElement.GetProperty("rising").GetRawText());
    }

    [Fact]
    public async Task ScanWithJsonWritesOnlyJsonLinesToStandardOutput()
    {
        // Arrange
        var topic = NewTopic();
        var produce = await RunClientAsync(["produce", "--topic", topic, "--count", "7", "--every", "0", "--seed", "5"]);
        Assert.True(produce.ExitCode == 0, produce.AllOutput);

        // Act: telemetry is on, so spans and logs are written too, but not to standard output.
        var scan = await RunClientAsync(["scan", "--topic", topic, "--json", "--every", "200ms", "--once"]);

        // Assert
        Assert.True(scan.ExitCode == 0, scan.AllOutput);
        var lines = scan.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        using var json = JsonDocument.Parse(lines[0]);
        Assert.Equal(7, json.RootElement.GetProperty("count").GetInt32());
        Assert.Equal(7, json.RootElement.GetProperty("posts").GetArrayLength());
        Assert.NotEqual(0, json.RootElement.GetProperty("top").GetArrayLength());
        Assert.Contains(scan.StandardError.Split('\n'), ConsoleSpans.IsSpanLine);
        Assert.Contains("Scanner starting", scan.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClientSpanAndASiloSpanShareATraceId()
    {
        // Arrange
        var topic = NewTopic();

        // Act
        var produce = await RunClientAsync(["produce", "--topic", topic, "--count", "3", "--every", "0", "--seed", "9"]);

        // Assert: the client's append span and the silo's span for the same call carry one trace id.
        Assert.True(produce.ExitCode == 0, produce.AllOutput);
        var clientSpans = ConsoleSpans.Parse(produce.StandardOutput)
            .Where(span => span.Kind == "client" && span.DisplayName == "IWordWindowGrain/AppendAsync")
            .ToArray();
        Assert.NotEmpty(clientSpans);
        var traceIds = clientSpans.Select(span => span.TraceId).ToHashSet(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        ConsoleSpan[] serverSpans;
        do
        {
            serverSpans = [.. ConsoleSpans.Parse(_cluster.AllSiloOutput).Where(span => span.Kind == "server" && traceIds.Contains(span.TraceId))];
            if (serverSpans.Length > 0)
            {
                break;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        Assert.NotEmpty(serverSpans);
        Assert.Contains(serverSpans, span => span.DisplayName == "IWordWindowGrain/AppendAsync");
    }

    [Fact]
    public void EverySiloRunsTheGarbageCollectorModeItsBuildAsksForAndSaysSo()
    {
        // The mode comes from the silo's runtimeconfig (Silo.csproj); the line is written from what the runtime applied.
        foreach (var silo in _cluster.Silos)
        {
            Assert.Contains("Garbage collector: workstation, concurrent, conserve memory 9 (0-9)", silo.AllOutput, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheDashboardAnswersOnEverySilo()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        foreach (var port in _cluster.HttpPorts)
        {
            var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/dashboard/"));
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.IsSuccessStatusCode, $"port {port}: {(int)response.StatusCode}");
            Assert.Contains("<html", body, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task BadLinesAreReportedWithTheirLineNumbersAndTheGoodOnesStillLand()
    {
        // Arrange: a JSON-lines file with a malformed line, an empty text and a missing text between good posts.
        var topic = NewTopic();
        var file = WriteLines("posts.jsonl",
        [
            """{"text":"first good post","id":"1","author":"ann","created_at":"2026-11-26T10:00:00Z"}""",
            """{"text": "broken""",
            """{"text":"   "}""",
            """{"id":"4"}""",
            """{"text":"second good post","id":5}""",
        ]);

        // Act
        var produce = await RunClientAsync(["produce", "--topic", topic, "--file", file]);
        var scan = await RunClientAsync(["scan", "--topic", topic, "--once", "--json"]);

        // Assert
        Assert.True(produce.ExitCode == 0, produce.AllOutput);
        Assert.Contains($"produce: topic={topic} sent=2 accepted=2 duplicates=0 deleted=0 rejected=3", produce.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("posts.jsonl line 2: malformed JSON", produce.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("posts.jsonl line 3: the post text is empty or whitespace only", produce.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("posts.jsonl line 4: \"text\" is missing", produce.StandardOutput, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(scan.StandardOutput.Trim());
        Assert.Equal(new[] { "first good post", "second good post" }, json.RootElement.GetProperty("posts").EnumerateArray().Select(post => post.GetString()!).ToArray());
        Assert.All(_cluster.Silos, silo => Assert.False(silo.HasExited, silo.AllOutput));
    }

    [Fact]
    public async Task ProduceReadsPostsFromStandardInput()
    {
        // Arrange
        var topic = NewTopic();

        // Act
        await using var client = RunningProcess.Start("client", RepoPaths.ClientDll,
            ["produce", "--topic", topic, "--file", "-", .. _cluster.GatewayArguments], standardInput: "piped one\npiped two\n");
        var exitCode = await client.WaitForExitAsync(ClientTimeout);
        var scan = await RunClientAsync(["scan", "--topic", topic, "--once", "--json"]);

        // Assert
        Assert.True(exitCode == 0, client.AllOutput);
        using var json = JsonDocument.Parse(scan.StandardOutput.Trim());
        Assert.Equal(new[] { "piped one", "piped two" }, json.RootElement.GetProperty("posts").EnumerateArray().Select(post => post.GetString()!).ToArray());
    }

    [Fact]
    public async Task CtrlCStopsTheProducerWhichSaysWhatItDidAndExitsZero()
    {
        // Arrange: the demo feed, one post every 100 ms, until interrupted.
        var topic = NewTopic();
        await using var producer = RunningProcess.Start("producer", RepoPaths.ClientDll,
            ["produce", "--topic", topic, "--every", "100ms", "--verbose", .. _cluster.GatewayArguments]);
        await producer.WaitForOutputAsync(line => line.Contains(" of 1 posts acknowledged", StringComparison.Ordinal), ClientTimeout, "a sent post");

        // Act
        producer.Signal("INT");
        var exitCode = await producer.WaitForExitAsync(ClientTimeout);

        // Assert
        Assert.True(exitCode == 0, producer.AllOutput);
        Assert.Contains($"produce: topic={topic} sent=", producer.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Disconnected from the cluster", producer.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APipeThatStaysOpenSendsWhatItHasAndCtrlCEndsTheReadWithASummary()
    {
        // Arrange: one line on standard input, and the pipe left open as `tail -f posts | produce --file -` would.
        var topic = NewTopic();
        await using var producer = RunningProcess.Start("producer", RepoPaths.ClientDll,
            ["produce", "--topic", topic, "--file", "-", "--verbose", .. _cluster.GatewayArguments], standardInput: "a lone piped post\n", keepInputOpen: true);

        // Act: the line goes out without waiting for a full batch; then Ctrl-C while the read waits for more.
        await producer.WaitForOutputAsync(line => line.Contains("Batch 1 of 1 posts acknowledged", StringComparison.Ordinal), ClientTimeout, "the lone post sent");
        producer.Signal("INT");
        var exitCode = await producer.WaitForExitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.True(exitCode == 0, producer.AllOutput);
        Assert.Contains($"produce: topic={topic} sent=1 accepted=1 duplicates=0 deleted=0 rejected=0", producer.StandardOutput, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // No underscore: the tokenizer splits words at "_", so "e2e_x" in a post would not be seen as the topic word.
    private static string NewTopic() => $"e2e{Guid.NewGuid():N}"[..20];

    private Task<ClientRun> RunClientAsync(string[] arguments) =>
        ClientRun.RunAsync([.. arguments, .. _cluster.GatewayArguments], ClientTimeout);

    private string WriteLines(string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, string.Join('\n', lines) + "\n", new UTF8Encoding(false));
        return path;
    }
}
