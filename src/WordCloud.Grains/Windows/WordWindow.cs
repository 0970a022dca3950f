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
/// Held posts are bytes (<see cref="PostBytes"/>) in a <see cref="HeldPostLog"/>, decoded again when read: memory per
/// post is its bytes, a 12-byte ring entry that names its chunk by number (<see cref="ChunkQueue"/>) and one or two
/// bytes per word (<see cref="WordIdQueue"/>). Knows nothing of storage: <see cref="PersistentWindow"/> saves it. Not
/// thread-safe: the grain that owns it runs one call at a time.
/// </remarks>
public sealed class WordWindow
{
    private Entry[] _ring;
    private int _head;
    private int _count;
    private readonly WordIdQueue _wordIds = new();
    private readonly HeldPostLog _log = new();
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
    /// before. A chunk is freed once no held post points into it. Never takes text back.
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

    /// <summary>
    /// Appends the valid posts of <paramref name="batch"/> in order; each invalid one is rejected with its index and
    /// reason. Each post is checked, tokenised and kept from its bytes, with no <see cref="Post"/> or string made; the
    /// batch can be disposed afterwards.
    /// </summary>
    public AppendResult Append(PostBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var accepted = 0;
        var evicted = 0;
        List<PostRejection>? rejected = null;
        var buffer = t_text ??= new char[1024];
        for (var index = 0; index < batch.Count; index++)
        {
            var post = batch.PostAt(index);
            ReadOnlySpan<char> text = default;
            var reason = post.IsEmpty ? PostRules.Validate(null) : PostBytes.Check(post, ref buffer, out text);
            if (reason is not null)
            {
                (rejected ??= []).Add(new PostRejection(index, reason));
                continue;
            }

            evicted += Evict();
            Admit(_log.Append(post), _tokenizer.Visit(text, _excludedWord, _countToken));
            accepted++;
        }

        t_text = buffer;
        return new AppendResult(accepted, rejected ?? (IReadOnlyList<PostRejection>)[], evicted, TotalAppended: TotalAppended);
    }

    /// <summary>
    /// Puts back, into an empty window, the posts read from storage, oldest first, with the totals they were saved
    /// with. Posts beyond capacity (the capacity setting was lowered) are evicted and counted as such.
    /// </summary>
    public void Restore(IEnumerable<StoredPosts> posts, long totalAppended, long totalEvicted)
    {
        if (_count > 0 || TotalAppended > 0)
        {
            throw new InvalidOperationException("A window can only be restored while it is empty.");
        }

        var evictedNow = 0;
        var buffer = t_text ??= new char[1024];
        foreach (var run in posts)
        {
            foreach (var post in run)
            {
                evictedNow += Evict();
                Admit(_log.Append(post), _tokenizer.Visit(PostBytes.Text(post, ref buffer), _excludedWord, _countToken));
            }
        }

        t_text = buffer;
        TotalAppended = totalAppended;
        TotalEvicted = totalEvicted + evictedNow;
    }

    /// <summary>The newest <paramref name="count"/> posts (or all, if fewer), oldest of them first.</summary>
    public Post[] GetNewestPosts(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var posts = new Post[Math.Min(count, _count)];
        var first = _count - posts.Length;
        for (var index = 0; index < posts.Length; index++)
        {
            posts[index] = HeldPostLog.Read(HeldAt(first + index));
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
        return TakeUpTo(Enumerable.Range(offset, _count - offset).Select(index => HeldPostLog.Read(HeldAt(index))), maxPosts, maxChars);
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
    /// arrival order, all held) as a save stores them, pointing at the bytes the window holds: no <see cref="Post"/> made.
    /// </summary>
    public StoredPosts GetStoredFrom(long first, int count)
    {
        if (first < First || count < 0 || first + count > TotalAppended)
        {
            throw new ArgumentOutOfRangeException(nameof(first), first, $"posts {first} to {first + count - 1} are not all held; the window holds {First} to {TotalAppended - 1}");
        }

        // Every save takes its new posts: a rented array, not a new one each time.
        var references = ArrayPool<HeldPost>.Shared.Rent(count);
        try
        {
            var offset = (int)(first - First);
            for (var index = 0; index < count; index++)
            {
                references[index] = HeldAt(offset + index);
            }

            return HeldPostLog.Concatenate(references.AsSpan(0, count));
        }
        finally
        {
            // Cleared: the references would keep their chunks alive.
            ArrayPool<HeldPost>.Shared.Return(references, clearArray: true);
        }
    }

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

    /// <summary>Holds the post at <paramref name="post"/>, whose <paramref name="tokens"/> word ids were just counted.</summary>
    private void Admit(HeldPost post, int tokens)
    {
        if (_count == _ring.Length)
        {
            Grow();
        }

        _ring[(_head + _count) % _ring.Length] = new Entry(_chunks.NumberOf(post.Chunk), post.Offset, post.Length, tokens);
        _count++;
        TotalAppended++;
    }

    /// <summary>Lets go of the chunks before the one the oldest post with text lies in: no held post points into them.</summary>
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

    /// <summary>Where the held post <paramref name="offset"/> places after the oldest lies.</summary>
    private HeldPost HeldAt(int offset)
    {
        var entry = _ring[(_head + offset) % _ring.Length];
        return entry.HasText
            ? new HeldPost(_chunks[entry.Chunk], entry.Offset, entry.Length)
            : throw new InvalidOperationException($"the text of post {First + offset} is in storage only (posts from {TextFrom} are in memory)");
    }

    /// <summary>Doubles the ring (up to capacity), moving the oldest post to index 0.</summary>
    private void Grow()
    {
        _ring = Rings.Unwrapped(_ring, _head, _count, (int)Math.Min((long)_ring.Length * 2, Capacity));
        _head = 0;
    }

    /// <summary>
    /// A held post: the number of the chunk it lies in, its offset and length there (16 bits each: a chunk is at
    /// most 64 KB), and how many word ids it has in the queue. A length of 0 means its text is in storage only.
    /// </summary>
    private readonly struct Entry
    {
        private readonly uint _place;

        public Entry(int chunk, int offset, int length, int tokens)
        {
            if ((uint)offset > ushort.MaxValue || (uint)length > ushort.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(length), length, $"a post at offset {offset} of {length} bytes does not fit a ring entry: both must be under 65,536");
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
