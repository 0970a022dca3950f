using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using WordCloud.Abstractions;
using WordCloud.Grains.Text;
using WordCloud.Grains.Windows;

namespace WordCloud.Tests.Windows;

/// <summary>
/// A window names its posts' chunks by number and keeps word ids as variable-length integers: it must still let go of
/// chunks no held post points into, and count any number of distinct words right.
/// </summary>
public sealed class WordWindowMemoryTests
{
    [Fact]
    public void TheChunkOfPostsThatLeftTheWindowIsLetGo()
    {
        // Arrange: 50 posts of about 1,000 bytes fill several chunks.
        var window = new WordWindow(50, Tokenizer.English, excludedWord: null);
        window.AppendPosts(PostsOf(0, 50));
        var oldestChunk = ChunkOfPost(window, window.First);
        var newestChunk = ChunkOfPost(window, window.TotalAppended - 1);

        // Act: 50 more posts push every one of them out.
        window.AppendPosts(PostsOf(50, 50));
        Collect();

        // Assert
        Assert.False(oldestChunk.IsAlive, "the chunk of post 0 is still alive after every post in it left");
        Assert.Equal(PostsOf(50, 50), window.GetNewestPosts(window.Count));
        GC.KeepAlive(newestChunk);
    }

    [Fact]
    public void TheChunkOfPostsWhoseTextIsReleasedIsLetGoWhileTheirWordsStayCounted()
    {
        var window = new WordWindow(100, Tokenizer.English, excludedWord: null);
        window.AppendPosts(PostsOf(0, 100));
        var oldestChunk = ChunkOfPost(window, 0);
        var newestChunk = ChunkOfPost(window, 99);

        window.ReleaseTextBefore(99);
        Collect();

        Assert.False(oldestChunk.IsAlive, "the chunk of post 0 is still alive after its text was released");
        Assert.True(newestChunk.IsAlive, "the chunk of post 99, whose text is held, was let go");
        Assert.Equal(PostsOf(99, 1), window.GetNewestPosts(1));
        Assert.Contains(new WordCount("post0", 1), window.GetTopWords(WindowLimits.MaxTop));
    }

    [Fact]
    public void TensOfThousandsOfDistinctWordsAreCountedAndTakenOutAgain()
    {
        // Arrange: word ids above 16,383 take three bytes each in the queue; 5,000 posts of 8 words from 100,000 hold
        // over 30,000 distinct words at once.
        var random = new Random(11);
        var window = new WordWindow(5_000, Tokenizer.English, excludedWord: null);
        var appended = new List<Post>();

        for (var batch = 0; batch < 30; batch++)
        {
            // Act
            var posts = Enumerable.Range(0, 500)
                .Select(_ => new Post(string.Join(' ', Enumerable.Range(0, 8).Select(_ => Word(random.Next(100_000))))))
                .ToArray();
            window.AppendPosts(posts);
            appended.AddRange(posts);
        }

        var recount = appended.TakeLast(5_000)
            .SelectMany(post => Tokenizer.English.Tokenize(post.Text))
            .GroupBy(word => word, StringComparer.Ordinal)
            .Select(group => new WordCount(group.Key, group.Count()))
            .OrderByDescending(word => word.Count)
            .ThenBy(word => word.Word, StringComparer.Ordinal)
            .ToArray();
        var topBeforeEmptying = window.GetTopWords(WindowLimits.MaxTop);
        var distinctBeforeEmptying = window.DistinctWords;
        // A window full of one word: every word id queued so far must be taken out of the counts, and only those.
        window.AppendPosts([.. Enumerable.Repeat(new Post("filler"), 5_000)]);

        // Assert
        Assert.True(recount.Length > 30_000, $"only {recount.Length} distinct words held");
        Assert.Equal(recount.Length, distinctBeforeEmptying);
        Assert.Equal(recount.Take(WindowLimits.MaxTop), topBeforeEmptying);
        Assert.Equal(1, window.DistinctWords);
        Assert.Equal([new WordCount("filler", 5_000)], window.GetTopWords(WindowLimits.MaxTop));
    }

    private static Post[] PostsOf(int first, int count) =>
        [.. Enumerable.Range(first, count).Select(index => new Post($"post{index} {new string('x', 1_000)}", Id: $"id{index}"))];

    /// <summary>A letters-only word for <paramref name="number"/> (base 26), so the tokenizer keeps it as it is.</summary>
    private static string Word(int number)
    {
        var letters = new List<char>();
        do
        {
            letters.Add((char)('a' + (number % 26)));
            number /= 26;
        }
        while (number > 0);

        return "w" + string.Concat(letters);
    }

    /// <summary>A weak reference to the chunk post <paramref name="number"/> lies in, taken where no local keeps it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference ChunkOfPost(WordWindow window, long number)
    {
        var run = window.GetStoredFrom(number, 1).Runs[0];
        Assert.True(MemoryMarshal.TryGetArray(run, out var segment));
        return new WeakReference(segment.Array);
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
