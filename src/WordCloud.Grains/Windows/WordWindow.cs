using System.Buffers;
using WordCloud.Abstractions;
using WordCloud.Grains.Text;

namespace WordCloud.Grains.Windows;

/// <summary>
/// The most recent posts of one topic, oldest evicted first, with the count of every word in them. Each post is
/// tokenised once, on arrival; its words are kept (as word ids, in one ring shared by all posts) so that eviction can
/// take them back out of the counts without tokenising again. Reading the top words looks at the counts only.
/// </summary>
/// <remarks>
/// Held posts are packed as UTF-8 in a <see cref="PostLog"/> and decoded again when read: memory per post is its
/// bytes, a 12-byte ring entry that names its chunk by number (<see cref="ChunkQueue"/>) and one or two bytes per word
/// (<see cref="WordIdQueue"/>). Not thread-safe: the grain that owns it runs one call at a time.
/// </remarks>
public sealed class WordWindow
{
    private Entry[] _ring;
    private int _head;
    private int _count;
    private readonly WordIdQueue _wordIds = new();
    private readonly PostLog _log = new();
    private readonly ChunkQueue _chunks = new();
    private readonly WordCounts _counts = new();
    private readonly Tokenizer.Intern _countToken;
    private readonly Tokenizer _tokenizer;
    private readonly string? _excludedWord;
    private long _textFrom;

    /// <summary>Decoded text of the post being appended: one buffer per thread (a call never runs inside another).</summary>
    [ThreadStatic]
    private static char[]? t_text;

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
        _countToken = CountToken;
        _tokenizer = tokenizer;
        _excludedWord = excludedWord;
        // Grow as posts arrive rather than reserving a large window up front for a topic that stays small.
        _ring = new Entry[Math.Min(capacity, 1024)];
    }

    public int Capacity { get; }

    public int Count => _count;

    public long TotalAppended { get; private set; }

    public long TotalEvicted { get; private set; }

    public int DistinctWords => _counts.Distinct;

    public WindowStats Stats => new(Capacity, Count, TotalAppended, TotalEvicted, DistinctWords);

    /// <summary>The number of the oldest post held (posts are numbered from 0 in arrival order).</summary>
    public long First => TotalAppended - _count;

    /// <summary>
    /// The number of the oldest held post whose text is in memory: the posts before it keep their word counts here but
    /// their text only in storage (<see cref="ReleaseTextBefore"/>), so reading them is the caller's business.
    /// </summary>
    public long TextFrom => Math.Max(_textFrom, First);

    /// <summary>
    /// Forgets the text of the held posts numbered below <paramref name="postNumber"/>, which the caller has stored
    /// and will read from storage when asked for them; their words stay counted and leave the counts on eviction as
    /// before. A chunk of packed posts is freed once no held post points into it. Never takes text back.
    /// </summary>
    public void ReleaseTextBefore(long postNumber)
    {
        var end = Math.Min(postNumber, TotalAppended);
        for (var number = TextFrom; number < end; number++)
        {
            var index = (int)((_head + (number - First)) % _ring.Length);
            _ring[index] = _ring[index].WithoutText();
        }

        _textFrom = Math.Max(_textFrom, end);
        DropUnusedChunks();
    }

    /// <summary>Appends the valid posts in order; each invalid one is rejected with its index and reason.</summary>
    public AppendResult Append(IReadOnlyList<Post?> posts)
    {
        ArgumentNullException.ThrowIfNull(posts);
        if (posts is PackedPostList packed)
        {
            return AppendPacked(packed);
        }

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
    /// <see cref="Append"/> for posts as a silo receives them: each is checked, tokenised and kept from its packed bytes,
    /// with no <see cref="Post"/> or string made.
    /// </summary>
    private AppendResult AppendPacked(PackedPostList posts)
    {
        var accepted = 0;
        var evicted = 0;
        List<PostRejection>? rejected = null;
        var buffer = t_text ??= new char[1024];
        for (var index = 0; index < posts.Count; index++)
        {
            var packed = posts.PackedAt(index);
            ReadOnlySpan<char> text = default;
            var reason = packed.IsEmpty ? PostRules.Validate(null) : PackedPost.Check(packed, ref buffer, out text);
            if (reason is not null)
            {
                (rejected ??= []).Add(new PostRejection(index, reason));
                continue;
            }

            evicted += Evict();
            Admit(_log.AppendPacked(packed), _tokenizer.Visit(text, _excludedWord, _countToken));
            accepted++;
        }

        t_text = buffer;
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
            posts[index] = PostLog.Read(HeldAt(first + index));
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
        actualFirst = Math.Max(first, First);
        var offset = (int)Math.Min(actualFirst - First, _count);
        return TakeUpTo(Enumerable.Range(offset, _count - offset).Select(index => PostLog.Read(HeldAt(index))), maxPosts, maxChars);
    }

    /// <summary>
    /// The first of <paramref name="posts"/>, in order: at most <paramref name="maxPosts"/>, and no more once their texts
    /// reach <paramref name="maxChars"/> characters (but at least one, if there is one). Reads no post beyond the last taken.
    /// </summary>
    public static Post[] TakeUpTo(IEnumerable<Post> posts, int maxPosts, int maxChars)
    {
        var taken = new List<Post>();
        var chars = 0L;
        foreach (var post in posts)
        {
            taken.Add(post);
            chars += post.Text.Length;
            if (taken.Count == maxPosts || chars >= maxChars)
            {
                break;
            }
        }

        return [.. taken];
    }

    /// <summary>
    /// Posts <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> − 1 (numbered from 0 in
    /// arrival order, all held), packed as the window holds them: what a save writes, with no <see cref="Post"/> made.
    /// </summary>
    public PackedPosts GetPackedFrom(long first, int count)
    {
        if (first < First || count < 0 || first + count > TotalAppended)
        {
            throw new ArgumentOutOfRangeException(nameof(first), first, $"posts {first} to {first + count - 1} are not all held; the window holds {First} to {TotalAppended - 1}");
        }

        // Every save packs its new posts: a rented array, not a new one each time (3% of a loaded silo's allocations).
        var references = ArrayPool<PostRef>.Shared.Rent(count);
        try
        {
            var offset = (int)(first - First);
            for (var index = 0; index < count; index++)
            {
                references[index] = HeldAt(offset + index);
            }

            return PostLog.Concatenate(references.AsSpan(0, count));
        }
        finally
        {
            // Cleared: the references would keep their chunks alive.
            ArrayPool<PostRef>.Shared.Return(references, clearArray: true);
        }
    }

    /// <summary>How many times <paramref name="word"/> occurs in the posts now in the window.</summary>
    public int CountOf(string word) => _counts.CountOf(word);

    /// <summary>
    /// The <paramref name="count"/> most frequent words: count descending, then word in ordinal order. Costs about
    /// the words it returns, not the distinct words held (<see cref="WordCounts.Top"/>).
    /// </summary>
    public WordCount[] GetTopWords(int count)
    {
        if (WindowLimits.ValidateTop(count) is { } error)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, error);
        }

        return _counts.Top(count);
    }

    private int Add(Post post)
    {
        var evicted = Evict();
        // The tokenizer hands over each word as it finds it; CountToken counts it and keeps its id.
        var tokens = _tokenizer.Visit(post.Text, _excludedWord, _countToken);
        Admit(_log.Append(post), tokens);
        return evicted;
    }

    /// <summary>Makes room for one more post: evicts the oldest (1) if the window is full, else nothing (0).</summary>
    private int Evict()
    {
        var evicted = 0;
        if (_count == Capacity)
        {
            var oldest = _ring[_head];
            _head = (_head + 1) % _ring.Length;
            _count--;
            for (var token = 0; token < oldest.Tokens; token++)
            {
                _counts.Remove(_wordIds.Dequeue());
            }

            TotalEvicted++;
            evicted = 1;
            if (oldest.HasText)
            {
                DropUnusedChunks();
            }
        }

        return evicted;
    }

    /// <summary>Holds a post packed at <paramref name="post"/> whose <paramref name="tokens"/> word ids were just counted.</summary>
    private void Admit(PostRef post, int tokens)
    {
        if (_count == _ring.Length)
        {
            Grow();
        }

        _ring[(_head + _count) % _ring.Length] = new Entry(_chunks.NumberOf(post.Chunk), post.Offset, post.Length, tokens);
        _count++;
        TotalAppended++;
    }

    /// <summary>Lets go of the chunks before the one the oldest post with text is packed in: no held post points into them.</summary>
    private void DropUnusedChunks()
    {
        if (TextFrom < TotalAppended)
        {
            _chunks.DropBefore(_ring[(int)((_head + (TextFrom - First)) % _ring.Length)].Chunk);
        }
        else
        {
            _chunks.Clear();
        }
    }

    /// <summary>Counts one word of the post being added and keeps its id; the count table's string is shared.</summary>
    private string CountToken(ReadOnlySpan<char> token)
    {
        _wordIds.Enqueue(_counts.Add(token, out var word));
        return word;
    }

    /// <summary>Where the held post <paramref name="offset"/> places after the oldest is packed.</summary>
    private PostRef HeldAt(int offset)
    {
        var entry = _ring[(_head + offset) % _ring.Length];
        return entry.HasText
            ? new PostRef(_chunks[entry.Chunk], entry.Offset, entry.Length)
            : throw new InvalidOperationException($"the text of post {First + offset} is in storage only (posts from {TextFrom} are in memory)");
    }

    /// <summary>Doubles the ring (up to capacity), moving the oldest post to index 0.</summary>
    private void Grow()
    {
        _ring = Rings.Unwrapped(_ring, _head, _count, (int)Math.Min((long)_ring.Length * 2, Capacity));
        _head = 0;
    }

    /// <summary>
    /// A held post: the number of the chunk it is packed in, its offset and length there (16 bits each: a chunk is at
    /// most 64 KB), and how many word ids it has in the queue. A length of 0 means its text is in storage only.
    /// </summary>
    private readonly struct Entry
    {
        private readonly uint _place;

        public Entry(int chunk, int offset, int length, int tokens)
        {
            if ((uint)offset > ushort.MaxValue || (uint)length > ushort.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(length), length, $"a packed post at offset {offset} of {length} bytes does not fit a ring entry: both must be under 65,536");
            }

            Chunk = chunk;
            _place = (uint)offset << 16 | (uint)length;
            Tokens = tokens;
        }

        public int Chunk { get; }

        public int Tokens { get; }

        public int Offset => (int)(_place >> 16);

        public int Length => (int)(_place & 0xFFFF);

        public bool HasText => Length > 0;

        public Entry WithoutText() => new(Chunk, 0, 0, Tokens);
    }
}
