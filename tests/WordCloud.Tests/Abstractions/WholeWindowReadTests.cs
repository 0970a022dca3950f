using WordCloud.Abstractions;

namespace WordCloud.Tests.Abstractions;

/// <summary>Reading a whole window page by page, against windows that answer as a silo of this version or the last.</summary>
public sealed class WholeWindowReadTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EveryPostIsReadOnceAcrossPagesWithOrWithoutTheNextNumber(bool sendsNext)
    {
        // Arrange: posts 0-24 held, post 7 deleted; a silo of the version before deletions sends no Next (and has none deleted).
        var window = new PagedWindow(25, deleted: sendsNext ? [7] : [], sendsNext);

        // Act
        var read = await window.ReadWholeWindowAsync(top: 0, pageSize: 10);

        // Assert
        var expected = Enumerable.Range(0, 25).Where(number => !sendsNext || number != 7).Select(number => $"post{number}");
        Assert.Equal(expected, read!.Value.Posts.Select(post => post.Text));
    }

    /// <summary>A window's paging as the grain answers it; the other calls are not used by the whole-window read.</summary>
    private sealed class PagedWindow(int count, long[] deleted, bool sendsNext) : IWordWindowGrain
    {
        public Task<PostPage> GetPostPageAsync(long first, int maxPosts, int top)
        {
            var end = Math.Min(count, first + maxPosts);
            var posts = Enumerable.Range((int)first, (int)(end - first)).Where(number => !deleted.Contains(number)).Select(number => new Post($"post{number}")).ToArray();
            var stats = new WindowStats(100, count - deleted.Length, count, 0, count);
            return Task.FromResult(new PostPage(first, posts, stats, [], sendsNext ? end : 0));
        }

        public Task<AppendResult> AppendAsync(PostBatch batch) => throw new NotSupportedException();

        public Task<WindowStats> GetStatsAsync() => throw new NotSupportedException();

        public Task<WordCloudView> GetCloudAsync(int top, int newestPosts) => throw new NotSupportedException();

        public Task<WordCloudView> WatchAsync(ICloudWatcher watcher) => throw new NotSupportedException();

        public Task UnwatchAsync(ICloudWatcher watcher) => throw new NotSupportedException();
    }
}
