using System.Runtime.InteropServices;
using WordCloud.Abstractions;
using WordCloud.Grains.Text;

namespace WordCloud.Grains.Windows;

/// <summary>
/// The most recent posts of one topic, oldest evicted first, with the count of every word in them. Each post is
/// tokenised once, on arrival; its tokens are kept so that eviction can take its words back out of the counts.
/// Reading the top words looks at the counts only, never at the posts.
/// </summary>
/// <remarks>Not thread-safe: the grain that owns it runs one call at a time.</remarks>
public sealed class WordWindow
{
    private Entry[] _ring;
    private int _head;
    private int _count;
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _countsBySpan;
    private readonly Tokenizer.Intern _intern;
    private readonly Tokenizer _tokenizer;
    private readonly string? _excludedWord;

    /// <param name="capacity">How many posts the window holds (1 to 1,000,000).</param>
    /// <param name="tokenizer">Turns a post into its words.</param>
    /// <param name="excludedWord">The topic word, dropped with its hashtag; null to keep it.</param>
    public WordWindow(int capacity, Tokenizer tokenizer, string? excludedWord)
    {
        if (capacity is < WindowLimits.MinCapacity or > WindowLimits.MaxCapacity)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity,
                $"invalid window capacity {capacity}: it must be between {WindowLimits.MinCapacity} and {WindowLimits.MaxCapacity}");
        }

        Capacity = capacity;
        _countsBySpan = _counts.GetAlternateLookup<ReadOnlySpan<char>>();
        _intern = Intern;
        _tokenizer = tokenizer;
        _excludedWord = excludedWord;
        // Grow as posts arrive rather than reserving a large window up front for a topic that stays small.
        _ring = new Entry[Math.Min(capacity, 1024)];
    }

    public int Capacity { get; }

    public int Count => _count;

    public long TotalAppended { get; private set; }

    public long TotalEvicted { get; private set; }

    public int DistinctWords => _counts.Count;

    public WindowStats Stats => new(Capacity, Count, TotalAppended, TotalEvicted, DistinctWords);

    /// <summary>Appends the valid posts in order; each invalid one is rejected with its index and reason.</summary>
    public AppendResult Append(IReadOnlyList<Post?> posts)
    {
        ArgumentNullException.ThrowIfNull(posts);
        var accepted = 0;
        var evicted = 0;
        List<PostRejection>? rejected = null;
        for (var index = 0; index < posts.Count; index++)
        {
            var post = posts[index];
            if (PostRules.Validate(post) is { } reason)
            {
                (rejected ??= []).Add(new PostRejection(index, reason));
                continue;
            }

            evicted += Add(post!);
            accepted++;
        }

        return new AppendResult(accepted, rejected ?? (IReadOnlyList<PostRejection>)[], evicted);
    }

    /// <summary>
    /// Puts back posts read from storage, oldest first, with the totals they were saved with. Posts beyond capacity
    /// (the capacity setting was lowered) are evicted and counted as such.
    /// </summary>
    public void Restore(IEnumerable<Post> posts, long totalAppended, long totalEvicted)
    {
        if (_count > 0)
        {
            throw new InvalidOperationException("A window can only be restored while it is empty.");
        }

        var evictedNow = 0;
        foreach (var post in posts)
        {
            evictedNow += Add(post);
        }

        TotalAppended = totalAppended;
        TotalEvicted = totalEvicted + evictedNow;
    }

    /// <summary>The posts now in the window, oldest first.</summary>
    public Post[] GetPosts() => GetNewestPosts(_count);

    /// <summary>The newest <paramref name="count"/> posts (or all, if fewer), oldest of them first.</summary>
    public Post[] GetNewestPosts(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var posts = new Post[Math.Min(count, _count)];
        var first = _count - posts.Length;
        for (var index = 0; index < posts.Length; index++)
        {
            posts[index] = _ring[(_head + first + index) % _ring.Length].Post;
        }

        return posts;
    }

    /// <summary>
    /// Consecutive posts from post number <paramref name="first"/> (numbered from 0 in arrival order), or from the
    /// oldest held if that one is gone: at most <paramref name="maxPosts"/>, and no more once their texts reach
    /// <paramref name="maxChars"/> characters (but always at least one post, if any is held from there on).
    /// </summary>
    public Post[] GetPostsFrom(long first, int maxPosts, int maxChars, out long actualFirst)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPosts);
        var oldest = TotalAppended - _count;
        actualFirst = Math.Max(first, oldest);
        var offset = (int)Math.Min(actualFirst - oldest, _count);
        var posts = new List<Post>(Math.Min(maxPosts, _count - offset));
        var chars = 0L;
        for (var index = offset; index < _count && posts.Count < maxPosts && (posts.Count == 0 || chars < maxChars); index++)
        {
            var post = _ring[(_head + index) % _ring.Length].Post;
            posts.Add(post);
            chars += post.Text.Length;
        }

        return [.. posts];
    }

    /// <summary>How many times <paramref name="word"/> occurs in the posts now in the window.</summary>
    public int CountOf(string word) => _counts.GetValueOrDefault(word);

    /// <summary>
    /// The <paramref name="count"/> most frequent words: count descending, then word in ordinal order.
    /// Costs O(distinct words × log count): a bounded heap keeps the best so far, no full sort.
    /// </summary>
    public WordCount[] GetTopWords(int count)
    {
        if (WindowLimits.ValidateTop(count) is { } error)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, error);
        }

        // The heap's root is the weakest of the best words kept so far.
        var heap = new PriorityQueue<string, (int Count, string Word)>(count + 1, WeakestFirst.Instance);
        foreach (var (word, occurrences) in _counts)
        {
            if (heap.Count < count)
            {
                heap.Enqueue(word, (occurrences, word));
            }
            else if (heap.TryPeek(out _, out var weakest) && WeakestFirst.Instance.Compare((occurrences, word), weakest) > 0)
            {
                heap.EnqueueDequeue(word, (occurrences, word));
            }
        }

        var top = new WordCount[heap.Count];
        for (var index = top.Length - 1; index >= 0; index--)
        {
            heap.TryDequeue(out var word, out var priority);
            top[index] = new WordCount(word!, priority.Count);
        }

        return top;
    }

    private int Add(Post post)
    {
        var evicted = 0;
        if (_count == Capacity)
        {
            var oldest = _ring[_head];
            _ring[_head] = default;
            _head = (_head + 1) % _ring.Length;
            _count--;
            foreach (var token in oldest.Tokens)
            {
                ref var occurrences = ref CollectionsMarshal.GetValueRefOrNullRef(_counts, token);
                if (--occurrences == 0)
                {
                    _counts.Remove(token);
                }
            }

            TotalEvicted++;
            evicted = 1;
        }

        var tokens = _tokenizer.Tokenize(post.Text, _excludedWord, _intern);
        foreach (var token in tokens)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_counts, token, out _)++;
        }

        if (_count == _ring.Length)
        {
            Grow();
        }

        _ring[(_head + _count) % _ring.Length] = new Entry(post, tokens);
        _count++;
        TotalAppended++;
        return evicted;
    }

    /// <summary>A word already counted comes back as the string the count table holds: posts share their words.</summary>
    private string Intern(ReadOnlySpan<char> token) =>
        _countsBySpan.TryGetValue(token, out var word, out _) ? word : new string(token);

    /// <summary>Doubles the ring (up to capacity), moving the oldest post to index 0.</summary>
    private void Grow()
    {
        var larger = new Entry[(int)Math.Min((long)_ring.Length * 2, Capacity)];
        for (var index = 0; index < _count; index++)
        {
            larger[index] = _ring[(_head + index) % _ring.Length];
        }

        _ring = larger;
        _head = 0;
    }

    private readonly record struct Entry(Post Post, string[] Tokens);

    /// <summary>Orders the weaker word first: lower count, then later in ordinal order.</summary>
    private sealed class WeakestFirst : IComparer<(int Count, string Word)>
    {
        public static readonly WeakestFirst Instance = new();

        public int Compare((int Count, string Word) x, (int Count, string Word) y)
        {
            var byCount = x.Count.CompareTo(y.Count);
            return byCount != 0 ? byCount : string.CompareOrdinal(y.Word, x.Word);
        }
    }
}
