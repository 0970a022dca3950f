using System.Buffers;
using System.IO.Hashing;
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
/// <para>
/// Each post counts once: a post whose id the window holds already is dropped as a duplicate. Ids are known by a 64-bit
/// hash with a seed drawn per window (8 bytes per post with an id, kept only once one arrives), not by their text,
/// which may be in storage only; two different ids share a hash with odds of about n² / 2⁶⁵ for n held posts. A
/// deletion takes a post out: its words are uncounted at once, and it stays in its place, shown nowhere, until it is
/// evicted, so a replay of it is still a duplicate.
/// </para>
/// <para>
/// Rising words (<see cref="GetRising"/>): the held posts are split into a newer half (the newest ⌈held / 2⌉, deleted
/// ones included, as they keep their places) and an older half, and each word's count in the newer half is kept
/// (<see cref="RecentCounts"/>). A new post's words count there as they are counted; when a post crosses into the older
/// half its words are read again from the word id queue at <see cref="_boundary"/>, a second place in it, and taken
/// back out. At most two posts cross per post appended or evicted, so the cost per post stays constant.
/// </para>
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
    private readonly RecentCounts _recent = new();
    private readonly Tokenizer.Intern _countToken;
    private readonly Tokenizer _tokenizer;
    private readonly string? _excludedWord;
    private readonly ulong _idSeed = (ulong)Random.Shared.NextInt64();
    private readonly Dictionary<ulong, long> _numbersById = [];
    private readonly SortedSet<long> _deleted = [];

    /// <summary>Per ring slot, the hash of its post's id (0: none); null until a post with an id arrives.</summary>
    private ulong[]? _idHashes;
    private long _textFrom;

    /// <summary>Held posts in the newer half (the newest ones), and how many of them were deleted.</summary>
    private int _newerSlots;
    private int _newerDeleted;

    /// <summary>Where the word ids of the oldest post of the newer half start in <see cref="_wordIds"/>.</summary>
    private long _boundary;

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

    /// <summary>Posts held and shown: deleted ones not counted.</summary>
    public int Count => _count - _deleted.Count;

    public long TotalAppended { get; private set; }

    public long TotalEvicted { get; private set; }

    public int DistinctWords => _counts.Distinct;

    public long TotalDuplicates { get; private set; }

    public long TotalDeleted { get; private set; }

    /// <summary>The numbers of the held posts that were deleted, lowest first.</summary>
    public IReadOnlyCollection<long> Deleted => _deleted;

    public WindowStats Stats => new(Capacity, Count, TotalAppended, TotalEvicted, DistinctWords, TotalDuplicates, TotalDeleted);

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
    /// Applies the entries of <paramref name="batch"/> in order: appends each valid post (but drops one whose id the
    /// window holds), carries out each deletion, and rejects each invalid entry with its index and reason. Each post is
    /// checked, tokenised and kept from its bytes, with no <see cref="Post"/> or string made; the batch can be disposed
    /// afterwards.
    /// </summary>
    public AppendResult Append(PostBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var accepted = 0;
        var evicted = 0;
        var duplicates = 0;
        var deleted = 0;
        List<PostRejection>? rejected = null;
        var buffer = t_text ??= new char[1024];
        for (var index = 0; index < batch.Count; index++)
        {
            var post = batch.PostAt(index);
            if (PostBytes.IsDeletion(post))
            {
                if (CheckDeletion(post) is { } invalid)
                {
                    (rejected ??= []).Add(new PostRejection(index, invalid));
                }
                else if (Delete(IdHash(post)))
                {
                    deleted++;
                }

                continue;
            }

            ReadOnlySpan<char> text = default;
            var reason = post.IsEmpty ? PostRules.Validate(null) : PostBytes.Check(post, ref buffer, out text);
            if (reason is not null)
            {
                (rejected ??= []).Add(new PostRejection(index, reason));
                continue;
            }

            // Known from here on as the number it is about to get (eviction does not change it): one lookup per post.
            var idHash = IdHash(post);
            if (idHash != 0 && !_numbersById.TryAdd(idHash, TotalAppended))
            {
                duplicates++;
                TotalDuplicates++;
                continue;
            }

            evicted += Evict();
            Admit(_log.Append(post), _tokenizer.Visit(text, _excludedWord, _countToken), idHash, deleted: false);
            accepted++;
        }

        t_text = buffer;
        return new AppendResult(accepted, rejected ?? (IReadOnlyList<PostRejection>)[], evicted, TotalAppended: TotalAppended, Duplicates: duplicates, Deleted: deleted);
    }

    /// <summary>
    /// Puts back, into an empty window, the posts read from storage, oldest first, with the totals they were saved
    /// with; the posts numbered in <paramref name="deleted"/> come back deleted (held, not counted, not shown). Posts
    /// beyond capacity (the capacity setting was lowered) are evicted and counted as such.
    /// </summary>
    public void Restore(IReadOnlyCollection<StoredPosts> posts, WindowTotals totals, IReadOnlyCollection<long> deleted)
    {
        if (_count > 0 || TotalAppended > 0)
        {
            throw new InvalidOperationException("A window can only be restored while it is empty.");
        }

        var deletedNumbers = deleted.Count == 0 ? null : new HashSet<long>(deleted);
        var evictedNow = 0;
        var buffer = t_text ??= new char[1024];
        // Numbered as they were: the oldest held is the first of them.
        TotalAppended = totals.TotalAppended - posts.Sum(run => (long)run.Count);
        foreach (var run in posts)
        {
            foreach (var post in run)
            {
                evictedNow += Evict();
                var idHash = IdHash(post);
                if (idHash != 0)
                {
                    // A window stored before ids were checked may hold a post twice: the newer one is the one known.
                    _numbersById[idHash] = TotalAppended;
                }

                if (deletedNumbers?.Contains(TotalAppended) == true)
                {
                    Admit(_log.Append(post), 0, idHash, deleted: true);
                }
                else
                {
                    Admit(_log.Append(post), _tokenizer.Visit(PostBytes.Text(post, ref buffer), _excludedWord, _countToken), idHash, deleted: false);
                }
            }
        }

        t_text = buffer;
        TotalAppended = totals.TotalAppended;
        TotalEvicted = totals.TotalEvicted + evictedNow;
        TotalDuplicates = totals.TotalDuplicates;
        TotalDeleted = totals.TotalDeleted;
    }

    /// <summary>True when post <paramref name="number"/> is held and was deleted.</summary>
    public bool IsDeleted(long number) => _deleted.Contains(number);

    /// <summary>
    /// The newest <paramref name="count"/> posts shown (or all, if fewer), oldest of them first; fewer if deleted posts
    /// among the newest reach back to posts whose text is in storage only (<see cref="TextFrom"/>).
    /// </summary>
    public Post[] GetNewestPosts(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var posts = new List<Post>(Math.Min(count, Count));
        var textFrom = (int)Math.Min(TextFrom - First, _count);
        for (var offset = _count - 1; offset >= textFrom && posts.Count < count; offset--)
        {
            if (!_ring[(_head + offset) % _ring.Length].Deleted)
            {
                posts.Add(HeldPostLog.Read(HeldAt(offset)));
            }
        }

        posts.Reverse();
        return [.. posts];
    }

    /// <summary>
    /// Consecutive posts from post number <paramref name="first"/> (numbered from 0 in arrival order), or from the
    /// oldest held if that one is gone: at most <paramref name="maxPosts"/> numbers, deleted posts left out, and no
    /// more once their texts reach <paramref name="maxChars"/> characters (but always at least one post, if any is held
    /// from there on). <paramref name="next"/> is the number after the last one covered.
    /// </summary>
    public Post[] GetPostsFrom(long first, int maxPosts, int maxChars, out long actualFirst, out long next)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPosts);
        actualFirst = Math.Max(first, First);
        var offset = (int)Math.Min(actualFirst - First, _count);
        var posts = TakeUpTo(
            Enumerable.Range(offset, _count - offset).Select(index => _ring[(_head + index) % _ring.Length].Deleted ? null : HeldPostLog.Read(HeldAt(index))),
            maxPosts, maxChars, out var covered);
        next = actualFirst + covered;
        return posts;
    }

    /// <summary>
    /// The first of <paramref name="posts"/> (null: a deleted post, covered but not taken), in order: at most
    /// <paramref name="maxPosts"/> covered, and no more once their texts reach <paramref name="maxChars"/> characters
    /// (but at least one, if there is one). Reads no post beyond the last covered, and says how many it covered.
    /// </summary>
    public static Post[] TakeUpTo(IEnumerable<Post?> posts, int maxPosts, int maxChars, out int covered)
    {
        var taken = new List<Post>();
        var chars = 0L;
        covered = 0;
        foreach (var post in posts)
        {
            covered++;
            if (post is not null)
            {
                taken.Add(post);
                chars += post.Text.Length;
            }

            if (covered == maxPosts || chars >= maxChars)
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

    /// <summary>
    /// The <paramref name="count"/> words that rose most in the newer half of the posts held against the older half
    /// (<see cref="RisingScore"/>): score descending, then word in ordinal order; only words that occur at least
    /// <see cref="RisingScore.MinSupport"/> times in the newer half and score at least <see cref="RisingScore.MinScore"/>.
    /// Costs the words that occur that often in the newer half, not every word held.
    /// </summary>
    public RisingWord[] GetRising(int count)
    {
        if (WindowLimits.ValidateRising(count) is { } error)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, error);
        }

        return [.. Scored(listedOnly: true).Take(count)];
    }

    /// <summary>
    /// Every word that occurs at least <see cref="RisingScore.MinSupport"/> times in the newer half, with its baseline
    /// and score, listed or not: score descending, then word in ordinal order.
    /// </summary>
    internal List<RisingWord> ScoreCandidates() => Scored(listedOnly: false);

    private List<RisingWord> Scored(bool listedOnly)
    {
        var newerPosts = _newerSlots - _newerDeleted;
        var olderPosts = _count - _newerSlots - (_deleted.Count - _newerDeleted);
        var scored = new List<RisingWord>();
        foreach (var id in _recent.Candidates)
        {
            var recent = _recent[id];
            var baseline = RisingScore.Baseline(_counts.CountOf(id) - recent, newerPosts, olderPosts);
            var score = RisingScore.Of(recent, baseline, newerPosts, olderPosts);
            // The word's string and record only for the words returned: most candidates of a steady topic are not listed.
            if (!listedOnly || RisingScore.IsRising(recent, score))
            {
                scored.Add(new RisingWord(_counts.WordOf(id), recent, baseline, score));
            }
        }

        scored.Sort(static (x, y) => y.Score.CompareTo(x.Score) is not 0 and var byScore ? byScore : string.CompareOrdinal(x.Word, y.Word));
        return scored;
    }

    /// <summary>
    /// Evicts the held posts numbered below <paramref name="postNumber"/>, as if the window had filled up: their words
    /// leave the counts and they count as evicted. For posts a window can no longer keep (their text was in storage only,
    /// and storage lost it). Returns how many it evicted.
    /// </summary>
    public int EvictBefore(long postNumber)
    {
        var evicted = 0;
        while (_count > 0 && First < postNumber)
        {
            EvictOldest();
            evicted++;
        }

        return evicted;
    }

    /// <summary>Makes room for one more post: evicts the oldest (1) if the window is full, else nothing (0).</summary>
    private int Evict()
    {
        if (_count < Capacity)
        {
            return 0;
        }

        EvictOldest();
        return 1;
    }

    private void EvictOldest()
    {
        if (_newerSlots == _count)
        {
            // The oldest post is in the newer half (one post held): it leaves that half first.
            CrossBoundary();
        }

        var oldest = _ring[_head];
        var number = First;
        if (_idHashes is { } hashes && hashes[_head] is not 0 and var hash && _numbersById.Remove(hash, out var held) && held != number)
        {
            // A window stored before ids were checked may hold a post twice: the newer one stays known.
            _numbersById[hash] = held;
        }

        _head = (_head + 1) % _ring.Length;
        _count--;
        if (oldest.Deleted)
        {
            // Its words left the counts when it was deleted; their ids may name other words by now.
            _deleted.Remove(number);
            for (var token = 0; token < oldest.Tokens; token++)
            {
                _wordIds.Dequeue();
            }
        }
        else
        {
            for (var token = 0; token < oldest.Tokens; token++)
            {
                _counts.Remove(_wordIds.Dequeue());
            }
        }

        TotalEvicted++;
        if (oldest.HasText)
        {
            DropUnusedChunks();
        }

        Rebalance();
    }

    /// <summary>Moves posts from the newer half to the older until the newer half is the newest ⌈held / 2⌉.</summary>
    private void Rebalance()
    {
        while (_newerSlots > (_count + 1) / 2)
        {
            CrossBoundary();
        }
    }

    /// <summary>The oldest post of the newer half joins the older half: its words no longer count as recent.</summary>
    private void CrossBoundary()
    {
        var entry = _ring[(_head + _count - _newerSlots) % _ring.Length];
        for (var token = 0; token < entry.Tokens; token++)
        {
            var id = _wordIds.Read(ref _boundary);
            if (!entry.Deleted)
            {
                // A deleted post's words left the recent counts when it was deleted; their ids may name other words by now.
                _recent.Remove(id);
            }
        }

        _newerSlots--;
        if (entry.Deleted)
        {
            _newerDeleted--;
        }
    }

    /// <summary>
    /// Holds the post at <paramref name="post"/>, whose <paramref name="tokens"/> word ids were just counted, and whose id
    /// hashes to <paramref name="idHash"/> (0: it has none; the caller has entered it in <see cref="_numbersById"/>); a
    /// <paramref name="deleted"/> one has none counted.
    /// </summary>
    private void Admit(HeldPost post, int tokens, ulong idHash, bool deleted)
    {
        if (_count == _ring.Length)
        {
            Grow();
        }

        var slot = (_head + _count) % _ring.Length;
        _ring[slot] = new Entry(_chunks.NumberOf(post.Chunk), post.Offset, post.Length, tokens, deleted);
        if (idHash != 0)
        {
            (_idHashes ??= new ulong[_ring.Length])[slot] = idHash;
        }
        else if (_idHashes is not null)
        {
            _idHashes[slot] = 0;
        }

        if (deleted)
        {
            _deleted.Add(TotalAppended);
            _newerDeleted++;
        }

        _count++;
        _newerSlots++;
        TotalAppended++;
        Rebalance();
    }

    /// <summary>
    /// Takes the post whose id hashes to <paramref name="idHash"/> out of the window, if it holds it and it is not
    /// deleted already: its words leave the counts, and it is shown no more. True if it did.
    /// </summary>
    /// <remarks>Finding its word ids walks the queue from the oldest post's: deletions are rare, and their cost is the window's size.</remarks>
    private bool Delete(ulong idHash)
    {
        if (idHash == 0 || !_numbersById.TryGetValue(idHash, out var number) || _deleted.Contains(number))
        {
            return false;
        }

        var offset = (int)(number - First);
        var slot = (_head + offset) % _ring.Length;
        var entry = _ring[slot];
        var before = 0L;
        for (var index = 0; index < offset; index++)
        {
            before += _ring[(_head + index) % _ring.Length].Tokens;
        }

        if (offset >= _count - _newerSlots)
        {
            _wordIds.Visit(before, entry.Tokens, id =>
            {
                // Out of the recent counts first: at zero the counts free the id.
                _recent.Remove(id);
                _counts.Remove(id);
            });
            _newerDeleted++;
        }
        else
        {
            _wordIds.Visit(before, entry.Tokens, _counts.Remove);
        }

        _ring[slot] = entry.AsDeleted();
        _deleted.Add(number);
        TotalDeleted++;
        return true;
    }

    /// <summary>Why the deletion <paramref name="entry"/> cannot be carried out, or null.</summary>
    private static string? CheckDeletion(ReadOnlySpan<byte> entry)
    {
        var id = PostBytes.IdBytes(entry, out var isUtf16);
        if (id.IsEmpty)
        {
            return "the deletion names no post; it must carry the id of the post to delete";
        }

        var length = isUtf16 ? id.Length / 2 : id.Length;
        return length > PostRules.MaxFieldLength ? $"the deletion's id is {length} bytes long; the limit is {PostRules.MaxFieldLength}" : null;
    }

    /// <summary>The hash of the id of the post or deletion <paramref name="entry"/>, never 0; 0 when it has no id or an empty one.</summary>
    private ulong IdHash(ReadOnlySpan<byte> entry)
    {
        var id = PostBytes.IdBytes(entry, out _);
        return id.IsEmpty ? 0 : Math.Max(1, XxHash3.HashToUInt64(id, (long)_idSeed));
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
        var id = _counts.Add(token, out var word);
        _wordIds.Enqueue(id);
        // A new post always joins the newer half.
        _recent.Add(id);
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
        var length = (int)Math.Min((long)_ring.Length * 2, Capacity);
        _ring = Rings.Unwrapped(_ring, _head, _count, length);
        if (_idHashes is not null)
        {
            _idHashes = Rings.Unwrapped(_idHashes, _head, _count, length);
        }

        _head = 0;
    }

    /// <summary>
    /// A held post: the number of the chunk it lies in, its offset and length there (16 bits each: a chunk is at
    /// most 64 KB), how many word ids it has in the queue, and whether it was deleted (the top bit of that count). A
    /// length of 0 means its text is in storage only.
    /// </summary>
    private readonly struct Entry
    {
        private const int DeletedBit = 1 << 31;

        private readonly uint _place;
        private readonly int _tokens;

        public Entry(int chunk, int offset, int length, int tokens, bool deleted)
        {
            if ((uint)offset > ushort.MaxValue || (uint)length > ushort.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(length), length, $"a post at offset {offset} of {length} bytes does not fit a ring entry: both must be under 65,536");
            }

            Chunk = chunk;
            _place = (uint)offset << 16 | (uint)length;
            _tokens = tokens | (deleted ? DeletedBit : 0);
        }

        public int Chunk { get; }

        public int Tokens => _tokens & ~DeletedBit;

        public bool Deleted => (_tokens & DeletedBit) != 0;

        public int Offset => (int)(_place >> 16);

        public int Length => (int)(_place & 0xFFFF);

        public bool HasText => Length > 0;

        public Entry WithoutText() => new(Chunk, 0, 0, Tokens, Deleted);

        public Entry AsDeleted() => new(Chunk, Offset, Length, Tokens, deleted: true);
    }
}
