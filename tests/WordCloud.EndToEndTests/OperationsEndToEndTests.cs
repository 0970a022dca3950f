using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WordCloud.EndToEndTests.Infrastructure;

namespace WordCloud.EndToEndTests;

/// <summary>What an operator of two real silos relies on: health probes, the Prometheus scrape, traces and a readable console.</summary>
[Collection(TwoSiloClusterCollection.Name)]
public sealed class OperationsEndToEndTests(TwoSiloClusterFixture fixture) : IDisposable
{
    private readonly LocalCluster _cluster = fixture.Cluster;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task EverySiloIsLiveAndReadyWithWhatEachCheckSaw()
    {
        foreach (var port in _cluster.HttpPorts)
        {
            // Act
            using var live = await _http.GetAsync(Url(port, "/health/live"));
            using var ready = await _http.GetAsync(Url(port, "/health/ready"));

            // Assert
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal("Healthy", (await JsonOf(live)).GetProperty("status").GetString());
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            var checks = (await JsonOf(ready)).GetProperty("checks");
            Assert.Equal("Healthy", checks.GetProperty("silo").GetProperty("status").GetString());
            Assert.Contains("is active", checks.GetProperty("silo").GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Equal("Healthy", checks.GetProperty("storage").GetProperty("status").GetString());
            Assert.False(checks.TryGetProperty("redis", out _), "a localhost cluster has no Redis to check");
        }
    }

    [Fact]
    public async Task TheScrapeIsOnePromtoolAcceptsAndCountsThePostsThatWereAppended()
    {
        // Arrange: what both silos counted before, since the windows of other tests live on them too.
        var topic = NewTopic();
        var before = await SumOverSilosAsync("wordcloud_posts_appended_total");
        var duplicatesBefore = await SumOverSilosAsync("wordcloud_posts_duplicates_total");

        // Act: 5 posts, one of them sent twice under its id.
        using var posted = await _http.PostAsJsonAsync(Url(_cluster.HttpPorts[0], $"/api/topics/{topic}/posts"), new object[]
        {
            new { text = "amber ale one", id = "p1" }, new { text = "amber ale two", id = "p2" }, new { text = "stout three", id = "p3" },
            new { text = "stout four", id = "p4" }, new { text = "porter five", id = "p5" }, new { text = "porter five", id = "p5" },
        });
        // A scrape is kept for a moment (the exporter caches it), so read until the appends show.
        var scrapes = await ScrapeUntilAsync(scrape => Sum(scrape, "wordcloud_posts_appended_total") >= before + 5);

        // Assert
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        foreach (var scrape in scrapes)
        {
            var check = await PromtoolCheckAsync(scrape);
            Assert.True(check.ExitCode == 0, $"promtool check metrics exited with {check.ExitCode}:\n{check.Output}");
        }

        Assert.Equal(before + 5, Sum(scrapes, "wordcloud_posts_appended_total"));
        Assert.Equal(duplicatesBefore + 1, Sum(scrapes, "wordcloud_posts_duplicates_total"));
        var all = string.Join('\n', scrapes);
        // What a dashboard of this cluster queries: the project's, Orleans', ASP.NET Core's, Kestrel's and the runtime's.
        foreach (var name in new[]
        {
            "wordcloud_batches_total{", "wordcloud_append_duration_seconds_bucket{", "wordcloud_storage_duration_seconds_bucket{",
            "wordcloud_windows{", "wordcloud_windows_posts{", "wordcloud_windows_capacity{", "wordcloud_posts_evicted_total{",
            "orleans_catalog_activations{", "orleans_messaging_processing_dispatcher_received_total{",
            "http_server_request_duration_seconds_bucket{", "kestrel_active_connections{",
            "dotnet_gc_collections_total{", "dotnet_thread_pool_queue_length_total{", "dotnet_process_memory_working_set_bytes{",
        })
        {
            Assert.Contains(name, all, StringComparison.Ordinal);
        }

        // Fill is a label with four values, never the topic: the series stay as many whatever the topics.
        Assert.DoesNotContain(topic, all, StringComparison.Ordinal);
        Assert.Matches("""wordcloud_windows\{[^}]*fill="below_half"[^}]*\} [1-9]""", all);
    }

    [Fact]
    public async Task APostStartsATraceThatGoesThroughTheWindowGrainIntoItsStorage()
    {
        // Arrange: the caller's own trace, as a proxy or a traced client would send it.
        var topic = NewTopic();
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var callerSpanId = ActivitySpanId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Post, Url(_cluster.HttpPorts[1], $"/api/topics/{topic}/posts"))
        {
            Content = JsonContent.Create(new[] { new { text = "traced lager" } }),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpanId}-01");

        // Act
        using var response = await _http.SendAsync(request);

        // Assert: the HTTP span, the window's append and its storage write, each below the one before, on whichever silos ran them.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        (string Name, string Kind)[] expected = [("POST api/topics/{topic}/posts", "server"), ("IWordWindowGrain/AppendAsync", "server"), ("storage write", "client")];
        var spans = await WaitForSpansAsync(traceId, found => expected.All(wanted => found.Any(span => span.DisplayName == wanted.Name && span.Kind == wanted.Kind)));
        var http = Assert.Single(spans, span => span.DisplayName == "POST api/topics/{topic}/posts");
        Assert.Equal(callerSpanId, http.ParentSpanId);
        Assert.Equal("server", http.Kind);
        Assert.Equal("200", http.Tags["http.response.status_code"]);
        var append = Assert.Single(spans, span => span.DisplayName == "IWordWindowGrain/AppendAsync" && span.Kind == "server");
        Assert.Equal($"wordwindow/{topic}", append.Tags["orleans.rpc.target_id"]);
        Assert.True(IsBelow(append, http, spans), "the append's span is not below the HTTP request's");
        var write = Assert.Single(spans, span => span.DisplayName == "storage write" && span.Tags["wordcloud.storage.record"] == "head");
        Assert.True(IsBelow(write, append, spans), "the storage write's span is not below the append's");
    }

    [Fact]
    public async Task UnderTheDemoFeedEachSiloWritesAFewLinesASecond()
    {
        // Arrange: a page reading the topic's event stream on silo 1, as a person watching the demo does.
        var topic = NewTopic();
        var linesBefore = _cluster.Silos.Select(silo => LineCount(silo.StandardOutput)).ToArray();
        using var reading = new CancellationTokenSource();
        var reader = ReadEventsAsync(Url(_cluster.HttpPorts[1], $"/api/topics/{topic}/events"), reading.Token);
        var clock = Stopwatch.StartNew();

        // Act: the demo feed at its own pace, one post every 2 s.
        var produce = await ClientRun.RunAsync(["produce", "--topic", topic, "--count", "10", .. _cluster.GatewayArguments], TimeSpan.FromSeconds(90));
        var seconds = clock.Elapsed.TotalSeconds;
        await reading.CancelAsync();
        await reader;

        // Assert: spans are written (one line each), and no silo writes more than a few lines a second.
        Assert.True(produce.ExitCode == 0, produce.AllOutput);
        var newLines = _cluster.Silos.Select((silo, index) => silo.StandardOutput.Split('\n').Skip(linesBefore[index]).ToArray()).ToArray();
        var appendSpans = newLines.SelectMany(lines => ConsoleSpans.Parse(string.Join('\n', lines)))
            .Count(span => span.DisplayName == "IWordWindowGrain/AppendAsync" && span.Kind == "server" && span.Tags.GetValueOrDefault("orleans.rpc.target_id") == $"wordwindow/{topic}");
        Assert.True(appendSpans >= 10, $"{appendSpans} append spans of {topic} on the silos' consoles");
        for (var silo = 0; silo < newLines.Length; silo++)
        {
            var perSecond = newLines[silo].Length / seconds;
            Assert.True(perSecond <= 5, $"silo {silo} wrote {newLines[silo].Length} lines in {seconds:0.0} s ({perSecond:0.0}/s):\n{string.Join('\n', newLines[silo])}");
        }
    }

    public void Dispose() => _http.Dispose();

    private static Uri Url(int port, string path) => new($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}{path}");

    private static string NewTopic() => $"ops{Guid.NewGuid():N}"[..20];

    private static int LineCount(string output) => output.Split('\n').Length;

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private async Task<string[]> ScrapeUntilAsync(Func<string[], bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var scrapes = await Task.WhenAll(_cluster.HttpPorts.Select(port => _http.GetStringAsync(Url(port, "/metrics"))));
            if (done(scrapes) || DateTime.UtcNow > deadline)
            {
                return scrapes;
            }

            await Task.Delay(200);
        }
    }

    private async Task<double> SumOverSilosAsync(string metric) =>
        Sum(await Task.WhenAll(_cluster.HttpPorts.Select(port => _http.GetStringAsync(Url(port, "/metrics")))), metric);

    /// <summary>The sum of every sample of <paramref name="metric"/> in the scrapes (0 when none has it yet).</summary>
    private static double Sum(IEnumerable<string> scrapes, string metric) =>
        scrapes.SelectMany(scrape => scrape.Split('\n'))
            .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    /// <summary>Debian's promtool (package prometheus, installed by test.sh), reading the scrape on standard input.</summary>
    private static async Task<(int ExitCode, string Output)> PromtoolCheckAsync(string scrape)
    {
        var promtool = Environment.GetEnvironmentVariable("PROMTOOL_PATH") is { Length: > 0 } path ? path : "promtool";
        await using var check = RunningProcess.StartExecutable("promtool", promtool, ["check", "metrics"], standardInput: scrape);
        var exitCode = await check.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return (exitCode, check.AllOutput);
    }

    /// <summary>The span lines of <paramref name="traceId"/> on every silo's console, once <paramref name="complete"/> holds.</summary>
    private async Task<IReadOnlyList<ConsoleSpan>> WaitForSpansAsync(string traceId, Func<IReadOnlyList<ConsoleSpan>, bool> complete)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        IReadOnlyList<ConsoleSpan> spans;
        do
        {
            spans = [.. ConsoleSpans.Parse(_cluster.AllSiloOutput).Where(span => span.TraceId == traceId)];
            if (complete(spans))
            {
                return spans;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        throw new Xunit.Sdk.XunitException($"the spans of trace {traceId} were not all written in 15 s; found: {string.Join(", ", spans.Select(span => span.DisplayName))}");
    }

    /// <summary>True when <paramref name="ancestor"/> is found by following <paramref name="span"/>'s parents.</summary>
    private static bool IsBelow(ConsoleSpan span, ConsoleSpan ancestor, IReadOnlyList<ConsoleSpan> spans)
    {
        var byId = spans.ToDictionary(candidate => candidate.SpanId, StringComparer.Ordinal);
        var parent = span.ParentSpanId;
        while (parent is not null)
        {
            if (parent == ancestor.SpanId)
            {
                return true;
            }

            parent = byId.TryGetValue(parent, out var next) ? next.ParentSpanId : null;
        }

        return false;
    }

    private async Task ReadEventsAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[4096];
            while (await body.ReadAsync(buffer, cancellationToken) > 0)
            {
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
