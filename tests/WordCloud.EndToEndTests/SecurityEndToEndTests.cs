using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;
using WordCloud.EndToEndTests.Infrastructure;

namespace WordCloud.EndToEndTests;

/// <summary>A silo with an API key, through its real HTTP pipeline: who may write, who may see the dashboard, what every answer carries.</summary>
public sealed class SecurityEndToEndTests(KeyedSiloFixture fixture) : IClassFixture<KeyedSiloFixture>, IDisposable
{
    private const string PageContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private const string DashboardContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private readonly HttpClient _http = new() { BaseAddress = fixture.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task PostingNeedsTheKeyAsABearerTokenAndTheKeyIsNeverLogged()
    {
        // Arrange
        var path = $"/api/topics/{NewTopic()}/posts";

        // Act
        using var none = await PostAsync(path, authorization: null);
        using var wrong = await PostAsync(path, new AuthenticationHeaderValue("Bearer", fixture.ApiKey + "x"));
        using var basic = await PostAsync(path, Basic("user", fixture.ApiKey));
        using var right = await PostAsync(path, new AuthenticationHeaderValue("Bearer", fixture.ApiKey));

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Authorization: Bearer", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, basic.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("\"accepted\":1", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("refused POST", fixture.Cluster.AllSiloOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.ApiKey, fixture.Cluster.AllSiloOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDashboardAsksForBasicAuthenticationAndOpensWithTheKeyAsThePassword()
    {
        // Act
        using var none = await GetAsync("/dashboard/", authorization: null);
        using var wrong = await GetAsync("/dashboard/", Basic("admin", "not-the-key-at-all"));
        using var bearer = await GetAsync("/dashboard/", new AuthenticationHeaderValue("Bearer", fixture.ApiKey));
        using var right = await GetAsync("/dashboard/", Basic("anyone", fixture.ApiKey));
        using var api = await GetAsync("/dashboard/ClusterStats", Basic("anyone", fixture.ApiKey));

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Basic realm=\"OrleansCloud dashboard\"", none.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, bearer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("<html", await right.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/cloud/{topic}")]
    [InlineData("/api/topics")]
    [InlineData("/api/topics/{topic}/cloud")]
    [InlineData("/api/topics/{topic}/posts")]
    [InlineData("/assets/cloud.js")]
    public async Task ReadingStaysOpenWithoutTheKey(string template)
    {
        var topic = await TopicWithPostsAsync();

        using var response = await GetAsync(template.Replace("{topic}", topic, StringComparison.Ordinal), authorization: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TheEventStreamStaysOpenWithoutTheKey()
    {
        var topic = await TopicWithPostsAsync();

        using var response = await _http.GetAsync(new Uri($"/api/topics/{topic}/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/", false)]
    [InlineData("/api/topics/beer/cloud", false)]
    [InlineData("/api/topics/beer/posts?refused", false)]
    [InlineData("/nowhere", false)]
    [InlineData("/dashboard/", true)]
    [InlineData("/dashboard/?refused", true)]
    public async Task EveryAnswerCarriesTheSecurityHeadersAndTheDashboardItsOwnPolicy(string path, bool dashboard)
    {
        // Arrange: "?refused" asks without the key, so the 401s are checked too.
        var refused = path.EndsWith("?refused", StringComparison.Ordinal);
        var authorization = refused ? null : Basic("anyone", fixture.ApiKey);

        // Act
        using var response = path.StartsWith("/api/topics/beer/posts", StringComparison.Ordinal)
            ? await PostAsync(path, authorization)
            : await GetAsync(path, authorization);

        // Assert
        if (refused)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal(dashboard ? DashboardContentSecurityPolicy : PageContentSecurityPolicy, Header(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
    }

    [Fact]
    public async Task TheDashboardsLiveTraceIsOffByDefault()
    {
        using var response = await GetAsync("/dashboard/Trace", Basic("anyone", fixture.ApiKey));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("rebound.attacker.test:8080")]
    public async Task ARequestForAHostThatIsNotAllowedGets400(string host)
    {
        // Arrange: as a browser sends it after a DNS name was rebound to 127.0.0.1.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/topics", UriKind.Relative));
        request.Headers.Host = host;
        using var allowed = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/topics", UriKind.Relative));
        allowed.Headers.Host = $"localhost:{fixture.Cluster.HttpPorts[0]}";

        // Act
        using var response = await _http.SendAsync(request);
        using var local = await _http.SendAsync(allowed);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, local.StatusCode);
    }

    [Fact]
    public async Task TheMetricsNeedTheKeyAsBearerOrBasicWhileTheHealthProbesStayOpenAndExplainOnlyToTheKey()
    {
        // Act
        using var none = await GetAsync("/metrics", authorization: null);
        using var wrong = await GetAsync("/metrics", new AuthenticationHeaderValue("Bearer", "not-the-key-at-all"));
        using var bearer = await GetAsync("/metrics", new AuthenticationHeaderValue("Bearer", fixture.ApiKey));
        using var basic = await GetAsync("/metrics", Basic("prometheus", fixture.ApiKey));
        using var live = await GetAsync("/health/live", authorization: null);
        using var ready = await GetAsync("/health/ready", authorization: null);
        using var readyWithKey = await GetAsync("/health/ready", new AuthenticationHeaderValue("Bearer", fixture.ApiKey));

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain("wordcloud_", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.Contains("# TYPE dotnet_gc_collections_total counter", await bearer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, basic.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("nosniff", Header(ready, "X-Content-Type-Options"));
        // Without the key, the statuses only: what a check saw names addresses and errors.
        var open = await ready.Content.ReadAsStringAsync();
        Assert.Contains("\"storage\":{\"status\":\"Healthy\"", open, StringComparison.Ordinal);
        Assert.DoesNotContain("description", open, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, readyWithKey.StatusCode);
        Assert.Contains("\"description\":\"window storage answered a read\"", await readyWithKey.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDashboardAndThePageRenderInChromiumWithoutContentSecurityPolicyViolations()
    {
        // Arrange: the browser is given the key as a person would type it into the Basic prompt.
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            HttpCredentials = new HttpCredentials { Username = "anyone", Password = fixture.ApiKey },
        });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            // The cloud page has no favicon, and Chromium asks for one: a 404 that is no fault of the policy.
            if (message.Type == "error" && !message.Location.Contains("/favicon.ico", StringComparison.Ordinal))
            {
                lock (errors)
                {
                    errors.Add($"{message.Text} ({message.Location})");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add(error);
            }
        };

        // Act: the dashboard draws its menu and the silo list from its own API; then the cloud page.
        await page.GotoAsync(new Uri(fixture.BaseAddress, "/dashboard/").ToString());
        await page.Locator("#menu a").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await page.GetByText("Loading...").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden, Timeout = 30_000 });
        await page.GotoAsync(new Uri(fixture.BaseAddress, $"/cloud/{await TopicWithPostsAsync()}").ToString());
        await page.Locator("#status[data-state=live]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });

        // Assert
        lock (errors)
        {
            Assert.DoesNotContain(errors, error => error.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
            Assert.True(errors.Count == 0, string.Join('\n', errors));
        }
    }

    public void Dispose() => _http.Dispose();

    private static string NewTopic() => $"sec{Guid.NewGuid():N}"[..20];

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : string.Empty;

    /// <summary>A new topic with one post, posted with the key: a topic that never had posts is not read (404).</summary>
    private async Task<string> TopicWithPostsAsync()
    {
        var topic = NewTopic();
        using var posted = await PostAsync($"/api/topics/{topic}/posts", new AuthenticationHeaderValue("Bearer", fixture.ApiKey));
        posted.EnsureSuccessStatusCode();
        return topic;
    }

    private Task<HttpResponseMessage> PostAsync(string path, AuthenticationHeaderValue? authorization) =>
        SendAsync(HttpMethod.Post, path, authorization, new StringContent("""[{"text":"stout porter"}]""", Encoding.UTF8, "application/json"));

    private Task<HttpResponseMessage> GetAsync(string path, AuthenticationHeaderValue? authorization) =>
        SendAsync(HttpMethod.Get, path, authorization, content: null);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, AuthenticationHeaderValue? authorization, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, new Uri(path.Replace("?refused", string.Empty, StringComparison.Ordinal), UriKind.Relative)) { Content = content };
        request.Headers.Authorization = authorization;
        return await _http.SendAsync(request);
    }
}
