using System.Globalization;

namespace WordCloud.Client;

/// <summary>Parses periods written as a number and a unit: "500ms", "2s", "1.5m", "1h".</summary>
public static class Duration
{
    public const string Rule = "a duration is a positive number followed by ms, s, m or h, such as 500ms, 2s or 1m, at most 24h";

    /// <param name="text">The text to parse.</param>
    /// <param name="duration">The period; zero only for "0" when <paramref name="allowZero"/> is set.</param>
    /// <param name="allowZero">Accept "0", meaning "no period at all".</param>
    public static bool TryParse(string? text, out TimeSpan duration, bool allowZero = false)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var value = text.Trim().ToLowerInvariant();
        if (value == "0")
        {
            return allowZero;
        }

        var (number, unit) = value.EndsWith("ms", StringComparison.Ordinal) ? (value[..^2], 1.0)
            : value.EndsWith('s') ? (value[..^1], 1000.0)
            : value.EndsWith('m') ? (value[..^1], 60_000.0)
            : value.EndsWith('h') ? (value[..^1], 3_600_000.0)
            : (string.Empty, 0.0);
        if (unit == 0 || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        // Written as "not in range" so that NaN ("nan" parses as a number) is rejected too.
        var milliseconds = amount * unit;
        if (milliseconds is not (> 0 and <= 86_400_000))
        {
            return false;
        }

        // A positive amount below one tick would round to zero, which no timer accepts.
        duration = TimeSpan.FromMilliseconds(milliseconds);
        if (duration <= TimeSpan.Zero)
        {
            duration = default;
            return false;
        }

        return true;
    }

    public static string Format(TimeSpan duration) =>
        duration.TotalMilliseconds < 1000
            ? $"{duration.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)}ms"
            : $"{duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s";
}
