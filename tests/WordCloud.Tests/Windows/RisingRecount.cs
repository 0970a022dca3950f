using WordCloud.Abstractions;
using WordCloud.Grains.Text;

namespace WordCloud.Tests.Windows;

/// <summary>
/// The rising words of a window recomputed from its held posts, as docs/rising.md defines them, with nothing kept
/// between calls: what the window's running counts must equal.
/// </summary>
public static class RisingRecount
{
    /// <param name="held">The posts a window holds, oldest first, deleted ones included (they keep their places).</param>
    /// <param name="top">How many to return.</param>
    public static RisingWord[] Of(IReadOnlyList<(string Text, bool Deleted)> held, int top) =>
        [.. Candidates(held).Where(word => word.Score >= 3).Take(top)];

    /// <summary>Every word with at least 3 occurrences in the newer half, scored, listed or not: score descending, then word.</summary>
    public static RisingWord[] Candidates(IReadOnlyList<(string Text, bool Deleted)> held)
    {
        // The newer half is the newest ⌈held / 2⌉ posts; the older half the rest.
        var newerSlots = (held.Count + 1) / 2;
        var older = held.Take(held.Count - newerSlots).Where(post => !post.Deleted).ToList();
        var newer = held.Skip(held.Count - newerSlots).Where(post => !post.Deleted).ToList();
        var olderCounts = CountWords(older);
        var scored = new List<RisingWord>();
        foreach (var (word, count) in CountWords(newer))
        {
            var baseline = older.Count == 0 ? 0 : (double)olderCounts.GetValueOrDefault(word) * newer.Count / older.Count;
            var score = (count - baseline) / Math.Sqrt(count + (older.Count == 0 ? 0 : baseline * newer.Count / older.Count) + 2);
            if (count >= 3)
            {
                scored.Add(new RisingWord(word, count, baseline, score));
            }
        }

        return [.. scored.OrderByDescending(word => word.Score).ThenBy(word => word.Word, StringComparer.Ordinal)];
    }

    private static Dictionary<string, int> CountWords(IEnumerable<(string Text, bool Deleted)> posts) =>
        posts.SelectMany(post => Tokenizer.English.Tokenize(post.Text)).GroupBy(word => word, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
}
