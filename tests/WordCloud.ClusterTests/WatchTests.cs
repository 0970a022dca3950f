using System.Collections.Concurrent;
using WordCloud.Abstractions;

namespace WordCloud.ClusterTests;

/// <summary>
/// A client watching a window (<see cref="IWordWindowGrain.WatchAsync"/>): appends reach it as pushed clouds, no more
/// often than the window pushes (at most every 250 ms), and none after it stops watching.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class WatchTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static readonly string[] Vocabulary = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"];

    [Fact]
    public async Task AppendsArriveAsPushedCloudsWhoseWordsEqualARecount()
    {
        // Arrange
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        var watcher = new CloudRecorder();
        var reference = fixture.Cluster.Client.CreateObjectReference<ICloudWatcher>(watcher);
        var appended = new List<Post>();
        try
        {
            var initial = await grain.WatchAsync(reference);

            // Act
            for (var batch = 0; batch < 3; batch++)
            {
                Post[] posts = [.. Enumerable.Range(0, 7).Select(index => new Post($"{Vocabulary[(batch + index) % Vocabulary.Length]} {Vocabulary[index % 3]}"))];
                await grain.AppendAsync(PostBatch.Encode(posts));
                appended.AddRange(posts);
            }

            var pushed = await watcher.WaitForAsync(cloud => cloud.Stats.TotalAppended == appended.Count, Deadline);

            // Assert
            Assert.Equal(0, initial.Stats.TotalAppended);
            Assert.Equal(grain.GetPrimaryKeyString(), pushed.Topic);
            Assert.Equal(Recount(appended), pushed.Words);
            Assert.Equal(appended, pushed.NewestPosts);
            Assert.Equal(new WindowStats(ClusterFixture.Capacity, appended.Count, appended.Count, 0, Vocabulary.Length), pushed.Stats);
        }
        finally
        {
            await StopWatchingAsync(grain, reference);
        }

        GC.KeepAlive(watcher);
    }

    [Fact]
    public async Task ManyAppendsInQuickSuccessionArriveAsFarFewerPushes()
    {
        // Arrange: pushes are at least 250 ms apart, so appends made back to back share them.
        const int Appends = 40;
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        var watcher = new CloudRecorder();
        var reference = fixture.Cluster.Client.CreateObjectReference<ICloudWatcher>(watcher);
        var appended = new List<Post>();
        try
        {
            await grain.WatchAsync(reference);

            // Act
            for (var append = 0; append < Appends; append++)
            {
                Post post = new($"{Vocabulary[append % Vocabulary.Length]} burst{append % 4}");
                await grain.AppendAsync(PostBatch.Encode([post]));
                appended.Add(post);
            }

            var last = await watcher.WaitForAsync(cloud => cloud.Stats.TotalAppended == Appends, Deadline);
            var pushes = watcher.Clouds;

            // Assert: the last push has every append, and the appends shared far fewer pushes than there were appends.
            Assert.Equal(Recount(appended), last.Words);
            Assert.InRange(pushes.Count, 1, (Appends / 2) - 1);
        }
        finally
        {
            await StopWatchingAsync(grain, reference);
        }

        GC.KeepAlive(watcher);
    }

    [Fact]
    public async Task AfterUnwatchingNoMoreCloudsArrive()
    {
        // Arrange: two watchers; both see the first append, then one stops watching.
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        var leaving = new CloudRecorder();
        var staying = new CloudRecorder();
        var leavingReference = fixture.Cluster.Client.CreateObjectReference<ICloudWatcher>(leaving);
        var stayingReference = fixture.Cluster.Client.CreateObjectReference<ICloudWatcher>(staying);
        try
        {
            await grain.WatchAsync(leavingReference);
            await grain.WatchAsync(stayingReference);
            await grain.AppendAsync(PostBatch.Encode([new Post("before alpha")]));
            await leaving.WaitForAsync(cloud => cloud.Stats.TotalAppended == 1, Deadline);
            await staying.WaitForAsync(cloud => cloud.Stats.TotalAppended == 1, Deadline);

            // Act
            await grain.UnwatchAsync(leavingReference);
            var later = await grain.AppendAsync(PostBatch.Encode([new Post("after bravo")]));
            var readable = await WaitForCloudAsync(grain, later.TotalAppended);
            await staying.WaitForAsync(cloud => cloud.Stats.TotalAppended == later.TotalAppended, Deadline);

            // One more push cycle, so that a push of that total sent to the watcher that left just after the one that
            // stayed (they go out one after the other) would have arrived too.
            var last = await grain.AppendAsync(PostBatch.Encode([new Post("last charlie")]));
            await staying.WaitForAsync(cloud => cloud.Stats.TotalAppended == last.TotalAppended, Deadline);

            // Assert. Not vacuous: the watcher that left got the push before it left, the cloud of the later append was
            // readable, and the window did push it, to the watcher that stayed.
            Assert.Equal(2, readable.Stats.TotalAppended);
            Assert.Contains(leaving.Clouds, cloud => cloud.Stats.TotalAppended == 1);
            Assert.DoesNotContain(leaving.Clouds, cloud => cloud.Stats.TotalAppended >= later.TotalAppended);
        }
        finally
        {
            await StopWatchingAsync(grain, leavingReference);
            await StopWatchingAsync(grain, stayingReference);
        }

        GC.KeepAlive(leaving);
        GC.KeepAlive(staying);
    }

    /// <summary>The window's cloud once it holds <paramref name="total"/> appended posts, read with <see cref="IWordWindowGrain.GetCloudAsync"/> until a deadline.</summary>
    private static async Task<WordCloudView> WaitForCloudAsync(IWordWindowGrain grain, long total)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (true)
        {
            var cloud = await grain.GetCloudAsync(WindowLimits.MaxTop, 0).WaitAsync(deadline.Token);
            if (cloud.Stats.TotalAppended >= total)
            {
                return cloud;
            }
        }
    }

    private async Task StopWatchingAsync(IWordWindowGrain grain, ICloudWatcher reference)
    {
        await grain.UnwatchAsync(reference);
        fixture.Cluster.Client.DeleteObjectReference<ICloudWatcher>(reference);
    }

    /// <summary>The top words of <paramref name="posts"/> (plain lower-case words, no stop words): count descending, then word.</summary>
    private static List<WordCount> Recount(IEnumerable<Post> posts) => [.. posts
        .SelectMany(post => post.Text.Split(' '))
        .GroupBy(word => word)
        .Select(group => new WordCount(group.Key, group.Count()))
        .OrderByDescending(count => count.Count)
        .ThenBy(count => count.Word, StringComparer.Ordinal)];

    /// <summary>A client-side watcher that records every cloud pushed to it.</summary>
    private sealed class CloudRecorder : ICloudWatcher
    {
        private readonly ConcurrentQueue<WordCloudView> _clouds = new();
        private readonly SemaphoreSlim _pushed = new(0);

        /// <summary>The clouds pushed so far, in arrival order.</summary>
        public IReadOnlyList<WordCloudView> Clouds => [.. _clouds];

        public Task CloudChangedAsync(WordCloudView cloud)
        {
            _clouds.Enqueue(cloud);
            _pushed.Release();
            return Task.CompletedTask;
        }

        /// <summary>The first cloud pushed that matches; fails the test if none came within <paramref name="deadline"/>.</summary>
        public async Task<WordCloudView> WaitForAsync(Func<WordCloudView, bool> match, TimeSpan deadline)
        {
            var until = DateTime.UtcNow + deadline;
            while (true)
            {
                if (_clouds.FirstOrDefault(match) is { } found)
                {
                    return found;
                }

                var left = until - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !await _pushed.WaitAsync(left))
                {
                    Assert.Fail($"no matching cloud was pushed within {deadline.TotalSeconds} s; totals pushed: [{string.Join(", ", _clouds.Select(cloud => cloud.Stats.TotalAppended))}]");
                }
            }
        }
    }
}
