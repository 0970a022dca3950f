using System.Diagnostics.CodeAnalysis;

namespace WordCloud.Abstractions;

/// <summary>
/// Topic names as grain keys: "#Beer" and "beer" are the same topic. A normalised topic matches
/// <c>[a-z0-9_]{1,64}</c>.
/// </summary>
public static class TopicName
{
    public const int MaxLength = 64;

    public const string Rule = "a topic is 1 to 64 characters from a-z, 0-9 and '_', optionally after one leading '#' (letters are lower-cased)";

    /// <summary>Lower-cases <paramref name="raw"/> and strips one leading '#'; reports why it is not a topic.</summary>
    public static bool TryNormalize(string? raw, [NotNullWhen(true)] out string? topic, [NotNullWhen(false)] out string? error)
    {
        topic = null;
        var candidate = (raw ?? string.Empty).Trim();
        if (candidate.StartsWith('#'))
        {
            candidate = candidate[1..];
        }

        candidate = candidate.ToLowerInvariant();
        if (candidate.Length is 0 or > MaxLength || !candidate.All(IsTopicChar))
        {
            error = $"invalid topic '{raw}': {Rule}";
            return false;
        }

        topic = candidate;
        error = null;
        return true;
    }

    /// <summary>The normalised topic, or an <see cref="ArgumentException"/> that names the value and the rule.</summary>
    public static string Normalize(string? raw) =>
        TryNormalize(raw, out var topic, out var error) ? topic : throw new ArgumentException(error, nameof(raw));

    /// <summary>True when <paramref name="key"/> is already a normalised topic (as a grain key must be).</summary>
    public static bool IsNormalized(string? key) =>
        key is { Length: > 0 and <= MaxLength } && key.All(IsTopicChar);

    private static bool IsTopicChar(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_';
}
