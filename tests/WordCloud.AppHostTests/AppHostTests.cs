using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using WordCloud.AppHost;
using Xunit.Abstractions;

namespace WordCloud.AppHostTests;

/// <summary>
/// The whole application of the AppHost: a redis-server, three silos in a Redis cluster, the producer and the scanner,
/// run as Aspire runs them (the dashboard aside), and stopped with it.
/// </summary>
public sealed class AppHostTests(ITestOutputHelper output)
{
    /// <summary>
    /// For all of it, start to stop. Alone on a 2-core machine it took 42 s; beside the rest of ./test.sh, which starts
    /// its own silos at the same time, up to 2 minutes.
    /// </summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);

    /// <summary>For stopping it: seconds when all is well (DCP stops the processes it started).</summary>
    private static readonly TimeSpan StopDeadline = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task APostToOneSiloShowsInTheCloudOnAnotherWhileTheProducerFeedsItsTopic()
    {
        // Arrange: the application, started; a silo is healthy once its /health/ready answers 200 (active, storage answering).
        using var deadline = new CancellationTokenSource(Deadline);
        var cancellation = deadline.Token;
        var started = DateTimeOffset.UtcNow;
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.WordCloud_AppHost>(cancellation);
        var silos = Enumerable.Range(0, 3).Select(WordCloudResources.Silo).ToArray();
        int[] ports;
        var app = await appHost.BuildAsync(cancellation);
        try
        {
            await app.StartAsync(cancellation);
            foreach (var silo in silos)
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(silo, cancellation);
            }

            await app.ResourceNotifications.WaitForResourceAsync(WordCloudResources.Producer, KnownResourceStates.Running, cancellation);
            output.WriteLine($"three silos healthy and the producer running after {Since(started)}");
            ports = [.. silos.Select(silo => app.GetEndpoint(silo, WordCloudResources.SiloHttp).Port), app.GetEndpoint(WordCloudResources.Redis, RedisServerResource.EndpointName).Port];
            using var first = app.CreateHttpClient(silos[0], WordCloudResources.SiloHttp);
            using var last = app.CreateHttpClient(silos[^1], WordCloudResources.SiloHttp);
            var topic = "apphost";
            var word = "quokkaparade";

            // Act
            using var posted = await first.PostAsJsonAsync($"/api/topics/{topic}/posts", new[] { new { text = $"A {word} through the AppHost" } }, cancellation);

            // Assert: the word in the cloud another silo serves, and the demo feed's posts in the producer's topic.
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
            await WaitUntilAsync(last, $"/api/topics/{topic}/cloud", cloud => Words(cloud).Contains(word), $"'{word}' in the cloud of #{topic} on {silos[^1]}", cancellation);
            await WaitUntilAsync(last, "/api/topics/beer/cloud", cloud => cloud.GetProperty("count").GetInt32() > 0, "the producer's posts in #beer", cancellation);
            output.WriteLine($"the word in the cloud and the producer's posts in #beer after {Since(started)}");
        }
        finally
        {
            // A deadline of its own, so the application is stopped even when the test's has passed; a stop that hangs
            // fails the test rather than holding the whole run.
            using var stopping = new CancellationTokenSource(StopDeadline);
            try
            {
                await app.StopAsync(stopping.Token);
            }
            finally
            {
                await app.DisposeAsync().AsTask().WaitAsync(stopping.Token);
            }
        }

        // And once the application is disposed, nothing listens on the silos' HTTP ports or Redis' port any more.
        await WaitUntilClosedAsync(ports, cancellation);
        output.WriteLine($"stopped after {Since(started)}");
    }

    private static string Since(DateTimeOffset start) => $"{(DateTimeOffset.UtcNow - start).TotalSeconds:F1} s";

    private static IEnumerable<string> Words(JsonElement cloud) =>
        cloud.GetProperty("words").EnumerateArray().Select(entry => entry.GetProperty("word").GetString()!);

    /// <summary>Reads <paramref name="path"/> until its JSON answer meets <paramref name="condition"/>; a topic without posts yet answers 404.</summary>
    private static async Task WaitUntilAsync(HttpClient silo, string path, Func<JsonElement, bool> condition, string what, CancellationToken cancellation)
    {
        while (true)
        {
            try
            {
                using var response = await silo.GetAsync(path, cancellation);
                if (response.StatusCode == HttpStatusCode.OK
                    && condition(await response.Content.ReadFromJsonAsync<JsonElement>(cancellation)))
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellation);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                throw new TimeoutException($"no {what} within {Deadline.TotalSeconds:F0} s of the start");
            }
        }
    }

    private static async Task WaitUntilClosedAsync(int[] ports, CancellationToken cancellation)
    {
        foreach (var port in ports)
        {
            while (true)
            {
                using var probe = new TcpClient();
                try
                {
                    await probe.ConnectAsync(IPAddress.Loopback, port, cancellation);
                }
                catch (SocketException refused) when (refused.SocketErrorCode == SocketError.ConnectionRefused)
                {
                    break;
                }
                catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
                {
                    throw new TimeoutException($"127.0.0.1:{port} still accepts connections after the application was disposed");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellation);
            }
        }
    }
}
