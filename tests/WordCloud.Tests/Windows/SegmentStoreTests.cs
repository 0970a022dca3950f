using System.Numerics;
using Orleans.Storage;
using WordCloud.Abstractions;
using WordCloud.Grains.Text;
using WordCloud.Grains.Windows;

namespace WordCloud.Tests.Windows;

/// <summary>
/// The segment store saving a window as delta segments, on storage kept in memory by the test, following the grain's
/// order of writes: new segments, then the head, then the clearing of what the head no longer names.
/// </summary>
public sealed class SegmentStoreTests
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
        const int segmentSize = 16;
        var storage = new SegmentStorage();
        var saver = new WindowSaver(storage, capacity: 50, segmentSize, inlinePosts);

        for (var round = 0; round < 12; round++)
        {
            foreach (var size in VariedSizes)
            {
                // Act
                saver.Append(size);
                await saver.SaveAsync();

                // Assert: the head's keys are few and all stored; nothing else is; a reload gives back the window.
                AssertFewKeys(storage, segmentSize, capacity: 50, inlinePosts);
                Assert.Equal(storage.Head!.SegmentKeys.Order(StringComparer.Ordinal), storage.SegmentKeys.Order(StringComparer.Ordinal));
                var reloaded = await WindowSaver.LoadAsync(storage, capacity: 50, segmentSize, inlinePosts);
                Assert.Equal(saver.Window.GetPosts(), reloaded.Window.GetPosts());
                Assert.Equal(saver.Window.Stats, reloaded.Window.Stats);
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
        var saver = new WindowSaver(new SegmentStorage(), capacity: 8 * segmentSize, segmentSize);

        // Act
        for (var batch = 0; batch < 8 * segmentSize / batchSize; batch++)
        {
            saver.Append(batchSize);
            await saver.SaveAsync();
        }

        // Assert: a binary counter's merges cost half a segment per doubling; the whole segment costs one more.
        var batchesPerSegment = segmentSize / batchSize;
        var perPost = 1 + (BitOperations.Log2((uint)batchesPerSegment) / 2.0);
        Assert.Equal(8 * segmentSize * perPost, saver.Store.PostsWritten);
    }

    [Fact]
    public async Task EverySaveWritesItsNewPostsAndFewerThanOneSegmentMore()
    {
        // Arrange
        const int segmentSize = 16;
        var saver = new WindowSaver(new SegmentStorage(), capacity: 50, segmentSize);
        var before = 0L;

        for (var round = 0; round < 8; round++)
        {
            foreach (var size in VariedSizes)
            {
                // Act
                saver.Append(size);
                await saver.SaveAsync();

                // Assert
                var written = saver.Store.PostsWritten - before;
                Assert.InRange(written, size, size + segmentSize - 1);
                before = saver.Store.PostsWritten;
            }
        }
    }

    [Fact]
    public async Task SmallSavesWriteOnlyTheHeadUntilItsTailIsFullThenOneSegment()
    {
        // Arrange: 64-post segments, tails of at most 8 posts, batches of 3.
        var storage = new SegmentStorage();
        var saver = new WindowSaver(storage, capacity: 500, segmentSize: 64, inlinePosts: 8);
        var segmentWrites = new List<int>();

        // Act
        for (var batch = 0; batch < 6; batch++)
        {
            saver.Append(3);
            await saver.SaveAsync();
            segmentWrites.Add(storage.SegmentWrites);
        }

        // Assert: 3 and 6 posts fit the tail; 9 do not, and go out as one segment; then 3, 6 in the tail, 9 out again.
        Assert.Equal([0, 0, 1, 1, 1, 2], segmentWrites);
        Assert.Equal(0, storage.Head!.TailCount);
        Assert.Equal(18, storage.Head.SegmentsEnd);
        saver.Append(2);
        await saver.SaveAsync();
        Assert.Equal(["post18 stout", "post19 stout"], PostLog.Unpack(storage.Head.Tail!).Select(post => post.Text));
        Assert.Equal(18, storage.Head.TailFirst);
        var reloaded = await WindowSaver.LoadAsync(storage, capacity: 500, segmentSize: 64, inlinePosts: 8);
        Assert.Equal(saver.Window.GetPosts(), reloaded.Window.GetPosts());
    }

    [Fact]
    public async Task ShrinkingBatchesStillListAtMostLog2OfTheSegmentSizePlusOneKeysPerSegment()
    {
        // Arrange: batches each smaller than the last never merge by size alone.
        const int segmentSize = 64;
        var storage = new SegmentStorage();
        var saver = new WindowSaver(storage, capacity: 200, segmentSize);

        // Act
        for (var size = 10; size >= 1; size--)
        {
            saver.Append(size);
            await saver.SaveAsync();
        }

        // Assert: 55 posts, all of segment 0, under at most log2(64) + 1 keys.
        Assert.InRange(storage.Head!.SegmentKeys.Length, 2, 7);
        var reloaded = await WindowSaver.LoadAsync(storage, capacity: 200, segmentSize);
        Assert.Equal(saver.Window.GetPosts(), reloaded.Window.GetPosts());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public async Task FailedHeadWritesLoseNothingSavedAndDuplicateNothing(int inlinePosts)
    {
        // Arrange
        const int segmentSize = 16;
        var storage = new SegmentStorage();
        var saver = new WindowSaver(storage, capacity: 50, segmentSize, inlinePosts);
        var acknowledged = new List<Post>();
        var batch = 0;

        for (var round = 0; round < 6; round++)
        {
            foreach (var size in VariedSizes)
            {
                batch++;
                var posts = saver.Append(size);
                if (batch % 4 == 0)
                {
                    // Act: this save's head write fails; its segments are written, then left unnamed.
                    storage.FailNextHeadWrite = true;
                    await Assert.ThrowsAsync<IOException>(saver.SaveAsync);

                    // The grain reloads from storage and the producer sends the batch again.
                    saver = await WindowSaver.LoadAsync(storage, capacity: 50, segmentSize, inlinePosts);
                    Assert.Equal(acknowledged.TakeLast(50), saver.Window.GetPosts());
                    saver.Append(posts);
                }

                await saver.SaveAsync();
                acknowledged.AddRange(posts);
            }
        }

        // Assert
        var reloaded = await WindowSaver.LoadAsync(storage, capacity: 50, segmentSize, inlinePosts);
        Assert.Equal(acknowledged.TakeLast(50), reloaded.Window.GetPosts());
        Assert.Equal(acknowledged.Count, reloaded.Window.TotalAppended);
        AssertFewKeys(storage, segmentSize, capacity: 50, inlinePosts);
    }

    [Fact]
    public async Task AfterTheSegmentSizeChangesTheNextSaveRewritesEveryHeldPostAtTheNewSize()
    {
        // Arrange: saved with 16-post segments.
        var storage = new SegmentStorage();
        var saver = new WindowSaver(storage, capacity: 50, segmentSize: 16);
        foreach (var size in VariedSizes)
        {
            saver.Append(size);
            await saver.SaveAsync();
        }

        // Act: reloaded with 10-post segments, one more post saved.
        var resized = await WindowSaver.LoadAsync(storage, capacity: 50, segmentSize: 10);
        var before = resized.Store.PostsWritten;
        resized.Append(1);
        await resized.SaveAsync();

        // Assert: every held post written again, cut at multiples of 10.
        Assert.Equal(50, resized.Store.PostsWritten - before);
        var head = storage.Head!;
        Assert.Equal(10, head.SegmentSize);
        Assert.All(storage.Segments(head.SegmentKeys), segment =>
            Assert.Equal(segment.First / 10, (segment.First + segment.Count - 1) / 10));
        var reloaded = await WindowSaver.LoadAsync(storage, capacity: 50, segmentSize: 10);
        Assert.Equal(resized.Window.GetPosts(), reloaded.Window.GetPosts());
    }

    [Fact]
    public async Task AHeadListingOneWholeSegmentPerNumberLoadsAndTakesDeltasAfterIt()
    {
        // Arrange: a head as saves before deltas wrote it, one key per segment number, the last one partial.
        const int segmentSize = 16;
        var storage = new SegmentStorage();
        var texts = Enumerable.Range(0, 40).Select(number => new Post($"old{number} porter")).ToArray();
        storage.Put("segment-0-a", new WindowSegment(0, texts[..16]));
        storage.Put("segment-1-b", new WindowSegment(16, texts[16..32]));
        storage.Put("segment-2-c", new WindowSegment(32, texts[32..]));
        storage.Head = new WordWindowHead
        {
            First = 0,
            TotalAppended = 40,
            FirstSegment = 0,
            SegmentKeys = ["segment-0-a", "segment-1-b", "segment-2-c"],
            SegmentSize = segmentSize,
        };

        // Act
        var saver = await WindowSaver.LoadAsync(storage, capacity: 50, segmentSize);
        var loaded = saver.Window.GetPosts();
        var added = saver.Append(3);
        await saver.SaveAsync();
        var reloaded = await WindowSaver.LoadAsync(storage, capacity: 50, segmentSize);

        // Assert: the old keys are kept; the new posts are one delta, written alone.
        Assert.Equal(texts, loaded);
        string[] oldKeys = ["segment-0-a", "segment-1-b", "segment-2-c"];
        Assert.Equal(3, saver.Store.PostsWritten);
        Assert.Equal(oldKeys, storage.Head!.SegmentKeys[..3]);
        Assert.Equal(4, storage.Head.SegmentKeys.Length);
        Assert.Equal(texts.Concat(added), reloaded.Window.GetPosts());
    }

    /// <summary>
    /// Complete segment numbers list one key each (the oldest may have lost some posts to eviction), the newest at most
    /// ⌊log2 size⌋ + 1; the stored segments are consecutive, each within one segment number, and cover what is held.
    /// </summary>
    private static void AssertFewKeys(SegmentStorage storage, int segmentSize, int capacity, int inlinePosts = 0)
    {
        var head = storage.Head!;
        Assert.InRange(head.TailCount, 0, inlinePosts);
        Assert.Equal(head.TotalAppended, head.SegmentsEnd + head.TailCount);
        var segments = storage.Segments(head.SegmentKeys);
        if (segments.Length == 0)
        {
            Assert.Equal(head.First, head.TailFirst);
            return;
        }

        var perNumber = segments.GroupBy(segment => segment.First / segmentSize).Select(group => group.Count()).ToArray();
        Assert.All(perNumber[..^1], count => Assert.Equal(1, count));
        Assert.InRange(perNumber[^1], 1, BitOperations.Log2((uint)segmentSize) + 1);
        Assert.InRange(perNumber.Length, 1, ((capacity + segmentSize - 1) / segmentSize) + 1);
        Assert.All(segments, segment => Assert.Equal(segment.First / segmentSize, (segment.First + segment.Count - 1) / segmentSize));
        Assert.All(segments.Zip(segments.Skip(1)), pair => Assert.Equal(pair.First.First + pair.First.Count, pair.Second.First));
        Assert.True(segments[0].First <= head.First);
        Assert.Equal(head.SegmentsEnd, segments[^1].First + segments[^1].Count);
    }

    /// <summary>What the grain does around the store, without Orleans: append, save in its order of writes, reload.</summary>
    private sealed class WindowSaver(SegmentStorage storage, int capacity, int segmentSize, int inlinePosts = 0)
    {
        private int _posts;

        public WordWindow Window { get; } = new(capacity, Tokenizer.English, null);

        public SegmentStore Store { get; } = new(storage, GrainId.Create("window", "topic"), segmentSize, inlinePosts);

        public static async Task<WindowSaver> LoadAsync(SegmentStorage storage, int capacity, int segmentSize, int inlinePosts = 0)
        {
            var saver = new WindowSaver(storage, capacity, segmentSize, inlinePosts);
            var head = storage.Head ?? new WordWindowHead();
            var posts = await saver.Store.ReadAsync(head, CancellationToken.None);
            Assert.Equal(head.TotalAppended - head.First, posts.Count);
            saver.Window.Restore(posts, head.TotalAppended, head.TotalEvicted);
            saver._posts = (int)head.TotalAppended;
            return saver;
        }

        public Post[] Append(int count)
        {
            Post[] posts = [.. Enumerable.Range(0, count).Select(_ => new Post($"post{_posts++} stout"))];
            Append(posts);
            return posts;
        }

        public void Append(Post[] posts) => Assert.Equal(posts.Length, Window.Append(posts).Accepted);

        public async Task SaveAsync()
        {
            var saved = storage.Head ?? new WordWindowHead();
            var save = Store.Capture(Window, saved);
            var next = new WordWindowHead
            {
                First = Window.TotalAppended - Window.Count,
                TotalAppended = Window.TotalAppended,
                TotalEvicted = Window.TotalEvicted,
                FirstSegment = save.FirstSegment,
                SegmentKeys = save.Keys,
                SegmentSize = segmentSize,
                TailFirst = save.TailFirst,
                Tail = save.Tail,
            };
            await save.WriteAsync();
            await storage.WriteHeadAsync(next);
            Assert.Equal(0, await Store.ForgetAsync(saved.SegmentKeys.Except(save.Keys, StringComparer.Ordinal), CancellationToken.None));
        }
    }

    /// <summary>One window's storage: the head, and segments that fail the test if a key is written twice.</summary>
    private sealed class SegmentStorage : IGrainStorage
    {
        private readonly Dictionary<string, WindowSegment> _segments = new(StringComparer.Ordinal);
        private readonly HashSet<string> _everWritten = new(StringComparer.Ordinal);

        public WordWindowHead? Head { get; set; }

        public bool FailNextHeadWrite { get; set; }

        public IEnumerable<string> SegmentKeys => _segments.Keys;

        public int SegmentWrites { get; private set; }

        public WindowSegment[] Segments(IEnumerable<string> keys) => [.. keys.Select(key => _segments[key])];

        public void Put(string key, WindowSegment segment)
        {
            _segments[key] = segment;
            _everWritten.Add(key);
        }

        public Task WriteHeadAsync(WordWindowHead head)
        {
            if (FailNextHeadWrite)
            {
                FailNextHeadWrite = false;
                return Task.FromException(new IOException("head write failed, as the test asked"));
            }

            Head = head;
            return Task.CompletedTask;
        }

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (_segments.TryGetValue(stateName, out var segment))
            {
                grainState.State = (T)(object)segment;
                grainState.RecordExists = true;
                grainState.ETag = stateName;
            }

            return Task.CompletedTask;
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            Assert.True(_everWritten.Add(stateName), $"segment {stateName} written twice");
            SegmentWrites++;
            _segments[stateName] = (WindowSegment)(object)grainState.State!;
            grainState.RecordExists = true;
            grainState.ETag = stateName;
            return Task.CompletedTask;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            Assert.True(_segments.Remove(stateName), $"segment {stateName} cleared but not stored");
            grainState.RecordExists = false;
            return Task.CompletedTask;
        }
    }
}
