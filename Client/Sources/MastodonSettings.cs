namespace WordCloud.Client.Sources;

/// <summary>Where and how often <see cref="MastodonSource"/> polls. Not a record: its text must never show the token.</summary>
public sealed class MastodonSettings
{
    /// <summary>Statuses per request: the most Mastodon gives; a full page means more are waiting.</summary>
    public const int PageSize = 40;

    /// <summary>The variable that holds the access token when <c>--token</c> is not given.</summary>
    public const string TokenVariable = "WORDCLOUD_MASTODON_TOKEN";

    public static readonly Uri DefaultInstance = new("https://mastodon.social");

    public static readonly TimeSpan DefaultPoll = TimeSpan.FromSeconds(10);

    public required IReadOnlyList<Uri> Instances { get; init; }

    /// <summary>The pause after a page that was not full, before asking for newer statuses.</summary>
    public TimeSpan Poll { get; init; } = DefaultPoll;

    /// <summary>Sent as <c>Authorization: Bearer</c>; never logged.</summary>
    public string? Token { get; init; }

    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause between failed polls, and the pause after an answer no retry will change (401, 404).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many sent status URIs are remembered to skip a boost or a copy on another instance of one already sent.</summary>
    public int RememberedUris { get; init; } = 10_000;

    public override string ToString() =>
        $"instances {string.Join(", ", Instances)}, poll {Poll}, token {(Token is null ? "none" : "given")}";
}
