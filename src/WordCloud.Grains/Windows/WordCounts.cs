using WordCloud.Abstractions;

namespace WordCloud.Grains.Windows;

/// <summary>
/// How many times each word occurs, with the words grouped by count: a bucket per count in use, the buckets linked
/// from the lowest count to the highest. Adding or taking away one occurrence moves a word to the neighbouring
/// bucket, O(1); the most frequent words are read from the top buckets down, so a top-N query looks at about N words
/// however many distinct words are counted. Words are numbered (ids) so that a window can keep a post's words as
/// ints and take them back out of the counts without hashing them again.
/// </summary>
/// <remarks>
/// Storage is arrays indexed by word id and bucket id, free ids reused; -1 means none. Not thread-safe.
/// </remarks>
public sealed class WordCounts
{
    private const int None = -1;

    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _idsBySpan;

    // Per word id: the word, its bucket, and its neighbours among the words of that bucket (a free id chains the
    // next free one through _nextInBucket).
    private string?[] _words = new string?[16];
    private int[] _bucketOf = new int[16];
    private int[] _previousInBucket = new int[16];
    private int[] _nextInBucket = new int[16];
    private int _wordIdsUsed;
    private int _freeWord = None;

    // Per bucket id: its count, its first word, its size, and the buckets of the next lower and higher count in use
    // (a free bucket chains the next free one through _higher).
    private int[] _bucketCount = new int[16];
    private int[] _firstInBucket = new int[16];
    private int[] _bucketSize = new int[16];
    private int[] _lower = new int[16];
    private int[] _higher = new int[16];
    private int _bucketIdsUsed;
    private int _freeBucket = None;
    private int _lowest = None;
    private int _highest = None;

    public WordCounts() => _idsBySpan = _ids.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Distinct words counted.</summary>
    public int Distinct => _ids.Count;

    /// <summary>How many times the word with id <paramref name="id"/> occurs; the id must name a counted word.</summary>
    public int CountOf(int id) => _bucketCount[_bucketOf[id]];

    /// <summary>The word with id <paramref name="id"/>; the id must name a counted word.</summary>
    public string WordOf(int id) => _words[id]!;

    /// <summary>Adds one occurrence of <paramref name="word"/>; returns its id and the string held for it.</summary>
    public int Add(ReadOnlySpan<char> word, out string held)
    {
        if (_idsBySpan.TryGetValue(word, out var known, out var id))
        {
            held = known;
            Increment(id);
            return id;
        }

        held = new string(word);
        id = NewWordId();
        _words[id] = held;
        _bucketOf[id] = None;
        _ids.Add(held, id);
        Increment(id);
        return id;
    }

    /// <summary>Takes away one occurrence of the word with id <paramref name="id"/>; at zero it is forgotten.</summary>
    public void Remove(int id)
    {
        var from = _bucketOf[id];
        var count = _bucketCount[from] - 1;
        if (count == 0)
        {
            Unlink(id, from);
            _ids.Remove(_words[id]!);
            _words[id] = null;
            _nextInBucket[id] = _freeWord;
            _freeWord = id;
            return;
        }

        var below = _lower[from];
        var to = below != None && _bucketCount[below] == count ? below : NewBucket(count, below, from);
        Unlink(id, from);
        Link(id, to);
    }

    /// <summary>
    /// The <paramref name="count"/> most frequent words, count descending, then word in ordinal order. Reads the
    /// buckets from the highest count down and stops once it has enough: only the last bucket it reads is ordered
    /// partially (a bounded heap), so the cost is that of the words in the buckets read, not of every word.
    /// </summary>
    public WordCount[] Top(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var top = new List<WordCount>(Math.Min(count, _ids.Count));
        var words = new List<string>();
        for (var bucket = _highest; bucket != None && top.Count < count; bucket = _lower[bucket])
        {
            var wanted = count - top.Count;
            words.Clear();
            if (_bucketSize[bucket] <= wanted)
            {
                for (var id = _firstInBucket[bucket]; id != None; id = _nextInBucket[id])
                {
                    words.Add(_words[id]!);
                }
            }
            else
            {
                FirstInOrdinalOrder(bucket, wanted, words);
            }

            words.Sort(StringComparer.Ordinal);
            foreach (var word in words)
            {
                top.Add(new WordCount(word, _bucketCount[bucket]));
            }
        }

        return [.. top];
    }

    /// <summary>The <paramref name="wanted"/> words of a bucket that come first in ordinal order, in no order.</summary>
    private void FirstInOrdinalOrder(int bucket, int wanted, List<string> words)
    {
        // The root is the greatest word kept so far: a later word that sorts before it takes its place.
        var kept = new PriorityQueue<string, string>(wanted + 1, LastInOrdinalOrderFirst.Instance);
        for (var id = _firstInBucket[bucket]; id != None; id = _nextInBucket[id])
        {
            var word = _words[id]!;
            if (kept.Count < wanted)
            {
                kept.Enqueue(word, word);
            }
            else if (string.CompareOrdinal(word, kept.Peek()) < 0)
            {
                kept.EnqueueDequeue(word, word);
            }
        }

        while (kept.TryDequeue(out var word, out _))
        {
            words.Add(word);
        }
    }

    private void Increment(int id)
    {
        var from = _bucketOf[id];
        var count = from == None ? 1 : _bucketCount[from] + 1;
        var above = from == None ? _lowest : _higher[from];
        var to = above != None && _bucketCount[above] == count ? above : NewBucket(count, from, above);
        if (from != None)
        {
            Unlink(id, from);
        }

        Link(id, to);
    }

    private void Link(int id, int bucket)
    {
        var first = _firstInBucket[bucket];
        _previousInBucket[id] = None;
        _nextInBucket[id] = first;
        if (first != None)
        {
            _previousInBucket[first] = id;
        }

        _firstInBucket[bucket] = id;
        _bucketSize[bucket]++;
        _bucketOf[id] = bucket;
    }

    /// <summary>Takes a word out of its bucket; a bucket left empty is taken out of the chain and freed.</summary>
    private void Unlink(int id, int bucket)
    {
        var previous = _previousInBucket[id];
        var next = _nextInBucket[id];
        if (previous != None)
        {
            _nextInBucket[previous] = next;
        }
        else
        {
            _firstInBucket[bucket] = next;
        }

        if (next != None)
        {
            _previousInBucket[next] = previous;
        }

        if (--_bucketSize[bucket] > 0)
        {
            return;
        }

        var lower = _lower[bucket];
        var higher = _higher[bucket];
        if (lower != None)
        {
            _higher[lower] = higher;
        }
        else
        {
            _lowest = higher;
        }

        if (higher != None)
        {
            _lower[higher] = lower;
        }
        else
        {
            _highest = lower;
        }

        _higher[bucket] = _freeBucket;
        _freeBucket = bucket;
    }

    /// <summary>An empty bucket for <paramref name="count"/>, chained between two neighbouring buckets (or ends).</summary>
    private int NewBucket(int count, int lower, int higher)
    {
        int bucket;
        if (_freeBucket != None)
        {
            bucket = _freeBucket;
            _freeBucket = _higher[bucket];
        }
        else
        {
            if (_bucketIdsUsed == _bucketCount.Length)
            {
                var size = _bucketCount.Length * 2;
                Array.Resize(ref _bucketCount, size);
                Array.Resize(ref _firstInBucket, size);
                Array.Resize(ref _bucketSize, size);
                Array.Resize(ref _lower, size);
                Array.Resize(ref _higher, size);
            }

            bucket = _bucketIdsUsed++;
        }

        _bucketCount[bucket] = count;
        _firstInBucket[bucket] = None;
        _bucketSize[bucket] = 0;
        _lower[bucket] = lower;
        _higher[bucket] = higher;
        if (lower != None)
        {
            _higher[lower] = bucket;
        }
        else
        {
            _lowest = bucket;
        }

        if (higher != None)
        {
            _lower[higher] = bucket;
        }
        else
        {
            _highest = bucket;
        }

        return bucket;
    }

    private int NewWordId()
    {
        if (_freeWord != None)
        {
            var reused = _freeWord;
            _freeWord = _nextInBucket[reused];
            return reused;
        }

        if (_wordIdsUsed == _words.Length)
        {
            var size = _words.Length * 2;
            Array.Resize(ref _words, size);
            Array.Resize(ref _bucketOf, size);
            Array.Resize(ref _previousInBucket, size);
            Array.Resize(ref _nextInBucket, size);
        }

        return _wordIdsUsed++;
    }

    private sealed class LastInOrdinalOrderFirst : IComparer<string>
    {
        public static readonly LastInOrdinalOrderFirst Instance = new();

        public int Compare(string? x, string? y) => string.CompareOrdinal(y, x);
    }
}
