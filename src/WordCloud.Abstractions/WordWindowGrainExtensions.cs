namespace WordCloud.Abstractions;

public static class WordWindowGrainExtensions
{
    /// <summary>How many times <see cref="ReadWholeWindowAsync"/> starts again when posts arriving meanwhile evicted ones it had not read.</summary>
    public const int WholeWindowAttempts = 3;

    /// <summary>
    /// Every post the window holds, oldest first, with its stats, <paramref name="top"/> words (0 for none) and, when
    /// top words are asked for, its rising words (<see cref="PostPage.Rising"/>; else none) of the same instant. A window that fits one page (<see cref="PostPage.MaxPosts"/> posts and
    /// <see cref="PostPage.MaxChars"/> characters) is read in one call; a larger one page by page, its first page giving
    /// the instant. Posts arriving while a large window is read can evict ones not yet read: then it starts again,
    /// <see cref="WholeWindowAttempts"/> times at most, and returns null if it never caught up.
    /// </summary>
    public static async Task<(WindowStats Stats, IReadOnlyList<WordCount> Words, IReadOnlyList<Post> Posts, IReadOnlyList<RisingWord> Rising)?> ReadWholeWindowAsync(
        this IWordWindowGrain window, int top, CancellationToken cancellationToken = default, int pageSize = PostPage.MaxPosts)
    {
        for (var attempt = 1; attempt <= WholeWindowAttempts; attempt++)
        {
            // From post 0 on is from the oldest held: the page starts where the window does at the page's instant.
            var first = await window.GetPostPageAsync(0, pageSize, top).WaitAsync(cancellationToken);
            if (await ReadRestAsync(window, first, pageSize, cancellationToken) is { } posts)
            {
                return (first.Stats, first.Words, posts, first.Rising ?? []);
            }
        }

        return null;
    }

    /// <summary>The posts of <paramref name="first"/> and the pages after it up to its instant's newest post; null when some were evicted meanwhile.</summary>
    private static async Task<IReadOnlyList<Post>?> ReadRestAsync(IWordWindowGrain window, PostPage first, int pageSize, CancellationToken cancellationToken)
    {
        var end = first.Stats.TotalAppended;
        var posts = new List<Post>(first.Stats.Count);
        // The first page is of the instant its stats are: it covers no post after it.
        posts.AddRange(first.Posts);
        var next = NextOf(first);
        while (next < end)
        {
            // A page covers no more numbers than asked: it stops at the instant's newest post.
            var page = await window.GetPostPageAsync(next, (int)Math.Min(end - next, pageSize), 0).WaitAsync(cancellationToken);
            if (page.First != next || NextOf(page) <= next)
            {
                return null;
            }

            posts.AddRange(page.Posts);
            next = NextOf(page);
        }

        return posts;
    }

    /// <summary>
    /// Where the page after <paramref name="page"/> starts. A silo of the version before deletions sends no
    /// <see cref="PostPage.Next"/> (0), and its pages have no gaps: during a rolling upgrade the count of posts says it.
    /// </summary>
    private static long NextOf(PostPage page) => page.Next > page.First ? page.Next : page.First + page.Posts.Count;
}
