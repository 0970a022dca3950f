using System.Globalization;
using System.Text.Json;

namespace WordCloud.Client.Sources;

/// <summary>
/// The members of a Mastodon status (<c>GET /api/v1/timelines/tag/:hashtag</c>) that make a post. Read leniently: only
/// <see cref="Id"/> is required to place the status in its timeline; what a post needs is checked when it is made.
/// </summary>
/// <param name="Id">The instance's own id of the status: the timeline's cursor (<c>min_id</c>), not the same across instances.</param>
/// <param name="Uri">The status' global id (ActivityPub), the same on every instance that knows it.</param>
/// <param name="CreatedAt">When the status was written (for a boost: boosted).</param>
/// <param name="Content">The text, as HTML.</param>
/// <param name="SpoilerText">The content warning shown in place of the text until opened; empty when none.</param>
/// <param name="Language">The ISO 639 code the author or the instance gave it, if any.</param>
/// <param name="Acct">The author's account: "ana" on its own instance, "ana@example.org" on another.</param>
/// <param name="Reblog">For a boost, the status boosted; its own content is empty.</param>
public sealed record MastodonStatus(
    string Id,
    string? Uri,
    DateTimeOffset? CreatedAt,
    string? Content,
    string? SpoilerText,
    string? Language,
    string? Acct,
    MastodonStatus? Reblog)
{
    /// <summary>Reads a page of statuses, newest first as Mastodon sends it; an element without an id is null.</summary>
    /// <exception cref="JsonException">The body is not JSON, or not an array.</exception>
    public static IReadOnlyList<MastodonStatus?> ParsePage(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException($"the timeline is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}; it must be an array of statuses");
        }

        return [.. document.RootElement.EnumerateArray().Select(Parse)];
    }

    public static MastodonStatus? Parse(JsonElement status)
    {
        if (status.ValueKind != JsonValueKind.Object || Text(status, "id") is not { Length: > 0 } id)
        {
            return null;
        }

        DateTimeOffset? createdAt = Text(status, "created_at") is { } created
            && DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
        string? acct = status.TryGetProperty("account", out var account) && account.ValueKind == JsonValueKind.Object ? Text(account, "acct") : null;
        var reblog = status.TryGetProperty("reblog", out var boosted) && boosted.ValueKind == JsonValueKind.Object ? Parse(boosted) : null;
        return new MastodonStatus(id, Text(status, "uri"), createdAt, Text(status, "content"), Text(status, "spoiler_text"), Text(status, "language"), acct, reblog);
    }

    /// <summary>A string member, or a number's digits (ids are strings in Mastodon's API, but a number must not be lost).</summary>
    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
