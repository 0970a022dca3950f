using System.Globalization;
using System.Net.Http.Headers;

namespace WordCloud.Client.Sources;

/// <summary>
/// How long an instance asks to be left alone: <c>Retry-After</c> (seconds or an HTTP date) on a 429, and
/// <c>X-RateLimit-Remaining: 0</c> with <c>X-RateLimit-Reset</c> (the ISO 8601 time the window's allowance comes back)
/// on any answer. Waits are capped at <see cref="MaxWait"/>, so a clock that is far off or a garbled header cannot stop
/// the feed for hours.
/// </summary>
public static class MastodonRateLimit
{
    /// <summary>Mastodon's rate-limit windows are five minutes; three of them is already more than any real wait.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(15);

    public const string RemainingHeader = "X-RateLimit-Remaining";
    public const string ResetHeader = "X-RateLimit-Reset";

    /// <summary>The wait a 429 asks for: its Retry-After, else the reset time; null when it names none.</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (headers.RetryAfter is { } retryAfter)
        {
            var wait = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - now : (TimeSpan?)null);
            if (wait is { } known)
            {
                return Clamp(known);
            }
        }

        return ResetAt(headers, now) is { } reset ? Clamp(reset - now) : null;
    }

    /// <summary>When the allowance is used up (remaining 0): the wait until it is reset; null otherwise.</summary>
    public static TimeSpan? UntilReset(HttpResponseHeaders headers, DateTimeOffset now) =>
        headers.TryGetValues(RemainingHeader, out var remaining)
        && long.TryParse(remaining.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var left) && left <= 0
        && ResetAt(headers, now) is { } reset
            ? Clamp(reset - now)
            : null;

    private static DateTimeOffset? ResetAt(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (!headers.TryGetValues(ResetHeader, out var values) || values.FirstOrDefault() is not { Length: > 0 } text)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }

        // Not Mastodon's form, but other servers send seconds: a Unix time when large, else seconds from now.
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? seconds > 1_000_000_000 ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)) : now + TimeSpan.FromSeconds(seconds)
            : null;
    }

    private static TimeSpan Clamp(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxWait ? MaxWait : wait;
}
