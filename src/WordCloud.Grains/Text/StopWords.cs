using System.Collections.Frozen;

namespace WordCloud.Grains.Text;

/// <summary>Loads stop-word lists: one lower-case word per line, '#' comment lines and blank lines ignored.</summary>
public static class StopWords
{
    private const string EnglishResource = "WordCloud.Grains.Text.stopwords-en.txt";

    /// <summary>The English list shipped with OrleansCloud (Text/stopwords-en.txt).</summary>
    public static FrozenSet<string> English { get; } = LoadEnglish();

    public static FrozenSet<string> Parse(TextReader reader)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var word = line.Trim();
            if (word.Length > 0 && !word.StartsWith('#'))
            {
                words.Add(word.ToLowerInvariant().Replace('\u2019', '\''));
            }
        }

        return words.ToFrozenSet(StringComparer.Ordinal);
    }

    private static FrozenSet<string> LoadEnglish()
    {
        using var stream = typeof(StopWords).Assembly.GetManifestResourceStream(EnglishResource)
            ?? throw new InvalidOperationException($"The embedded stop-word list '{EnglishResource}' is missing from the build.");
        using var reader = new StreamReader(stream);
        return Parse(reader);
    }
}
