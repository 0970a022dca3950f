using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using WordCloud.EndToEndTests.Infrastructure;
using WordCloud.Tests.Shared;
using Xunit.Abstractions;

namespace WordCloud.EndToEndTests;

/// <summary>
/// A Redis cluster of three real silos losing silos to kill -9 while a real producer writes: every acknowledged post
/// survives, exactly once and in order.
/// </summary>
public sealed partial class RedisClusterEndToEndTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Posts = 20_000;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(180);
    private static readonly string[] Vocabulary =
        ["amber", "barrel", "cellar", "draught", "ember", "foam", "growler", "hops", "keg", "lager", "malt", "nitro", "oak", "pint", "quad", "rye"];

    private readonly string _directory = Directory.CreateTempSubdirectory("wordcloud-redis-").FullName;
    private RedisServer? _redis;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    [Theory]
    [InlineData(Posts)]
    [InlineData(Posts / 4)]
    public async Task KillingTheGrainsSiloAndThenThePrimaryLosesNoAcknowledgedPostAndCountsNoneTwice(int capacity)
    {
        // Arrange: three silos, and N numbered posts the producer sends in batches of 100, slowly enough to be
        // interrupted twice.
        await using var cluster = await LocalCluster.StartAsync(silos: 3, capacity, _redis);
        var topic = $"kill{Guid.NewGuid():N}"[..16];
        var random = new Random(capacity);
        var texts = Enumerable.Range(1, Posts)
            .Select(index => $"n{index} {string.Join(' ', Enumerable.Range(0, 1 + random.Next(4)).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]))}")
            .ToArray();
        var file = Path.Combine(_directory, "posts.txt");
        await File.WriteAllLinesAsync(file, texts);
        await using var producer = RunningProcess.Start("producer", RepoPaths.ClientDll,
            ["produce", "--topic", topic, "--file", file, "--batch", "100", "--max-rate", "1500", .. cluster.GatewayArguments]);

        // Act: kill -9 the silo that hosts the topic's window, start a replacement; once appends flow again, kill -9
        // the first-started silo still alive (the one the others joined first) and start another replacement.
        var host = await WaitForHostAsync(cluster, topic);
        await WaitForCountAsync(cluster, topic, 2_000);
        var kills = new List<DateTimeOffset> { DateTimeOffset.UtcNow };
        await cluster.KillSiloAsync(host);
        output.WriteLine($"killed silo {host}, the window's host");
        await cluster.AddSiloAsync();
        var countAfterFirstKill = await WaitForCountAsync(cluster, topic, 0);
        await WaitForCountAsync(cluster, topic, Math.Min(capacity, countAfterFirstKill + 2_000));
        var firstStarted = Enumerable.Range(0, cluster.Silos.Count).First(index => !cluster.Silos[index].HasExited);
        kills.Add(DateTimeOffset.UtcNow);
        await cluster.KillSiloAsync(firstStarted);
        output.WriteLine($"killed silo {firstStarted}, the first-started still alive");
        await cluster.AddSiloAsync();
        var exitCode = await producer.WaitForExitAsync(Deadline);

        // Assert: the producer finished, and the window holds the last `capacity` posts once each, in order.
        Assert.True(exitCode == 0, producer.AllOutput);
        Assert.Contains($"sent={Posts} accepted={Posts} duplicates=0 deleted=0 rejected=0", producer.StandardOutput, StringComparison.Ordinal);
        var scan = await ClientRun.RunAsync(["scan", "--topic", topic, "--once", "--json", "--top", "1000", .. cluster.GatewayArguments], TimeSpan.FromSeconds(60));
        Assert.True(scan.ExitCode == 0, scan.AllOutput);
        using var json = JsonDocument.Parse(scan.StandardOutput.Trim());
        var held = json.RootElement.GetProperty("posts").EnumerateArray().Select(post => post.GetString()!).ToArray();
        var expected = texts[^Math.Min(capacity, Posts)..];
        Assert.Equal(expected.Length, held.Length);
        Assert.True(expected.SequenceEqual(held), $"first difference at {Enumerable.Range(0, expected.Length).FirstOrDefault(index => expected[index] != held[index])}");
        var recount = Recount.TopWords(expected, _ => true, max: 1000);
        var top = Recount.TopOf(json.RootElement);
        Assert.Equal(recount, top);

        // The producer logs when a retried batch is acknowledged; the time from each kill to the next such line is
        // how long appends were failing because of it.
        var recoveries = RecoveredPattern().Matches(producer.StandardOutput)
            .Select(match => DateTimeOffset.Parse(match.Groups["at"].Value, CultureInfo.InvariantCulture))
            .ToArray();
        foreach (var killedAt in kills)
        {
            var recovered = recoveries.FirstOrDefault(at => at > killedAt);
            output.WriteLine(recovered == default
                ? $"capacity {capacity}: kill at {killedAt:HH:mm:ss.fff}: no append failed because of it"
                : $"capacity {capacity}: kill at {killedAt:HH:mm:ss.fff}: appends succeed again {(recovered - killedAt).TotalSeconds:0.000} s later");
        }
    }

    [Fact]
    public async Task DuplicatesAndDeletionsAreHonouredAcrossTheKillOfTheWindowsSilo()
    {
        // Arrange: three silos; a Jetstream feed of 400 posts about the topic, every tenth deleted three events later.
        const long t0 = 1_764_763_200_000_000;
        await using var cluster = await LocalCluster.StartAsync(silos: 3, capacity: 1000, _redis);
        var topic = $"dedupe{Guid.NewGuid():N}"[..16];
        var frames = new List<string>();
        var expected = new List<string>();
        for (var index = 0; index < 400; index++)
        {
            var text = $"post {index} #{topic} {Vocabulary[index % Vocabulary.Length]}";
            frames.Add(JetstreamFrames.Post(t0 + (2 * index), $"r{index}", text));
            if (index % 10 == 3)
            {
                // Three events on, the post is deleted: the deletion may come after the kill, for a post stored before it.
                frames.Add(JetstreamFrames.Delete(t0 + (2 * (index + 3)) + 1, $"r{index}"));
            }
            else
            {
                expected.Add(text);
            }
        }

        await using var jetstream = await JetstreamTestServer.StartAsync([.. frames.OrderBy(TimeOf)]);
        string[] produce = ["produce", "--topic", topic, "--source", "jetstream", "--jetstream-url", jetstream.Url.ToString(), "--max-rate", "100", .. cluster.GatewayArguments];

        // Act: kill -9 the window's silo half-way, start a replacement; once the feed has been read, a second producer
        // on the same feed (for availability, or a restart without a state file) sends all of it again.
        await using (var first = RunningProcess.Start("producer", RepoPaths.ClientDll, produce))
        {
            var host = await WaitForHostAsync(cluster, topic);
            await WaitForCountAsync(cluster, topic, 150);
            await cluster.KillSiloAsync(host);
            output.WriteLine($"killed silo {host}, the window's host");
            await cluster.AddSiloAsync();
            await WindowPosts.WaitUntilAsync(cluster, topic, posts => posts.Length > 0 && posts[^1] == expected[^1], Deadline, "the last post");
            first.Signal("INT");
            Assert.Equal(0, await first.WaitForExitAsync(Deadline));
        }

        // 400 posts (deletions are not counted): the second producer stops once it has read them all.
        var again = await ClientRun.RunAsync([.. produce.Where(argument => argument is not "--max-rate" and not "100"), "--count", "400"], Deadline);
        var held = await WindowPosts.ReadAsync(cluster, topic);

        // Assert: all 400 posts came again and each was a duplicate; the deleted ones stay out.
        Assert.True(again.ExitCode == 0, again.AllOutput);
        Assert.Equal(expected, held);
        Assert.Contains("accepted=0 duplicates=400 deleted=0", again.StandardOutput, StringComparison.Ordinal);
    }

    private static long TimeOf(string frame)
    {
        using var json = JsonDocument.Parse(frame);
        return json.RootElement.GetProperty("time_us").GetInt64();
    }

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The silo whose log says it activated the topic's window.</summary>
    private static async Task<int> WaitForHostAsync(LocalCluster cluster, string topic)
    {
        var until = DateTime.UtcNow + Deadline;
        while (DateTime.UtcNow < until)
        {
            for (var index = 0; index < cluster.Silos.Count; index++)
            {
                if (cluster.Silos[index].StandardOutput.Contains($"Window {topic} activated", StringComparison.Ordinal))
                {
                    return index;
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No silo activated the window of {topic}.\n{cluster.AllSiloOutput}");
    }

    /// <summary>Waits until the window holds at least <paramref name="atLeast"/> posts, asking any live silo.</summary>
    private static async Task<int> WaitForCountAsync(LocalCluster cluster, string topic, int atLeast)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        var until = DateTime.UtcNow + Deadline;
        while (DateTime.UtcNow < until)
        {
            foreach (var index in Enumerable.Range(0, cluster.Silos.Count).Where(index => !cluster.Silos[index].HasExited))
            {
                try
                {
                    var cloud = await http.GetFromJsonAsync<JsonElement>(new Uri($"http://127.0.0.1:{cluster.HttpPorts[index]}/api/topics/{topic}/cloud?top=1"));
                    var count = cloud.GetProperty("count").GetInt32();
                    if (count >= atLeast)
                    {
                        return count;
                    }

                    break;
                }
                catch (Exception unavailable) when (unavailable is HttpRequestException or TaskCanceledException or JsonException)
                {
                    // This silo is starting, stopping or waiting for the window to move; ask again.
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The window of {topic} never held {atLeast.ToString(CultureInfo.InvariantCulture)} posts.");
    }

    [GeneratedRegex(@"^(?<at>\S+) INFO  \S+: Batch \d+ acknowledged after \d+ attempts; appends succeed again", RegexOptions.Multiline)]
    private static partial Regex RecoveredPattern();
}
