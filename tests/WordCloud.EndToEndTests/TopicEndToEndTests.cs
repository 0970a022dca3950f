using System.Net;
using System.Text;
using System.Text.Json;
using WordCloud.EndToEndTests.Infrastructure;

namespace WordCloud.EndToEndTests;

/// <summary>Topics through real silos: a read never makes a window, the list is paged, and the number of topics is bounded.</summary>
[Collection(TwoSiloClusterCollection.Name)]
public sealed class TopicEndToEndTests(TwoSiloClusterFixture fixture) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Cluster.HttpPorts[0]}"), Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task AReadOfATopicThatNeverHadPostsAnswers404AndMakesNoWindow()
    {
        var topic = NewTopic();

        var cloud = await _http.GetAsync(new Uri($"/api/topics/{topic}/cloud", UriKind.Relative));
        var posts = await _http.GetAsync(new Uri($"/api/topics/{topic}/posts", UriKind.Relative));
        var rising = await _http.GetAsync(new Uri($"/api/topics/{topic}/rising", UriKind.Relative));
        var events = await _http.GetAsync(new Uri($"/api/topics/{topic}/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound], new[] { cloud.StatusCode, posts.StatusCode, rising.StatusCode, events.StatusCode });
        Assert.Contains($"no posts about #{topic} yet", await cloud.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain($"Window {topic} activated", fixture.Cluster.AllSiloOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTopicListIsPagedAndSaysHowManyTopicsThereAre()
    {
        // Arrange: three topics with posts.
        foreach (var topic in Enumerable.Range(0, 3).Select(_ => NewTopic()))
        {
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(_http, topic)).StatusCode);
        }

        // Act
        var page = await _http.GetAsync(new Uri("/api/topics?skip=1&take=2", UriKind.Relative));
        var tooMany = await _http.GetAsync(new Uri("/api/topics?take=1001", UriKind.Relative));

        // Assert
        using var json = JsonDocument.Parse(await page.Content.ReadAsStringAsync());
        Assert.Equal(2, json.RootElement.GetArrayLength());
        Assert.True(int.Parse(page.Headers.GetValues("X-Total-Count").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 3);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("invalid take 1001: it must be between 1 and 1000", await tooMany.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANewTopicBeyondTheClustersLimitIsRefusedAndTheOthersGoOn()
    {
        // Arrange: a cluster that keeps windows for two topics.
        await using var cluster = await LocalCluster.StartAsync(silos: 1, capacity: 10, redis: null, "--WordWindow:MaxTopics", "2");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{cluster.HttpPorts[0]}"), Timeout = TimeSpan.FromSeconds(30) };
        var first = NewTopic();
        await PostAsync(http, first);
        await PostAsync(http, NewTopic());

        // Act
        var third = await PostAsync(http, NewTopic());
        var again = await PostAsync(http, first);

        // Assert
        Assert.Equal(HttpStatusCode.Conflict, third.StatusCode);
        Assert.Contains("the cluster keeps windows for at most 2 topics (WordWindow:MaxTopics)", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    public void Dispose() => _http.Dispose();

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string topic) =>
        http.PostAsync(new Uri($"/api/topics/{topic}/posts", UriKind.Relative), new StringContent("""[{"text":"crisp pilsner"}]""", Encoding.UTF8, "application/json"));

    private static string NewTopic() => $"topic{Guid.NewGuid():N}"[..20];
}
