namespace WordCloud.Client.Sources;

/// <summary>
/// Which languages a live feed keeps (<c>--lang</c>): a post passes when one of its language tags falls under one of
/// the wanted tags, subtag by subtag and ignoring case (RFC 4647 basic filtering): "en" takes "en", "en-US" and
/// "en-GB", while "en-US" takes "en-US" only. With no wanted tags every post passes; with some, a post that names no
/// language is rejected, since nothing says it is in one of them.
/// </summary>
public sealed class LanguageFilter
{
    /// <summary>Keeps everything.</summary>
    public static readonly LanguageFilter All = new([]);

    private readonly string[] _wanted;

    public LanguageFilter(IEnumerable<string> wanted) =>
        _wanted = [.. wanted.Where(tag => !string.IsNullOrWhiteSpace(tag)).Select(tag => tag.Trim().Replace('_', '-')).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>True when no language is wanted in particular.</summary>
    public bool AcceptsAll => _wanted.Length == 0;

    /// <summary>The wanted tags, as given (for descriptions and logs).</summary>
    public IReadOnlyList<string> Wanted => _wanted;

    /// <summary>A rule for validators: a tag is 1-8 letters, then subtags of 1-8 letters or digits after '-'.</summary>
    public const string TagRule = "a language tag is 1-8 letters, optionally followed by subtags of 1-8 letters or digits after '-', such as en, pt-BR or zh-Hant";

    public static bool IsValidTag(string tag)
    {
        var subtags = tag.Split('-', '_');
        return subtags[0].Length is >= 1 and <= 8 && subtags[0].All(char.IsAsciiLetter)
            && subtags.Skip(1).All(subtag => subtag.Length is >= 1 and <= 8 && subtag.All(char.IsAsciiLetterOrDigit));
    }

    public bool Accepts(string? language) => Accepts(language is null ? null : [language]);

    public bool Accepts(IEnumerable<string>? languages)
    {
        if (_wanted.Length == 0)
        {
            return true;
        }

        return languages is not null && languages.Any(language => !string.IsNullOrWhiteSpace(language) && _wanted.Any(tag => Covers(tag, language.Trim())));
    }

    private static bool Covers(string tag, string language)
    {
        var normalized = language.Replace('_', '-');
        return normalized.Equals(tag, StringComparison.OrdinalIgnoreCase)
            || (normalized.Length > tag.Length && normalized[tag.Length] == '-' && normalized.StartsWith(tag, StringComparison.OrdinalIgnoreCase));
    }
}
