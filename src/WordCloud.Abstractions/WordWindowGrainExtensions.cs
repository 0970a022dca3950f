namespace WordCloud.Abstractions;

public static class WordWindowGrainExtensions
{
    /// <summary>
    /// Reads the posts a window held when <paramref name="stats"/> was taken, oldest first, page by page (one call
    /// for a small window; a window of a million posts would not fit in one message). Null when posts of that
    /// moment were evicted while reading: the caller reads the stats again and retries.
    /// </summary>
    /// <param name="window">The window to read.</param>
    /// <param name="stats">The window's stats at the moment whose posts are wanted.</param>
    /// <param name="cancellationToken">Stops waiting for the next page.</param>
    /// <param name="pageSize">Posts asked for per call, 1 to <see cref="PostPage.MaxPosts"/>.</param>
    public static async Task<IReadOnlyList<Post>?> ReadPostsAsync(this IWordWindowGrain window, WindowStats stats, CancellationToken cancellationToken = default, int pageSize = PostPage.MaxPosts)
    {
        var next = stats.TotalAppended - stats.Count;
        var end = stats.TotalAppended;
        var posts = new List<Post>(stats.Count);
        while (next < end)
        {
            var page = await window.GetPostPageAsync(next, (int)Math.Min(end - next, pageSize)).WaitAsync(cancellationToken);
            if (page.First != next || page.Posts.Count == 0)
            {
                return null;
            }

            var take = (int)Math.Min(page.Posts.Count, end - next);
            posts.AddRange(page.Posts.Take(take));
            next += take;
        }

        return posts;
    }
}
