using System.Net.Http.Json;
using System.Text.Json;

namespace WordCloud.EndToEndTests.Infrastructure;

/// <summary>What a topic's window holds, read through the JSON API of whichever silo of a cluster answers.</summary>
public static class WindowPosts
{
    /// <summary>The texts of every post the window holds, oldest first (none for a window nobody wrote to).</summary>
    public static async Task<string[]?> ReadAsync(LocalCluster cluster, string topic)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        foreach (var index in Enumerable.Range(0, cluster.Silos.Count).Where(index => !cluster.Silos[index].HasExited))
        {
            try
            {
                var posts = await http.GetFromJsonAsync<JsonElement>(new Uri($"http://127.0.0.1:{cluster.HttpPorts[index]}/api/topics/{topic}/posts"));
                return [.. posts.EnumerateArray().Select(post => post.GetProperty("text").GetString()!)];
            }
            catch (Exception unavailable) when (unavailable is HttpRequestException or TaskCanceledException or JsonException)
            {
                // That silo is down or the window is moving: ask the next, or again.
            }
        }

        return null;
    }

    /// <summary>Reads the window until <paramref name="done"/> says so, and returns what it read then.</summary>
    /// <exception cref="TimeoutException">Not within <paramref name="timeout"/>; the message has the last read.</exception>
    public static async Task<string[]> WaitUntilAsync(LocalCluster cluster, string topic, Func<string[], bool> done, TimeSpan timeout, string what)
    {
        var until = DateTime.UtcNow + timeout;
        string[]? last = null;
        while (DateTime.UtcNow < until)
        {
            if (await ReadAsync(cluster, topic) is { } posts)
            {
                last = posts;
                if (done(posts))
                {
                    return posts;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds} s; the window last held {last?.Length.ToString() ?? "nothing readable"}: {string.Join(" | ", last ?? [])}");
    }
}
