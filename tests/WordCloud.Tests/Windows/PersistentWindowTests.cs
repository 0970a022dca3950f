using System.Numerics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WordCloud.Abstractions;
using WordCloud.Grains.Text;
using WordCloud.Grains.Windows;
using static WordCloud.Tests.Windows.MemoryWindowStore;

namespace WordCloud.Tests.Windows;

/// <summary>
/// A window and its persistence, against storage kept in memory that fails or holds calls on demand, with calls run one
/// at a time as the grain runs them: what is acknowledged is stored, a read never sees a post a failed save lost, saves
/// write little, and batches land once and in order.
/// </summary>
public sealed class PersistentWindowTests
{
    private static readonly int[] VariedSizes = [1, 3, 7, 16, 40];

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(64)]
    public async Task VariedBatchesListFewKeysLeaveNoSegmentBehindAndReloadExactly(int inlinePosts)
    {
        // Arrange: 16-post segments, a window of 50; batches that fill segments partly, cross their ends and evict;
        // with inline posts, some saves keep their posts in the head's tail (64: more than the window holds).
        var test = await WindowTest.StartAsync(capacity: 50, segmentSize: 16, inlinePosts);
        var appended = new List<string>();

        for (var round = 0; round < 12; round++)
        {
            foreach (var size in VariedSizes)
            {
                // Act
                appended.AddRange(await test.AppendAsync(size));

                // Assert: the head's keys are few and all stored, nothing else is; a reload gives back the window.
                test.AssertFewKeys();
                Assert.Equal(test.Store.Head!.SegmentKeys.Order(StringComparer.Ordinal), test.Store.SegmentKeys.Order(StringComparer.Ordinal));
                var reloaded = await test.ReloadAsync();
                Assert.Equal(appended.TakeLast(50), await reloaded.ReadAllTextsAsync());
                Assert.Equal(await test.StatsAsync(), await reloaded.StatsAsync());
            }
        }
    }

    [Theory]
    [InlineData(16, 1)]
    [InlineData(16, 2)]
    [InlineData(16, 4)]
    [InlineData(16, 8)]
    [InlineData(16, 16)]
    [InlineData(1024, 64)]
    public async Task EqualBatchesAreWrittenOnceWholeAndHalfLog2OfBatchesPerSegmentInMerges(int segmentSize, int batchSize)
    {
        // Arrange: enough equal batches to complete eight segments; a window that holds them all.
        var test = await WindowTest.StartAsync(capacity: 8 * segmentSize, segmentSize);

        // Act
        for (var batch = 0; batch < 8 * segmentSize / batchSize; batch++)
        {
            await test.AppendAsync(batchSize);
        }

        // Assert: a binary counter's merges cost half a segment per doubling; the whole segment costs one more.
        var batchesPerSegment = segmentSize / batchSize;
        var perPost = 1 + (BitOperations.Log2((uint)batchesPerSegment) / 2.0);
        Assert.Equal(8 * segmentSize * perPost, test.Window.SegmentPostsWritten);
    }

    [Fact]
    public async Task EverySaveWritesItsNewPostsAndFewerThanOneSegmentMore()
    {
        // Arrange
        var test = await WindowTest.StartAsync(capacity: 50, segmentSize: 16);
        var before = 0L;

        for (var round = 0; round < 8; round++)
        {
            foreach (var size in VariedSizes)
            {
                // Act
                await test.AppendAsync(size);

                // Assert
                var written = test.Window.SegmentPostsWritten - before;
                Assert.InRange(written, size, size + 16 - 1);
                before = test.Window.SegmentPostsWritten;
            }
        }
    }

    [Fact]
    public async Task SmallSavesWriteOnlyTheHeadUntilItsTailIsFullThenOneSegment()
    {
        // Arrange: 64-post segments, tails of at most 8 posts, batches of 3.
        var test = await WindowTest.StartAsync(capacity: 500, segmentSize: 64, inlinePosts: 8);
        var segmentWrites = new List<int>();

        // Act
        for (var batch = 0; batch < 6; batch++)
        {
            await test.AppendAsync(3);
            segmentWrites.Add(test.Store.SegmentWrites);
        }

        // Assert: 3 and 6 posts fit the tail; 9 do not, and go out as one segment; then 3, 6 in the tail, 9 out again.
        Assert.Equal([0, 0, 1, 1, 1, 2], segmentWrites);
        Assert.Equal(6, test.Store.HeadWrites);
        Assert.Equal(0, test.Store.Head!.TailCount);
        Assert.Equal(18, test.Store.Head.SegmentsEnd);
        await test.AppendAsync(2);
        Assert.Equal(["post18 stout", "post19 stout"], test.Store.Head.Tail!.ReadAll().Select(post => post.Text));
        Assert.Equal(18, test.Store.Head.TailFirst);
        Assert.Equal(await test.ReadAllTextsAsync(), await (await test.ReloadAsync()).ReadAllTextsAsync());
    }

    [Fact]
    public async Task ShrinkingBatchesStillListAtMostLog2OfTheSegmentSizePlusOneKeysPerSegment()
    {
        // Arrange: batches each smaller than the last never merge by size alone.
        var test = await WindowTest.StartAsync(capacity: 200, segmentSize: 64);

        // Act
        for (var size = 10; size >= 1; size--)
        {
            await test.AppendAsync(size);
        }

        // Assert: 55 posts, all of segment 0, under at most log2(64) + 1 keys.
        Assert.InRange(test.Store.Head!.SegmentKeys.Length, 2, 7);
        Assert.Equal(await test.ReadAllTextsAsync(), await (await test.ReloadAsync()).ReadAllTextsAsync());
    }

    [Fact]
    public async Task AfterTheSegmentSizeChangesTheNextSaveRewritesEveryHeldPostAtTheNewSize()
    {
        // Arrange: saved with 16-post segments.
        var test = await WindowTest.StartAsync(capacity: 50, segmentSize: 16);
        foreach (var size in VariedSizes)
        {
            await test.AppendAsync(size);
        }

        // Act: loaded again with 10-post segments, one more post saved.
        var resized = await test.ReloadAsync(segmentSize: 10);
        await resized.AppendAsync(1);

        // Assert: every held post written again, cut at multiples of 10.
        Assert.Equal(50, resized.Window.SegmentPostsWritten);
        var head = test.Store.Head!;
        Assert.Equal(10, head.SegmentSize);
        Assert.All(test.Store.Segments(head.SegmentKeys), segment => Assert.Equal(segment.First / 10, (segment.First + segment.Count - 1) / 10));
        Assert.Equal(await resized.ReadAllTextsAsync(), await (await resized.ReloadAsync(segmentSize: 10)).ReadAllTextsAsync());
    }

    [Theory]
    [InlineData(StoreCall.WriteHead, 0)]
    [InlineData(StoreCall.WriteHead, 8)]
    [InlineData(StoreCall.WriteSegment, 0)]
    public async Task SavesFailingAmidVariedBatchesLoseNothingAcknowledgedAndDuplicateNothing(StoreCall failing, int inlinePosts)
    {
        // Arrange: every fourth batch's save fails; the owner loads the window again and the producer sends it again.
        var test = await WindowTest.StartAsync(capacity: 50, segmentSize: 16, inlinePosts);
        var acknowledged = new List<string>();
        var sequence = 0;
        var failures = 0;

        for (var round = 0; round < 6; round++)
        {
            foreach (var size in VariedSizes)
            {
                var texts = test.NextTexts(size);
                sequence++;
                if (sequence % 4 == 0 && (failing == StoreCall.WriteHead || size + test.Store.Head!.TailCount > inlinePosts))
                {
                    // Act
                    test.Store.FailNext(failing);
                    await Assert.ThrowsAsync<IOException>(() => test.AppendAsync(texts, "producer", sequence));
                    Assert.True(test.Window.HasFailed);
                    failures++;
                    test = await test.ReloadAsync();
                    Assert.Equal(acknowledged.TakeLast(50), await test.ReadAllTextsAsync());
                }

                var result = await test.AppendAsync(texts, "producer", sequence);
                Assert.Equal(texts.Length, result.Accepted);
                acknowledged.AddRange(texts);
            }
        }

        // Assert
        var reloaded = await test.ReloadAsync();
        var stats = await reloaded.StatsAsync();
        Assert.Equal(7, failures);
        Assert.Equal(acknowledged.TakeLast(50), await reloaded.ReadAllTextsAsync());
        Assert.Equal(acknowledged.Count, stats.TotalAppended);
        Assert.Equal(acknowledged.Count - 50, stats.TotalEvicted);
        reloaded.AssertFewKeys();
    }

    [Fact]
    public async Task AfterAFailedSaveEveryCallFailsAndTheRetryOfTheBatchLandsOnceAfterTheReload()
    {
        // Arrange
        var test = await WindowTest.StartAsync(capacity: 50, segmentSize: 16);
        var first = await test.AppendAsync(test.NextTexts(5), "p", 1);
        test.Store.FailNext(StoreCall.WriteHead);

        // Act
        var lost = test.NextTexts(5);
        await Assert.ThrowsAsync<IOException>(() => test.AppendAsync(lost, "p", 2));
        var append = await Assert.ThrowsAsync<OrleansException>(() => test.AppendAsync(test.NextTexts(1), "p", 3));
        await Assert.ThrowsAnyAsync<Exception>(test.StatsAsync);
        await Assert.ThrowsAnyAsync<Exception>(test.CloudAsync);
        await Assert.ThrowsAnyAsync<Exception>(() => test.PageAsync(0, 100));
        var reloaded = await test.ReloadAsync();
        var retry = await reloaded.AppendAsync(lost, "p", 2);
        var again = await reloaded.AppendAsync(lost, "p", 2);

        // Assert
        Assert.Equal(5, first.Accepted);
        Assert.Contains("try again", append.Message, StringComparison.Ordinal);
        Assert.Equal(5, retry.Accepted);
        Assert.True(again.AlreadyApplied);
        Assert.Equal(10, again.TotalAppended);
        Assert.Equal(10, (await reloaded.ReadAllTextsAsync()).Length);
    }

    [Fact]
    public async Task AReadDuringASaveWaitsForItAndNeverSeesThePostsOfASaveThatFails()
    {
        // Arrange: one batch stored; the next one's head write held until the test says.
        var test = await WindowTest.StartAsync(capacity: 50, segmentSize: 16);
        var stored = await test.AppendAsync(test.NextTexts(4));
        var held = test.Store.HoldNext(StoreCall.WriteHead);
        var append = test.AppendAsync(["zymurgy zymurgy zymurgy"]);
        await held.Arrived;

        // Act: reads issued while the write is held (each has had its turn), then the write fails.
        var stats = test.StatsAsync();
        var cloud = test.CloudAsync();
        var page = test.PageAsync(0, 100);
        await test.TakeTurnAsync();
        var waited = !stats.IsCompleted && !cloud.IsCompleted && !page.IsCompleted;
        held.Fail(new IOException("the disk is full"));

        // Assert: none of them answered before the write, and none answers with the lost post.
        Assert.True(waited);
        await Assert.ThrowsAsync<IOException>(() => append);
        await Assert.ThrowsAsync<IOException>(() => stats);
        await Assert.ThrowsAsync<IOException>(() => cloud);
        await Assert.ThrowsAsync<IOException>(() => page);
        var reloaded = await test.ReloadAsync();
        Assert.Equal(stored.TotalAppended, (await reloaded.StatsAsync()).TotalAppended);
        Assert.DoesNotContain((await reloaded.CloudAsync()).Words, word => word.Word == "zymurgy");
    }

    [Fact]
    public async Task AReadDuringASaveThatSucceedsAnswersWithItsPosts()
    {
        // Arrange
        var test = await WindowTest.StartAsync(capacity: 50, segmentSize: 16);
        await test.AppendAsync(test.NextTexts(4));
        var held = test.Store.HoldNext(StoreCall.WriteHead);
        var append = test.AppendAsync(["zymurgy zymurgy zymurgy"]);
        await held.Arrived;

        // Act
        var cloud = test.CloudAsync();
        await test.TakeTurnAsync();
        var waited = !cloud.IsCompleted;
        held.Release();

        // Assert
        Assert.True(waited);
        Assert.Equal(1, (await append).Accepted);
        var read = await cloud;
        Assert.Equal(5, read.Stats.TotalAppended);
        Assert.Contains(new WordCount("zymurgy", 3), read.Words);
    }

    [Fact]
    public async Task AppendsArrivingDuringASaveShareTheNextSave()
    {
        // Arrange: the first save held, so that three more appends arrive while it runs.
        var test = await WindowTest.StartAsync(capacity: 50, segmentSize: 16);
        var held = test.Store.HoldNext(StoreCall.WriteHead);
        var first = test.AppendAsync(test.NextTexts(1));
        await held.Arrived;
        var later = new[] { test.AppendAsync(test.NextTexts(1)), test.AppendAsync(test.NextTexts(1)), test.AppendAsync(test.NextTexts(1)) };
        await test.TakeTurnAsync();

        // Act
        held.Release();
        await first;
        await Task.WhenAll(later);

        // Assert: two head writes for four appends, and all four posts stored.
        Assert.Equal(2, test.Store.HeadWrites);
        Assert.Equal(4, test.Store.Head!.TotalAppended);
    }

    [Fact]
    public async Task SegmentsThatCannotBeDeletedStayUnusedAndLoseNothing()
    {
        // Arrange: 16-post segments without a tail, so saves merge deltas and delete what they merged.
        var test = await WindowTest.StartAsync(capacity: 50, segmentSize: 16);
        await test.AppendAsync(4);
        test.Store.FailNext(StoreCall.DeleteSegment);

        // Act: this save merges the first delta into a new segment, then fails to delete it.
        var result = await test.AppendAsync(test.NextTexts(4));
        await test.AppendAsync(4);

        // Assert
        Assert.Equal(4, result.Accepted);
        Assert.False(test.Window.HasFailed);
        Assert.Equal(test.Store.Head!.SegmentKeys.Length + 1, test.Store.SegmentKeys.Count);
        Assert.Equal(12, (await (await test.ReloadAsync()).ReadAllTextsAsync()).Length);
    }

    [Fact]
    public async Task AWindowWhoseStorageLostItsRecordsWritesAllItHoldsAgainAndKeepsEveryPost()
    {
        // Arrange: 30 posts in segments and a tail, then storage loses them all (its silo stopped).
        var test = await WindowTest.StartAsync(capacity: 50, segmentSize: 16, inlinePosts: 4);
        var texts = new List<string>();
        for (var batch = 0; batch < 5; batch++)
        {
            texts.AddRange(await test.AppendAsync(6));
        }

        test.Store.LoseEverything();

        // Act: the next save finds its head gone, and writes everything again; later saves go on as usual.
        var result = await test.AppendAsync(test.NextTexts(5));
        texts.AddRange(await test.AppendAsync(3));
        var reloaded = await test.ReloadAsync();

        // Assert
        Assert.Equal(5, result.Accepted);
        Assert.False(test.Window.HasFailed);
        Assert.Equal(38, test.Store.Head!.TotalAppended);
        test.AssertFewKeys();
        var all = await reloaded.ReadAllTextsAsync();
        Assert.Equal(38, all.Length);
        Assert.Equal(texts[..30], all[..30]);
        Assert.Equal(texts[30..], all[35..]);
    }

    [Fact]
    public async Task AfterStorageLostItsRecordsOnlyThePostsWhoseTextWasInMemoryStayAndTheWindowGoesOn()
    {
        // Arrange: a window of 300 keeping the text of about its newest 100 posts only, the rest in storage.
        var test = await WindowTest.StartAsync(capacity: 300, segmentSize: 16, inlinePosts: 4, textInMemory: 100);
        for (var batch = 0; batch < 10; batch++)
        {
            await test.AppendAsync(25);
        }

        var before = await test.ReadAllTextsAsync();
        test.Store.LoseEverything();

        // Act
        var newest = await test.AppendAsync(5);
        var stats = await test.StatsAsync();
        var reloaded = await test.ReloadAsync();

        // Assert: the posts whose text was in storage only are gone (counted as evicted); the others are all stored.
        Assert.False(test.Window.HasFailed);
        Assert.InRange(stats.Count, 105, 254);
        Assert.Equal(255, stats.TotalAppended);
        Assert.Equal(255 - stats.Count, stats.TotalEvicted);
        string[] kept = [.. before[^(stats.Count - 5)..], .. newest];
        Assert.Equal(kept, await reloaded.ReadAllTextsAsync());
    }

    [Fact]
    public async Task AWindowWhoseSegmentsHoldFewerPostsThanItsHeadNamesDoesNotLoad()
    {
        // Arrange
        var test = await WindowTest.StartAsync(capacity: 50, segmentSize: 16);
        await test.AppendAsync(20);
        test.Store.Lose(test.Store.Head!.SegmentKeys[0]);

        // Act
        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => test.ReloadAsync());

        // Assert
        Assert.Contains("names 20 posts but its segments hold 0", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARetryOfAnAppliedBatchIsDroppedAndAnOlderNumberTooWhileOtherProducersAreIndependent()
    {
        // Arrange
        var test = await WindowTest.StartAsync(capacity: 50, segmentSize: 16);
        await test.AppendAsync(["zeroth stout"], "a", 1);
        await test.AppendAsync(["first stout"], "a", 2);

        // Act
        var retry = await test.AppendAsync(["first stout"], "a", 2);
        var older = await test.AppendAsync(["older stout"], "a", 1);
        var other = await test.AppendAsync(["other stout"], "b", 1);

        // Assert
        Assert.True(retry.AlreadyApplied);
        Assert.True(older.AlreadyApplied);
        Assert.Equal(1, other.Accepted);
        Assert.Equal(["zeroth stout", "first stout", "other stout"], await test.ReadAllTextsAsync());
    }

    [Fact]
    public async Task AnUnknownProducersSecondBatchWaitsForItsFirst()
    {
        // Arrange
        var test = await WindowTest.StartAsync(capacity: 50, segmentSize: 16);

        // Act: batch 2 of a producer the window has never seen arrives first, and batch 1 within the wait.
        var second = test.AppendAsync(["two"], "new", 2);
        await test.TakeTurnAsync();
        var early = second.IsCompleted;
        var first = await test.AppendAsync(["one"], "new", 1);

        // Assert
        Assert.False(early);
        Assert.Equal(1, first.Accepted);
        Assert.Equal(1, (await second).Accepted);
        Assert.Equal(["one", "two"], await test.ReadAllTextsAsync());
    }

    [Fact]
    public async Task AnUnknownProducerStartingPastBatchOneIsSentBackOutOfOrder()
    {
        // Arrange
        var test = await WindowTest.StartAsync(capacity: 50, segmentSize: 16);

        // Act: batch 5 of a producer the window does not know (never saw, or forgot); batch 1 never comes.
        var fifth = test.AppendAsync(["five"], "forgotten", 5);
        await test.TakeTurnAsync();
        test.Time.Advance(PersistentWindow.PredecessorWait);
        var result = await fifth;

        // Assert
        Assert.True(result.OutOfOrder);
        Assert.Equal(0, result.Accepted);
        Assert.Equal(0, (await test.StatsAsync()).TotalAppended);
    }

    [Fact]
    public async Task ABatchThatOvertakesItsPredecessorWaitsForItAndIsAppliedAfterIt()
    {
        // Arrange
        var test = await WindowTest.StartAsync(capacity: 50, segmentSize: 16);
        await test.AppendAsync(["one"], "p", 1);

        // Act: batch 3 arrives first and waits (the clock stands still); batch 2 arrives within the wait.
        var third = test.AppendAsync(["three"], "p", 3);
        await test.TakeTurnAsync();
        var early = third.IsCompleted;
        var second = await test.AppendAsync(["two"], "p", 2);

        // Assert
        Assert.False(early);
        Assert.Equal(1, second.Accepted);
        Assert.Equal(1, (await third).Accepted);
        Assert.Equal(["one", "two", "three"], await test.ReadAllTextsAsync());
    }

    [Fact]
    public async Task ABatchWhosePredecessorDoesNotComeWithinTheWaitIsSentBackUnapplied()
    {
        // Arrange
        var test = await WindowTest.StartAsync(capacity: 50, segmentSize: 16);
        await test.AppendAsync(["one"], "p", 1);

        // Act: batch 3 waits for batch 2, which never comes.
        var third = test.AppendAsync(["three"], "p", 3);
        await test.TakeTurnAsync();
        test.Time.Advance(PersistentWindow.PredecessorWait - TimeSpan.FromMilliseconds(1));
        await test.TakeTurnAsync();
        var early = third.IsCompleted;
        test.Time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await third;

        // Assert
        Assert.False(early);
        Assert.True(result.OutOfOrder);
        Assert.Equal(0, result.Accepted);
        Assert.Equal(["one"], await test.ReadAllTextsAsync());
    }

    [Fact]
    public async Task AMalformedBatchIsRefusedWithTheRuleAndChangesNothing()
    {
        // Arrange
        var test = await WindowTest.StartAsync(capacity: 50, segmentSize: 16);

        // Act
        var failure = await Assert.ThrowsAsync<ArgumentException>(() => test.AppendAsync(["text"], "p", 0));

        // Assert
        Assert.Contains("the batch sequence number is 0; it must be 1 or more", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await test.StatsAsync()).TotalAppended);
        Assert.Equal(0, test.Store.HeadWrites);
    }

    [Fact]
    public async Task DeletionsAndTheIdsHeldSurviveAReload()
    {
        // Arrange: ten posts with ids, two of them deleted.
        var test = await WindowTest.StartAsync(capacity: 50, segmentSize: 4, inlinePosts: 2);
        var entries = Enumerable.Range(0, 10).Select(index => ((string?)$"post{index} stout", $"id{index}")).ToArray();
        await test.ApplyAsync(entries);
        await test.ApplyAsync((null, "id3"), (null, "id7"));

        // Act
        var reloaded = await test.ReloadAsync();
        var replay = await reloaded.ApplyAsync(entries);
        var deleteAgain = await reloaded.ApplyAsync((null, "id7"), (null, "id8"));

        // Assert: the deleted stay deleted, a replay of every post adds none, a new deletion still works.
        Assert.Equal((0, 10), (replay.Accepted, replay.Duplicates));
        Assert.Equal(1, deleteAgain.Deleted);
        Assert.Equal(["post0 stout", "post1 stout", "post2 stout", "post4 stout", "post5 stout", "post6 stout", "post9 stout"], await reloaded.ReadAllTextsAsync());
        Assert.Equal(new WindowStats(50, 7, 10, 0, 8, TotalDuplicates: 10, TotalDeleted: 3), await reloaded.StatsAsync());
        Assert.Equal([3L, 7L, 8L], reloaded.Store.Head!.Deleted);
    }

    [Fact]
    public async Task TheCloudStillReadsWhenDeletionsReachBackToPostsWhoseTextIsInStorageOnly()
    {
        // Arrange: the text of the newest 100 posts in memory (the least allowed: the cloud shows 100), and the newest
        // post deleted, so the newest 100 shown reach back to a post whose text is in storage only.
        var test = await WindowTest.StartAsync(capacity: 1000, segmentSize: 10, textInMemory: WindowLimits.MaxNewestPosts);
        await test.ApplyAsync([.. Enumerable.Range(0, 300).Select(index => ((string?)$"post{index}", $"id{index}"))]);
        await test.ApplyAsync((null, "id299"));

        // Act
        var cloud = await test.CloudAsync();

        // Assert: the newest shown posts whose text is in memory, newest last.
        Assert.Equal([.. Enumerable.Range(200, 99).Select(index => $"post{index}")], cloud.NewestPosts.Select(post => post.Text));
        Assert.Equal(299, cloud.Stats.Count);
    }

    [Fact]
    public async Task DeletedPostsWhoseTextIsInStorageOnlyAreLeftOutOfPages()
    {
        // Arrange: a window keeping the text of its newest 5 posts; posts 2 and 3 (in storage only) are deleted.
        var test = await WindowTest.StartAsync(capacity: 100, segmentSize: 4, textInMemory: 5);
        await test.ApplyAsync([.. Enumerable.Range(0, 20).Select(index => ((string?)$"post{index}", $"id{index}"))]);
        await test.ApplyAsync((null, "id2"), (null, "id3"));

        // Act
        var page = await test.PageAsync(0, 6);

        // Assert
        Assert.Equal(["post0", "post1", "post4", "post5"], page.Posts.Select(post => post.Text));
        Assert.Equal(6, page.Next);
        Assert.Equal(18, (await test.ReadAllTextsAsync()).Length);
    }

    [Fact]
    public async Task OlderPostsAreReadFromStorageOnceTheirTextLeftMemory()
    {
        // Arrange: a window of 1,000 keeping the text of its newest 100 posts; 10-post segments.
        var test = await WindowTest.StartAsync(capacity: 1000, segmentSize: 10, textInMemory: 100);
        var appended = new List<string>();
        for (var batch = 0; batch < 30; batch++)
        {
            appended.AddRange(await test.AppendAsync(37));
        }

        var readsBefore = test.Store.SegmentReads;

        // Act: pages from the oldest post on, which is in storage only.
        var oldest = await test.PageAsync(110, 5);
        var all = await test.ReadAllTextsAsync();

        // Assert
        Assert.Equal(110, oldest.First);
        Assert.Equal(appended.Skip(110).Take(5), oldest.Posts.Select(post => post.Text));
        Assert.Equal(appended.TakeLast(1000), all);
        Assert.True(test.Store.SegmentReads > readsBefore, "the oldest posts were not read from storage");
    }

    [Fact]
    public async Task TheCloudIsMadeOncePerChangeAndItsRateCountsTheLastMinute()
    {
        // Arrange: one post every 2 s for two minutes.
        var test = await WindowTest.StartAsync(capacity: 50, segmentSize: 16);
        for (var post = 0; post < 60; post++)
        {
            await test.AppendAsync(1);
            test.Time.Advance(TimeSpan.FromSeconds(2));
        }

        // Act
        var first = await test.CloudAsync();
        var second = await test.CloudAsync();
        test.Time.Advance(TimeSpan.FromSeconds(60));
        var quiet = await test.CloudAsync();

        // Assert
        Assert.Same(first, second);
        Assert.Equal(0.5, first.PostsPerSecond, precision: 1);
        Assert.Equal(0, quiet.PostsPerSecond);
        Assert.Equal(first.Words, quiet.Words);
        Assert.Equal(50, first.NewestPosts.Count);
        Assert.Equal("post59 stout", first.NewestPosts[^1].Text);
    }

    /// <summary>A persistent window over memory storage, its calls run one at a time, with helpers to feed and read it.</summary>
    private sealed class WindowTest
    {
        private readonly OneAtATime _turns;
        private readonly WordWindowOptions _options;
        private int _posts;

        private WindowTest(MemoryWindowStore store, OneAtATime turns, FakeTimeProvider time, WordWindowOptions options, PersistentWindow window, int posts)
        {
            Store = store;
            _turns = turns;
            Time = time;
            _options = options;
            Window = window;
            _posts = posts;
        }

        public MemoryWindowStore Store { get; }

        public FakeTimeProvider Time { get; }

        public PersistentWindow Window { get; }

        public static Task<WindowTest> StartAsync(int capacity, int segmentSize, int inlinePosts = 0, int textInMemory = WindowLimits.MaxCapacity) =>
            LoadAsync(new MemoryWindowStore(), new FakeTimeProvider(), new WordWindowOptions
            {
                Capacity = capacity,
                SegmentSize = segmentSize,
                InlinePosts = inlinePosts,
                TextInMemory = textInMemory,
                ExcludeTopicWord = false,
            }, posts: 0);

        /// <summary>The window as another activation would load it from the same storage.</summary>
        public Task<WindowTest> ReloadAsync(int? segmentSize = null) =>
            LoadAsync(Store, Time, segmentSize is { } size ? CopyOf(_options, size) : _options, _posts);

        public string[] NextTexts(int count) => [.. Enumerable.Range(0, count).Select(_ => $"post{_posts++} stout")];

        public async Task<string[]> AppendAsync(int count)
        {
            var texts = NextTexts(count);
            Assert.Equal(count, (await AppendAsync(texts)).Accepted);
            return texts;
        }

        public Task<AppendResult> AppendAsync(string[] texts, string? producer = null, long sequence = 0) =>
            _turns.Run(() => Window.AppendAsync(PostBatch.Encode([.. texts.Select(text => new Post(text))], producer, sequence)));

        /// <summary>Posts with ids ("text", "id") and deletions (null, "id"), in one batch.</summary>
        public Task<AppendResult> ApplyAsync(params (string? Text, string Id)[] entries)
        {
            var builder = new PostBatchBuilder(entries.Length);
            foreach (var (text, id) in entries)
            {
                if (text is null)
                {
                    builder.AddDeletion(id);
                }
                else
                {
                    builder.Add(new Post(text, Id: id));
                    _posts++;
                }
            }

            return _turns.Run(() => Window.AppendAsync(builder.Build(null, 0)));
        }

        public Task<WindowStats> StatsAsync() => _turns.Run(Window.ReadStatsAsync);

        public Task<WordCloudView> CloudAsync() => _turns.Run(Window.ReadCloudAsync);

        public Task<PostPage> PageAsync(long first, int maxPosts) => _turns.Run(() => Window.ReadPageAsync(first, maxPosts));

        /// <summary>Completes once every call queued before it has had its turn (and is waiting, if it waits).</summary>
        public Task TakeTurnAsync() => _turns.Run(() => Task.CompletedTask);

        /// <summary>Every post held, oldest first, read page by page as a reader does.</summary>
        public async Task<string[]> ReadAllTextsAsync()
        {
            var stats = await StatsAsync();
            var texts = new List<string>();
            // From 0: the first page starts at the oldest held post.
            for (var next = 0L; next < stats.TotalAppended;)
            {
                var page = await PageAsync(next, 7);
                Assert.True(next == 0 || page.First == next, $"the page from {next} started at {page.First}");
                Assert.True(page.Next > page.First, $"the page from {next} covered nothing");
                texts.AddRange(page.Posts.Select(post => post.Text));
                next = page.Next;
            }

            return [.. texts];
        }

        /// <summary>
        /// Complete segment numbers list one key each (the oldest may have lost some posts to eviction), the newest at
        /// most ⌊log2 size⌋ + 1; the stored segments are consecutive, each within one segment number, and with the
        /// head's tail cover what is held.
        /// </summary>
        public void AssertFewKeys()
        {
            var head = Store.Head!;
            Assert.InRange(head.TailCount, 0, _options.InlinePosts);
            Assert.Equal(head.TotalAppended, head.SegmentsEnd + head.TailCount);
            var segments = Store.Segments(head.SegmentKeys);
            if (segments.Length == 0)
            {
                Assert.Equal(head.First, head.TailFirst);
                return;
            }

            var size = _options.SegmentSize;
            var perNumber = segments.GroupBy(segment => segment.First / size).Select(group => group.Count()).ToArray();
            Assert.All(perNumber[..^1], count => Assert.Equal(1, count));
            Assert.InRange(perNumber[^1], 1, BitOperations.Log2((uint)size) + 1);
            Assert.InRange(perNumber.Length, 1, ((_options.Capacity + size - 1) / size) + 1);
            Assert.All(segments, segment => Assert.Equal(segment.First / size, (segment.First + segment.Count - 1) / size));
            Assert.All(segments.Zip(segments.Skip(1)), pair => Assert.Equal(pair.First.First + pair.First.Count, pair.Second.First));
            Assert.True(segments[0].First <= head.First);
            Assert.Equal(head.SegmentsEnd, segments[^1].First + segments[^1].Count);
        }

        private static async Task<WindowTest> LoadAsync(MemoryWindowStore store, FakeTimeProvider time, WordWindowOptions options, int posts)
        {
            var turns = new OneAtATime();
            var window = await turns.Run(() => PersistentWindow.LoadAsync("topic", options, Tokenizer.English, store, time, NullLogger.Instance, CancellationToken.None));
            return new WindowTest(store, turns, time, options, window, posts);
        }

        private static WordWindowOptions CopyOf(WordWindowOptions options, int segmentSize) => new()
        {
            Capacity = options.Capacity,
            SegmentSize = segmentSize,
            InlinePosts = options.InlinePosts,
            TextInMemory = options.TextInMemory,
            ExcludeTopicWord = options.ExcludeTopicWord,
        };
    }
}
