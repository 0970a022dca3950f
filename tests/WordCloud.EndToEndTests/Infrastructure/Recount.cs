namespace WordCloud.EndToEndTests.Infrastructure;

/// <summary>
/// Counts words the slow, obvious way, to check the window's incremental counts. The tests' posts are made of plain
/// lower-case words the tokenizer keeps as they are, so splitting at spaces is the whole tokenizer here.
/// </summary>
public static class Recount
{
    /// <summary>Words of <paramref name="texts"/> that <paramref name="counted"/> keeps: count descending, then ordinal.</summary>
    public static (string Word, int Count)[] TopWords(IEnumerable<string> texts, Func<string, bool> counted, int max = int.MaxValue) =>
        [.. texts
            .SelectMany(text => text.Split(' '))
            .Where(counted)
            .GroupBy(word => word, StringComparer.Ordinal)
            .Select(group => (Word: group.Key, Count: group.Count()))
            .OrderByDescending(entry => entry.Count)
            .ThenBy(entry => entry.Word, StringComparer.Ordinal)
            .Take(max)];

    /// <summary>The scan's "top" array as (word, count) pairs.</summary>
    public static (string Word, int Count)[] TopOf(System.Text.Json.JsonElement scan) =>
        [.. scan.GetProperty("top").EnumerateArray().Select(entry => (entry.GetProperty("word").GetString()!, entry.GetProperty("count").GetInt32()))];
}
