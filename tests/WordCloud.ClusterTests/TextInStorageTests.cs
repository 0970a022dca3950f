using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Orleans.Storage;
using WordCloud.Abstractions;
using WordCloud.Grains.Windows;

namespace WordCloud.ClusterTests;

/// <summary>
/// A window bigger than <c>WordWindow:TextInMemory</c>: its older posts' text lives in storage only, and every way of
/// reading posts still returns exactly the posts held, in order, reading storage for the older ones only.
/// </summary>
[Collection(TextInStorageCollection.Name)]
public sealed class TextInStorageTests(TextInStorageFixture fixture)
{
    private const int Appended = 500;

    private const int WholeReadsToCheck = 5;

    private static readonly TimeSpan WholeReadsDeadline = TimeSpan.FromSeconds(15);

    // Held after 500 appends to a window of 300: posts 200-499. Text in memory: the newest 100 at least (400-499).
    private static readonly Post[] Held = [.. Enumerable.Range(Appended - TextInStorageFixture.Capacity, TextInStorageFixture.Capacity).Select(PostNumber)];

    private static Post PostNumber(int number) => new($"post{number} word{number % 7}", Id: $"id{number}");

    private async Task<IWordWindowGrain> FilledWindowAsync()
    {
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        for (var batch = 0; batch < Appended / 25; batch++)
        {
            await grain.AppendAsync(PostBatch.Encode([.. Enumerable.Range(batch * 25, 25).Select(PostNumber)], "p", batch + 1));
        }

        return grain;
    }

    [Fact]
    public async Task AnOldPageIsReadFromStorageAndANewOneFromMemory()
    {
        var grain = await FilledWindowAsync();
        var readsBefore = SegmentReadCounter.ReadsOf(grain.GetGrainId());

        var oldPage = await grain.GetPostPageAsync(200, 50, 0);
        var readsAfterOld = SegmentReadCounter.ReadsOf(grain.GetGrainId());
        var newPage = await grain.GetPostPageAsync(450, 50, 0);
        var readsAfterNew = SegmentReadCounter.ReadsOf(grain.GetGrainId());

        Assert.Equal(200, oldPage.First);
        Assert.Equal(Held[..50], oldPage.Posts);
        Assert.True(readsAfterOld > readsBefore, $"segment reads {readsBefore} -> {readsAfterOld}: the old page did not come from storage");
        Assert.Equal(450, newPage.First);
        Assert.Equal(Held[250..], newPage.Posts);
        Assert.Equal(readsAfterOld, readsAfterNew);
    }

    [Fact]
    public async Task EveryWayOfReadingTheWholeWindowGivesThePostsHeld()
    {
        var grain = await FilledWindowAsync();

        var (cloud, posts) = await WholeWindow.ReadAsync(grain, 7);
        var (pagedStats, pagedWords, paged, _) = Assert.NotNull(await grain.ReadWholeWindowAsync(7, pageSize: 7));
        var stats = await grain.GetStatsAsync();

        Assert.Equal(Held, posts);
        Assert.Equal(Held, paged);
        Assert.Equal(new WindowStats(TextInStorageFixture.Capacity, TextInStorageFixture.Capacity, Appended, Appended - TextInStorageFixture.Capacity, TextInStorageFixture.Capacity + 7), stats);
        Assert.Equal(stats, cloud.Stats);
        Assert.Equal(stats, pagedStats);
        Assert.Equal(cloud.Words, pagedWords);
    }

    [Fact]
    public async Task WordsOfPostsWhoseTextIsInStorageLeaveTheCountsWhenThePostsLeave()
    {
        var grain = await FilledWindowAsync();

        var top = (await grain.GetCloudAsync(7, 0)).Words;

        Assert.Equal(TopSevenOf(Held), top);
    }

    [Fact]
    public async Task WholeWindowReadsDuringAppendsGiveThePostsStatsAndWordsOfOneMoment()
    {
        var grain = await FilledWindowAsync();
        var read = 0;
        var behind = 0;
        var clock = Stopwatch.StartNew();

        await WhileAppendingAsync(grain, async () =>
        {
            // A read that falls behind the appends (its posts evicted before it reached them) says so with null, and
            // under back-to-back appends most do: read until enough have come back to check, within a deadline.
            while (read < WholeReadsToCheck && clock.Elapsed < WholeReadsDeadline)
            {
                if (await grain.ReadWholeWindowAsync(7) is not var (stats, words, posts, _))
                {
                    behind++;
                    continue;
                }

                read++;

                // Exactly the posts held at the instant of the first page: consecutive, ending with the newest.
                var oldest = (int)(stats.TotalAppended - stats.Count);
                Assert.Equal(Enumerable.Range(oldest, stats.Count).Select(PostNumber), posts);
                Assert.Equal(TopSevenOf(posts), words);
            }
        });

        Assert.True(read == WholeReadsToCheck, $"{read} whole-window reads came back in {WholeReadsDeadline.TotalSeconds} s; {behind} fell behind the appends");
    }

    [Fact]
    public async Task APageFromTheStartDuringAppendsBeginsAtTheOldestPostHeld()
    {
        var grain = await FilledWindowAsync();

        await WhileAppendingAsync(grain, async () =>
        {
            for (var read = 0; read < 50; read++)
            {
                var page = await grain.GetPostPageAsync(0, 50, 0);

                Assert.Equal(page.Stats.TotalAppended - page.Stats.Count, page.First);
                Assert.Equal(Enumerable.Range((int)page.First, page.Posts.Count).Select(PostNumber), page.Posts);
            }
        });
    }

    /// <summary>Runs <paramref name="reads"/> while a producer keeps appending the next numbered posts, 25 a batch.</summary>
    private static async Task WhileAppendingAsync(IWordWindowGrain grain, Func<Task> reads)
    {
        using var stop = new CancellationTokenSource();
        async Task AppendAsync()
        {
            for (var batch = Appended / 25; !stop.IsCancellationRequested; batch++)
            {
                await grain.AppendAsync(PostBatch.Encode([.. Enumerable.Range(batch * 25, 25).Select(PostNumber)], "p", batch + 1));
            }
        }

        var appending = AppendAsync();
        try
        {
            await reads();
        }
        finally
        {
            await stop.CancelAsync();
            await appending;
        }
    }

    /// <summary>The top 7 words of posts made by <see cref="PostNumber"/>: word k is in the posts numbered k mod 7.</summary>
    private static IEnumerable<WordCount> TopSevenOf(IEnumerable<Post> posts) => Enumerable.Range(0, 7)
        .Select(k => new WordCount($"word{k}", posts.Count(post => post.Text.EndsWith($"word{k}", StringComparison.Ordinal))))
        .OrderByDescending(count => count.Count).ThenBy(count => count.Word, StringComparer.Ordinal);

    [Fact]
    public async Task AfterReactivationTheOlderPostsAreReadFromStorageAgain()
    {
        var grain = await FilledWindowAsync();
        var management = fixture.GrainFactory.GetGrain<IManagementGrain>(0);

        await management.DeactivateGrain(grain.GetGrainId());
        var posts = await grain.ReadAllPostsAsync();
        var readsBefore = SegmentReadCounter.ReadsOf(grain.GetGrainId());
        var oldPage = await grain.GetPostPageAsync(210, 10, 0);
        var readsAfter = SegmentReadCounter.ReadsOf(grain.GetGrainId());

        Assert.Equal(Held, posts);
        Assert.Equal(Held[10..20], oldPage.Posts);
        Assert.True(readsAfter > readsBefore, $"segment reads {readsBefore} -> {readsAfter}: after reactivation the old page came from memory");
    }
}

/// <summary>Our in-memory storage, counting the reads of each window's segments.</summary>
public sealed class SegmentReadCounter(IGrainStorage inner) : IGrainStorage
{
    private static readonly ConcurrentDictionary<GrainId, int> Reads = new();

    public static int ReadsOf(GrainId grainId) => Reads.GetValueOrDefault(grainId);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (stateName.StartsWith("segment-", StringComparison.Ordinal))
        {
            Reads.AddOrUpdate(grainId, 1, (_, count) => count + 1);
        }

        return inner.ReadStateAsync(stateName, grainId, grainState);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
}

/// <summary>One silo whose windows hold 300 posts and keep the text of the newest 100, counting segment reads.</summary>
public sealed class TextInStorageFixture() : WrappedStorageFixture<SegmentReadCounter>(Settings)
{
    public const int Capacity = 300;

    public const int TextInMemory = 100;

    private static Dictionary<string, string?> Settings
    {
        get
        {
            var settings = ClusterFixture.WindowSettings;
            settings[$"{WordWindowOptions.SectionName}:{nameof(WordWindowOptions.Capacity)}"] = Capacity.ToString(CultureInfo.InvariantCulture);
            settings[$"{WordWindowOptions.SectionName}:{nameof(WordWindowOptions.TextInMemory)}"] = TextInMemory.ToString(CultureInfo.InvariantCulture);
            return settings;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TextInStorageCollection : ICollectionFixture<TextInStorageFixture>
{
    public const string Name = "Text in storage";
}
