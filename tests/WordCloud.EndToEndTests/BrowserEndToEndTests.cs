using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Playwright;
using WordCloud.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace WordCloud.EndToEndTests;

/// <summary>The word cloud page in a real headless Chromium, against real silo and client processes.</summary>
[Collection(TwoSiloClusterCollection.Name)]
public sealed class BrowserEndToEndTests(TwoSiloClusterFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly LocalCluster _cluster = fixture.Cluster;
    private readonly string _directory = Directory.CreateTempSubdirectory("wordcloud-browser-").FullName;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync() => (_playwright, _browser) = await Chromium.LaunchAsync();

    [Fact]
    public async Task TheCloudShowsTheWordsSizedByCountAndUpdatesWithoutAReload()
    {
        // Arrange: a page open on a new topic, then posts where "stout" is the most frequent word.
        var topic = NewTopic();
        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        await page.GotoAsync($"http://127.0.0.1:{_cluster.HttpPorts[0]}/cloud/{topic}");
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");
        await WaitUntilAsync(async () => await page.Locator("#status").GetAttributeAsync("data-state") == "waiting", "the page waiting for the first post");
        Assert.Equal($"No posts about #{topic} yet; waiting for the first…", await page.Locator("#status").InnerTextAsync());
        string[] firstPosts = [.. Enumerable.Repeat("stout porter", 6), .. Enumerable.Repeat("stout lager", 4), "porter barleywine", "stout"];

        // Act
        await ProduceAsync(topic, firstPosts);
        var words = await WaitForWordsAsync(page, ["stout", "porter", "lager", "barleywine"]);

        // Assert: every word is drawn, and the biggest one is the most frequent.
        var biggest = words.MaxBy(word => word.FontSize)!;
        Assert.Equal("stout", biggest.Word);
        Assert.Equal(11, biggest.Count);
        Assert.All(words.Where(word => word.Word != "stout"), word => Assert.True(word.FontSize < biggest.FontSize, $"{word.Word} {word.FontSize}px"));

        // Act: more posts, with a word the page has not seen.
        var clock = Stopwatch.StartNew();
        await ProduceAsync(topic, [.. Enumerable.Repeat("zwickelbier", 3)]);
        await WaitForWordsAsync(page, ["zwickelbier"]);
        clock.Stop();

        // Assert: the same document took the update, pushed by the server.
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page reloaded");
        Assert.Equal("15 / 50 posts (30%)", await page.Locator("#fill").InnerTextAsync());
        output.WriteLine($"a new word appeared {clock.ElapsedMilliseconds} ms after its producer started (process start included)");
        await WaitUntilAsync(async () => await page.EvaluateAsync<int>("() => document.getAnimations().length") == 0, "the words settled");
        var screenshot = Chromium.ScreenshotPath($"cloud-{topic}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        output.WriteLine($"screenshot: {screenshot}");
    }

    [Fact]
    public async Task ARisingWordIsMarkedInTheCloudAndListedWithItsChange()
    {
        // Arrange: a page open on a new topic with 30 steady posts (each word in half of them).
        var topic = NewTopic();
        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        await page.GotoAsync($"http://127.0.0.1:{_cluster.HttpPorts[0]}/cloud/{topic}");
        string[] steady = ["stout porter", "hoppy lager", "stout lager", "hoppy porter"];
        await ProduceAsync(topic, [.. Enumerable.Range(0, 30).Select(index => steady[index % 4])]);
        await WaitForWordsAsync(page, ["stout", "porter", "hoppy", "lager"]);

        // Act: a burst of a new word, beside the steady words at their usual rate.
        await ProduceAsync(topic, [.. Enumerable.Range(0, 12).Select(index => $"zymurgy {steady[index % 4]}")]);
        await WaitForWordsAsync(page, ["zymurgy"]);
        await WaitUntilAsync(async () => await page.Locator("#cloud text[data-word='zymurgy']").GetAttributeAsync("data-rising") == "true", "zymurgy marked as rising");

        // Assert: marked in colour and underlined, the steady words not; listed with its change; the legend says so.
        var marks = await page.EvaluateAsync<string[][]>(
            "() => [...document.querySelectorAll('#cloud text:not(.leaving)')].map(t => [t.dataset.word, t.dataset.rising, getComputedStyle(t).fill, getComputedStyle(t).textDecorationLine])");
        Assert.Equal(["zymurgy"], marks.Where(mark => mark[1] == "true").Select(mark => mark[0]));
        var zymurgy = marks.Single(mark => mark[0] == "zymurgy");
        Assert.Equal(("rgb(0, 121, 107)", "underline"), (zymurgy[2], zymurgy[3]));
        Assert.All(marks.Where(mark => mark[0] != "zymurgy"), mark => Assert.Equal(("false", "none"), (mark[1], mark[3])));
        Assert.All(marks.Where(mark => mark[0] != "zymurgy"), mark => Assert.NotEqual("rgb(0, 121, 107)", mark[2]));
        Assert.Equal(["zymurgy ↑ 0 → 12"], await page.Locator("#rising li").AllInnerTextsAsync());
        Assert.False(await page.Locator("#rising-none").IsVisibleAsync());
        Assert.Contains("green and underlined", await page.Locator("#legend").InnerTextAsync(), StringComparison.Ordinal);
        await WaitUntilAsync(async () => await page.EvaluateAsync<int>("() => document.getAnimations().length") == 0, "the words settled");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath($"cloud-rising-{topic}.png"), FullPage = true });
    }

    [Fact]
    public async Task PostsThatLookLikeHtmlShowAsLiteralTextAndRunNothing()
    {
        // Arrange
        var topic = NewTopic();
        var page = await _browser!.NewPageAsync();
        var dialogs = 0;
        page.Dialog += async (_, dialog) =>
        {
            Interlocked.Increment(ref dialogs);
            await dialog.DismissAsync();
        };
        await page.GotoAsync($"http://127.0.0.1:{_cluster.HttpPorts[0]}/cloud/{topic}");
        string[] hostile = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>"];

        // Act
        using var http = new HttpClient();
        var response = await http.PostAsJsonAsync(new Uri($"http://127.0.0.1:{_cluster.HttpPorts[0]}/api/topics/{topic}/posts"), hostile.Select(text => new { text }));
        response.EnsureSuccessStatusCode();
        var posts = page.Locator("#posts li .text");
        await WaitUntilAsync(async () => await posts.CountAsync() == 2, "both posts listed");

        // Assert
        Assert.Equal(hostile.Reverse(), await posts.AllInnerTextsAsync());
        Assert.Equal(0, await page.Locator("#posts img, #posts script").CountAsync());
        Assert.Equal(0, dialogs);
        var words = await WaitForWordsAsync(page, ["script", "alert", "img", "src", "onerror"]);
        Assert.Contains(words, word => word.Word == "script" && word.Count == 2);
        await WaitUntilAsync(async () => await page.EvaluateAsync<int>("() => document.getAnimations().length") == 0, "the words settled");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath($"cloud-xss-{topic}.png"), FullPage = true });
    }

    [Fact]
    public async Task ASlowFeedShowsItsRateOverTheLastMinuteRatherThanZero()
    {
        // Arrange: a page open on a new topic.
        var topic = NewTopic();
        var page = await _browser!.NewPageAsync();
        await page.GotoAsync($"http://127.0.0.1:{_cluster.HttpPorts[0]}/cloud/{topic}");
        var file = Path.Combine(_directory, $"{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(file, ["slow one", "slow two", "slow three", "slow four"]);

        // Act: one post every 2 s, as the demo feed sends them.
        var run = await ClientRun.RunAsync(["produce", "--topic", topic, "--file", file, "--every", "2s", .. _cluster.GatewayArguments], TimeSpan.FromSeconds(60));
        await WaitUntilAsync(async () => await page.Locator("#total").InnerTextAsync() == "4", "four posts seen");

        // Assert: about 4 posts over the 6 s since the first, shown with two significant digits.
        Assert.True(run.ExitCode == 0, run.AllOutput);
        Assert.Equal("Posts/s (last minute)", await page.Locator("dt:has(+ #rate)").InnerTextAsync());
        Assert.Matches(@"^0\.[1-9]\d$", await page.Locator("#rate").InnerTextAsync());
    }

    [Fact]
    public async Task ThePageReconnectsByItselfWhenItsSiloRestarts()
    {
        // Arrange: a one-silo cluster of its own, so restarting it disturbs no other test.
        await using var cluster = await LocalCluster.StartAsync(silos: 1, capacity: 20);
        var topic = NewTopic();
        var page = await _browser!.NewPageAsync();
        await page.GotoAsync($"http://127.0.0.1:{cluster.HttpPorts[0]}/cloud/{topic}");
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");
        await ProduceAsync(cluster, topic, ["pilsner tasting"]);
        await WaitForWordsAsync(page, ["pilsner", "tasting"]);

        // Act: the silo goes away and comes back on the same port (with empty in-memory storage), then new posts.
        await cluster.RestartSiloAsync(0);
        await ProduceAsync(cluster, topic, ["dunkel comeback"]);

        // Assert
        await WaitForWordsAsync(page, ["dunkel", "comeback"]);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page reloaded");
        Assert.Equal("live", await page.Locator("#status").GetAttributeAsync("data-state"));
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static string NewTopic() => $"web{Guid.NewGuid():N}"[..20];

    private Task ProduceAsync(string topic, IReadOnlyList<string> texts) => ProduceAsync(_cluster, topic, texts);

    private async Task ProduceAsync(LocalCluster cluster, string topic, IReadOnlyList<string> texts)
    {
        var file = Path.Combine(_directory, $"{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(file, texts);
        var run = await ClientRun.RunAsync(["produce", "--topic", topic, "--file", file, .. cluster.GatewayArguments], TimeSpan.FromSeconds(60));
        Assert.True(run.ExitCode == 0, run.AllOutput);
    }

    /// <summary>Waits until every one of <paramref name="expected"/> is drawn in the cloud; returns every drawn word.</summary>
    private static async Task<IReadOnlyList<DrawnWord>> WaitForWordsAsync(IPage page, IReadOnlyList<string> expected)
    {
        IReadOnlyList<DrawnWord> drawn = [];
        await WaitUntilAsync(async () =>
        {
            drawn = await DrawnWordsAsync(page);
            return expected.All(word => drawn.Any(shown => shown.Word == word));
        }, $"the words {string.Join(", ", expected)} in the cloud");
        return drawn;
    }

    private static async Task<IReadOnlyList<DrawnWord>> DrawnWordsAsync(IPage page)
    {
        var rows = await page.EvaluateAsync<string[][]>(
            "() => [...document.querySelectorAll('#cloud text:not(.leaving)')].map(t => [t.dataset.word, t.dataset.count, getComputedStyle(t).fontSize])");
        return [.. rows.Select(row => new DrawnWord(row[0], int.Parse(row[1], CultureInfo.InvariantCulture), double.Parse(row[2].Replace("px", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture)))];
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The page did not show {what} within {Deadline.TotalSeconds} s.");
            }

            await Task.Delay(100);
        }
    }

    private sealed record DrawnWord(string Word, int Count, double FontSize);
}
