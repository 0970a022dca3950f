using System.Diagnostics;
using System.Globalization;
using System.Text;
using WordCloud.Abstractions;
using WordCloud.Grains.Text;
using WordCloud.Grains.Windows;

namespace WordCloud.Benchmarks.Load;

/// <summary>What one load run is asked to do.</summary>
/// <param name="Producers">Concurrent producers, each with its own producer id.</param>
/// <param name="Topics">Topics written (PREFIX0, PREFIX1, …).</param>
/// <param name="BatchSize">Posts per append call.</param>
/// <param name="InFlight">Batches in flight per producer and topic.</param>
/// <param name="Duration">How long to measure, after the warm-up.</param>
/// <param name="Warmup">Load before measuring starts.</param>
/// <param name="Baselines">Also measure the in-process reference and the Python design.</param>
/// <param name="TopicPrefix">Names the topics.</param>
/// <param name="MaxRate">At most this many posts per second in all, or null for as fast as the cluster takes them.</param>
/// <param name="CloudUrls">The silos whose HTTP API the top-50 queries go to, such as http://127.0.0.1:8080; each is timed apart.</param>
/// <param name="PostLength">Every post's text this many characters, or 0 for the demo posts as composed.</param>
public sealed record LoadSettings(int Producers, int Topics, int BatchSize, int InFlight, TimeSpan Duration, TimeSpan Warmup, bool Baselines, string TopicPrefix, IReadOnlyList<Uri> CloudUrls, double? MaxRate = null, int PostLength = 0);

/// <summary>
/// Drives P producers over T topics against a running cluster for a set time, measuring the sustained rate, append
/// acknowledgement latency, the latency of the first topic's top-50 cloud over HTTP under that load (what the page and
/// the API read) and each silo's memory; then the two baselines on the same posts: the window and tokenizer in one
/// plain loop, and the Python multiprocessing.Manager design.
/// </summary>
public sealed class LoadRun(IClusterClient client, LoadSettings settings, TextWriter report)
{
    /// <summary>The fewest distinct posts cycled; more for a large window (see <see cref="RunAsync"/>).</summary>
    private const int DistinctPosts = 50_000;

    public async Task<int> RunAsync(CancellationToken stop)
    {
        var topics = Enumerable.Range(0, settings.Topics).Select(index => $"{settings.TopicPrefix}{index}").ToArray();
        var windows = topics.Select(topic => client.GetGrain<IWordWindowGrain>(topic)).ToArray();
        var capacity = (await windows[0].GetStatsAsync()).Capacity;
        // Every post has an id, and a window drops a post whose id it holds: each producer sends the posts under ids of
        // its own (sharing their texts), and cycles more posts than the window holds, so no post comes round again
        // while its id is still in the window, however the producers' speeds differ.
        var posts = BenchmarkPosts.Make(Math.Max(DistinctPosts, 2 * capacity), length: settings.PostLength);

        var appendLatency = new LatencyRecorder();
        var progress = new Progress();
        var clock = Stopwatch.StartNew();
        var warmupTicks = settings.Warmup.Ticks;
        bool Counting() => clock.Elapsed.Ticks >= warmupTicks;
        using var end = CancellationTokenSource.CreateLinkedTokenSource(stop);
        end.CancelAfter(settings.Warmup + settings.Duration);

        var streams = new List<OrderedBatchStream>();
        var producers = new List<Task>();
        var pacing = new object();
        var nextDue = TimeSpan.Zero;
        async Task PaceAsync()
        {
            // One shared schedule, a batch every B / rate seconds. A batch never leaves before its slot, and the
            // schedule never falls behind the clock: time the cluster spent slower than the rate is not made up
            // afterwards in a burst above it.
            if (settings.MaxRate is { } rate)
            {
                TimeSpan due;
                lock (pacing)
                {
                    nextDue = TimeSpan.FromTicks(Math.Max(nextDue.Ticks, clock.Elapsed.Ticks)) + TimeSpan.FromSeconds(settings.BatchSize / rate);
                    due = nextDue - TimeSpan.FromSeconds(settings.BatchSize / rate) - clock.Elapsed;
                }

                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, CancellationToken.None);
                }
            }
        }

        for (var producer = 0; producer < settings.Producers; producer++)
        {
            var producerId = $"bench-{Guid.NewGuid():N}";
            var cursor = producer * 7919;
            var prefix = $"p{producer}-";
            Post[] own = [.. posts.Select(post => post with { Id = prefix + post.Id })];
            foreach (var topic in TopicsOf(producer))
            {
                var stream = new OrderedBatchStream(windows[topic], producerId, settings.InFlight, appendLatency, progress);
                streams.Add(stream);
                producers.Add(Task.Run(() => stream.RunAsync(() => NextBatch(own, ref cursor), Counting, PaceAsync, end.Token), CancellationToken.None));
            }
        }

        var cloudPath = $"api/topics/{topics[0]}/cloud?top=50";
        var queries = settings.CloudUrls.Select(url => (Url: new Uri(url, cloudPath), Latency: new LatencyRecorder())).ToArray();
        var querying = queries.Select(query => Query(query.Url, query.Latency, Counting, end.Token)).ToArray();
        var memory = Task.Run(() => SampleMemoryAsync(end.Token), CancellationToken.None);
        var reporting = progress.ReportAsync(Console.Error, TimeSpan.FromSeconds(5), clock, settings.Warmup, end.Token);
        await Task.WhenAll(producers);
        var elapsed = clock.Elapsed - settings.Warmup;
        var failedQueries = await Task.WhenAll(querying);
        await reporting;
        var peaks = await memory;

        var acknowledged = streams.Sum(stream => stream.Acknowledged);
        var rate = acknowledged / elapsed.TotalSeconds;
        var (appendP50, appendP99, appendMax) = appendLatency.Percentiles();

        report.WriteLine($"OrleansCloud load: {settings.Producers} producers, {settings.Topics} topics, batches of {settings.BatchSize}, {settings.InFlight} in flight per stream, window {capacity:N0}, {(settings.MaxRate is { } limit ? $"at most {limit:N0} posts/s" : "as fast as the cluster takes them")}, {settings.Duration.TotalSeconds:0} s after {settings.Warmup.TotalSeconds:0} s warm-up");
        report.WriteLine(Invariant($"posts: {posts.Length:N0} distinct, cycled; text {posts.Average(post => post.Text.Length):0.0} characters on average ({posts.Min(post => post.Text.Length)}-{posts.Max(post => post.Text.Length)}), {posts.Average(post => Encoding.UTF8.GetByteCount(post.Text)):0.0} bytes of UTF-8"));
        report.WriteLine($"tracing: {Environment.GetEnvironmentVariable("OTEL_TRACES_SAMPLER")} {Environment.GetEnvironmentVariable("OTEL_TRACES_SAMPLER_ARG")} (spans on standard error)");
        report.WriteLine();
        report.WriteLine("| measure | value |");
        report.WriteLine("| --- | --- |");
        report.WriteLine(Invariant($"| posts/s sustained | {rate:N0} |"));
        report.WriteLine(Invariant($"| append ack latency p50 / p99 / max | {appendP50:0.00} / {appendP99:0.00} / {appendMax:0.00} ms ({appendLatency.Count:N0} batches) |"));
        var host = await client.GetGrain<IManagementGrain>(0).GetActivationAddress(windows[0], CancellationToken.None);
        report.WriteLine($"| silo hosting the window {topics[0]} | {host?.Endpoint.ToString() ?? "(none)"} |");
        foreach (var ((url, latency), failed) in queries.Zip(failedQueries))
        {
            var (queryP50, queryP99, _) = latency.Percentiles();
            report.WriteLine(Invariant($"| top-50 cloud over HTTP p50 / p99 under load | {queryP50:0.000} / {queryP99:0.000} ms ({latency.Count:N0} requests to {url}, keep-alive; {failed:N0} failed) |"));
        }


        report.WriteLine(Invariant($"| batches sent again (deferred or failed) | {streams.Sum(stream => stream.Resent):N0} |"));
        report.WriteLine(Invariant($"| posts dropped as duplicates (same id in the window) | {streams.Sum(stream => stream.Duplicates):N0} |"));
        foreach (var (silo, peak) in peaks)
        {
            report.WriteLine(Invariant($"| peak memory of silo {silo} | {peak / 1048576.0:N0} MB |"));
        }

        if (settings.Baselines)
        {
            var reference = InProcessReference(posts, capacity, TimeSpan.FromSeconds(Math.Min(5, settings.Duration.TotalSeconds)));
            report.WriteLine(Invariant($"| (a) in-process reference, one thread | {reference:N0} posts/s; OrleansCloud is {rate / reference:0.00}x ({rate / reference:0.0%}) of it |"));
            var python = await PythonBaselineAsync(posts, capacity, TimeSpan.FromSeconds(Math.Min(5, settings.Duration.TotalSeconds)), stop);
            report.WriteLine(python is { } baseline
                ? Invariant($"| (b) Python multiprocessing.Manager().list() | {baseline:N0} posts/s; OrleansCloud is {rate / baseline:0.0}x of it |")
                : "| (b) Python multiprocessing.Manager().list() | not measured: python3 is not available |");
        }

        return 0;
    }

    /// <summary>
    /// With at least as many topics as producers, producer p writes topics p, p+P, p+2P, …; with fewer, producer p
    /// writes topic p mod T, so several producers share a topic, each with its own ordered stream.
    /// </summary>
    private IEnumerable<int> TopicsOf(int producer) => settings.Topics >= settings.Producers
        ? Enumerable.Range(0, settings.Topics).Where(topic => topic % settings.Producers == producer)
        : [producer % settings.Topics];

    private Post[] NextBatch(Post[] posts, ref int cursor)
    {
        var batch = new Post[settings.BatchSize];
        for (var index = 0; index < batch.Length; index++)
        {
            batch[index] = posts[cursor++ % posts.Length];
        }

        return batch;
    }

    /// <summary>
    /// One request, then 5 ms of rest, and again, over one kept-alive connection; the time is from sending the request
    /// to having read the whole response. The requests are sent from a thread of their own, synchronously, so that the
    /// time does not include waits in this process's thread pool, which the producers keep busy (a browser reading the
    /// page has no producers beside it). Returns how many requests failed (not timed) after the warm-up: before the
    /// first batch is stored the topic has no posts and answers 404, which says nothing of the silo under load.
    /// </summary>
    private static Task<long> Query(Uri url, LatencyRecorder latencies, Func<bool> counting, CancellationToken end)
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan });
            var failed = 0L;
            while (!end.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = http.Send(new HttpRequestMessage(HttpMethod.Get, url), CancellationToken.None);
                    response.Content.ReadAsStream(CancellationToken.None).CopyTo(Stream.Null);
                    if (counting() && response.IsSuccessStatusCode)
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(started));
                    }
                    else if (counting())
                    {
                        failed++;
                    }
                }
                catch (HttpRequestException) when (counting())
                {
                    failed++;
                }
                catch (HttpRequestException)
                {
                    // Warming up: the silo may still be starting its HTTP side.
                }

                end.WaitHandle.WaitOne(5);
            }

            done.SetResult(failed);
        })
        {
            IsBackground = true,
            Name = "cloud queries",
        };
        thread.Start();
        return done.Task;
    }

    private async Task<Dictionary<string, long>> SampleMemoryAsync(CancellationToken end)
    {
        var peaks = new Dictionary<string, long>(StringComparer.Ordinal);
        var management = client.GetGrain<IManagementGrain>(0);
        while (!end.IsCancellationRequested)
        {
            // Orleans' view of each silo process's memory (EnvironmentStatistics: the process's memory use as the GC
            // and the OS report it), polled twice a second; the peak is the highest value seen.
            var hosts = await management.GetHosts(true, CancellationToken.None);
            var stats = await management.GetRuntimeStatistics([.. hosts.Keys], CancellationToken.None);
            foreach (var (address, statistics) in hosts.Keys.Zip(stats))
            {
                var name = address.ToParsableString();
                peaks[name] = Math.Max(peaks.GetValueOrDefault(name), statistics.EnvironmentStatistics.FilteredMemoryUsageBytes);
            }

            try
            {
                await Task.Delay(500, end);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return peaks;
    }

    /// <summary>
    /// The limit: the same window and tokenizer as the grain, fed as the grain feeds it (batches of 100 posts as a silo
    /// receives them, read from the message beforehand) by one thread, no Orleans.
    /// </summary>
    public static double InProcessReference(Post[] posts, int capacity, TimeSpan duration)
    {
        var window = new WordWindow(capacity, Tokenizer.English, BenchmarkPosts.Topic);
        var batches = BenchmarkPosts.AsReceived(posts, 100);
        var clock = Stopwatch.StartNew();
        long appended = 0;
        for (var index = 0; clock.Elapsed < duration; index++)
        {
            appended += window.Append(batches[index % batches.Length]).Accepted;
        }

        return appended / clock.Elapsed.TotalSeconds;
    }

    /// <summary>The design this project replaces, in Python 3 with the standard library, on the same posts.</summary>
    public static async Task<double?> PythonBaselineAsync(Post[] posts, int capacity, TimeSpan duration, CancellationToken stop)
    {
        var file = Path.Combine(Path.GetTempPath(), $"wordcloud-bench-{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(file, posts.Select(post => post.Text.ReplaceLineEndings(" ")), Encoding.UTF8, stop);
        try
        {
            var start = new ProcessStartInfo("python3")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "baseline", "manager_list.py"), "--posts", file, "--capacity", capacity.ToString(CultureInfo.InvariantCulture), "--seconds", duration.TotalSeconds.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(argument);
            }

            using var python = Process.Start(start)!;
            var output = await python.StandardOutput.ReadToEndAsync(stop);
            await python.WaitForExitAsync(stop);
            using var json = System.Text.Json.JsonDocument.Parse(output);
            return json.RootElement.GetProperty("posts_per_second").GetDouble();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
