using Microsoft.Playwright;

namespace WordCloud.EndToEndTests.Infrastructure;

/// <summary>Debian's Chromium, driven by Playwright; never a downloaded browser.</summary>
public static class Chromium
{
    /// <summary>The browser executable: CHROMIUM_PATH, else Debian's /usr/bin/chromium (test.sh installs it).</summary>
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new FileNotFoundException($"Chromium is not installed at {ExecutablePath}: run ./test.sh (it installs Debian's chromium package) or set CHROMIUM_PATH.", ExecutablePath);
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Root needs --no-sandbox (Playwright adds it); the rest keep Chromium off the network it cannot reach.
            Args = ["--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"],
        });
        return (playwright, browser);
    }

    /// <summary>Where screenshots go: TestResults/screenshots beside the test project's output.</summary>
    public static string ScreenshotPath(string name)
    {
        var directory = Path.Combine(RepoPaths.Root, "tests", "WordCloud.EndToEndTests", "TestResults", "screenshots");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name);
    }
}
