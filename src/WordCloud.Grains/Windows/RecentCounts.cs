namespace WordCloud.Grains.Windows;

/// <summary>
/// Per word id (<see cref="WordCounts"/>), how many times the word occurs in the newer half of a window's posts, and
/// which words occur there at least <see cref="RisingScore.MinSupport"/> times: the only ones that can rise, so a
/// ranking looks at those and not at every word held. Adding or taking away one occurrence is O(1).
/// </summary>
/// <remarks>
/// Two ints per word id (its count, and its place in the list of candidates), grown with the ids; an id's count is 0
/// whenever <see cref="WordCounts"/> frees it, because the newer half's count never exceeds the window's. Not thread-safe.
/// </remarks>
public sealed class RecentCounts
{
    private int[] _counts = new int[16];

    /// <summary>Per word id, one more than its index in <see cref="_candidates"/>; 0 when it is not a candidate.</summary>
    private int[] _candidateAt = new int[16];
    private readonly List<int> _candidates = [];

    /// <summary>The ids of the words that occur at least <see cref="RisingScore.MinSupport"/> times in the newer half, in no order.</summary>
    public IReadOnlyList<int> Candidates => _candidates;

    /// <summary>How many times the word with id <paramref name="id"/> occurs in the newer half.</summary>
    public int this[int id] => id < _counts.Length ? _counts[id] : 0;

    /// <summary>One more occurrence of the word with id <paramref name="id"/> in the newer half.</summary>
    public void Add(int id)
    {
        if (id >= _counts.Length)
        {
            var size = Math.Max(_counts.Length * 2, id + 1);
            Array.Resize(ref _counts, size);
            Array.Resize(ref _candidateAt, size);
        }

        if (++_counts[id] == RisingScore.MinSupport)
        {
            _candidates.Add(id);
            _candidateAt[id] = _candidates.Count;
        }
    }

    /// <summary>One occurrence fewer of the word with id <paramref name="id"/> in the newer half.</summary>
    public void Remove(int id)
    {
        if (_counts[id]-- != RisingScore.MinSupport)
        {
            return;
        }

        // Swap with the last candidate and drop the end: O(1), order does not matter.
        var at = _candidateAt[id] - 1;
        var last = _candidates[^1];
        _candidates[at] = last;
        _candidateAt[last] = at + 1;
        _candidates.RemoveAt(_candidates.Count - 1);
        _candidateAt[id] = 0;
    }
}
