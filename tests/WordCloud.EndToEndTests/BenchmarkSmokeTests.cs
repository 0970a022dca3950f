using WordCloud.EndToEndTests.Infrastructure;

namespace WordCloud.EndToEndTests;

/// <summary>
/// The benchmarks run once on tiny inputs, so they keep working; no figure they print is asserted (timings belong in
/// BENCHMARKS.md, not in tests).
/// </summary>
[Collection(TwoSiloClusterCollection.Name)]
public sealed class BenchmarkSmokeTests(TwoSiloClusterFixture fixture)
{
    [Fact]
    public async Task TheLoadCommandReportsEveryFigureAndBothBaselines()
    {
        await using var load = RunningProcess.Start("load", RepoPaths.BenchmarksDll,
            ["load", "--producers", "2", "--topics", "2", "--batch", "20", "--duration", "2s", "--warmup", "1s", "--cloud-url", $"http://127.0.0.1:{fixture.Cluster.HttpPorts[0]}", "--post-length", "100", "--topic-prefix", $"smoke{Guid.NewGuid():N}"[..12], .. fixture.Cluster.GatewayArguments]);
        var exitCode = await load.WaitForExitAsync(TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 0, load.AllOutput);
        foreach (var row in new[] { "| posts/s sustained |", "| append ack latency p50 / p99 / max |", "| top-50 cloud over HTTP p50 / p99 under load |", "| peak memory of silo", "| (a) in-process reference, one thread |", "| (b) Python multiprocessing.Manager().list() |" })
        {
            Assert.Contains(row, load.StandardOutput, StringComparison.Ordinal);
        }

        // Every text cut to 100 characters (99 where the cut would split an emoji).
        Assert.Matches(@"posts: 50,000 distinct, cycled; text (99|100)\.\d characters on average \((99|100)-100\)", load.StandardOutput);
        Assert.DoesNotContain("not measured", load.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"keep-alive; 0 failed\) \|", load.StandardOutput);
        Assert.DoesNotContain(load.StandardOutput.Split('\n'), ConsoleSpans.IsSpanLine);
    }

    [Fact]
    public async Task TheMicroBenchmarksRunOnceOnTinyWindows()
    {
        await using var micro = RunningProcess.StartExecutable("micro", "dotnet",
            [RepoPaths.BenchmarksDll, "micro", "--filter", "*", "--job", "Dry", "--inProcess", "--artifacts", Path.Combine(Path.GetTempPath(), $"wordcloud-micro-{Guid.NewGuid():N}")],
            environment: new Dictionary<string, string> { ["WORDCLOUD_BENCH_CAPACITIES"] = "10,100", ["WORDCLOUD_BENCH_SMOKE"] = "1" });
        var exitCode = await micro.WaitForExitAsync(TimeSpan.FromMinutes(5));

        Assert.True(exitCode == 0, micro.AllOutput);
        Assert.Contains("Tokenize one post", micro.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Append one post", micro.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Encode one post", micro.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Top 50 words", micro.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Top 100 rising words", micro.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Top 50 words, wide vocabulary", micro.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("ERROR", micro.StandardOutput, StringComparison.Ordinal);
    }
}
