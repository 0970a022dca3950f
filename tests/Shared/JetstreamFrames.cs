using System.Text.Json.Nodes;

namespace WordCloud.Tests.Shared;

/// <summary>Jetstream events as the public instances send them, for <see cref="JetstreamTestServer"/>'s script.</summary>
public static class JetstreamFrames
{
    public const string Did = "did:plc:testauthor000000000000";

    /// <summary>The creation of a post. <paramref name="tags"/> become tag facets, as Bluesky's app writes them for hashtags.</summary>
    public static string Post(
        long timeUs,
        string rkey,
        string text,
        string[]? tags = null,
        string[]? langs = null,
        string? createdAt = "2026-12-03T12:00:00.000Z",
        string did = Did)
    {
        var record = new JsonObject
        {
            ["$type"] = "app.bsky.feed.post",
            ["text"] = text,
        };
        if (createdAt is not null)
        {
            record["createdAt"] = createdAt;
        }

        if (langs is not null)
        {
            record["langs"] = new JsonArray([.. langs.Select(lang => (JsonNode?)lang)]);
        }

        if (tags is not null)
        {
            record["facets"] = new JsonArray([.. tags.Select(tag => (JsonNode?)new JsonObject
            {
                ["index"] = new JsonObject { ["byteStart"] = 0, ["byteEnd"] = tag.Length + 1 },
                ["features"] = new JsonArray(new JsonObject { ["$type"] = "app.bsky.richtext.facet#tag", ["tag"] = tag }),
            })]);
        }

        return Commit(timeUs, "create", "app.bsky.feed.post", rkey, record, did);
    }

    /// <summary>The deletion of a post: Jetstream sends no record.</summary>
    public static string Delete(long timeUs, string rkey, string did = Did) => Commit(timeUs, "delete", "app.bsky.feed.post", rkey, null, did);

    /// <summary>An update of a post (Bluesky's app never edits posts; other clients could).</summary>
    public static string Update(long timeUs, string rkey, string text, string did = Did) =>
        Commit(timeUs, "update", "app.bsky.feed.post", rkey, new JsonObject { ["$type"] = "app.bsky.feed.post", ["text"] = text, ["createdAt"] = "2026-12-03T12:00:00.000Z" }, did);

    /// <summary>A commit to any collection, such as a like (<c>app.bsky.feed.like</c>).</summary>
    public static string Commit(long timeUs, string operation, string collection, string rkey, JsonObject? record, string did = Did)
    {
        var commit = new JsonObject
        {
            ["rev"] = "3lbtestrev22",
            ["operation"] = operation,
            ["collection"] = collection,
            ["rkey"] = rkey,
        };
        if (record is not null)
        {
            commit["record"] = record;
            commit["cid"] = "bafyreitestcid";
        }

        return new JsonObject { ["did"] = did, ["time_us"] = timeUs, ["kind"] = "commit", ["commit"] = commit }.ToJsonString();
    }

    /// <summary>An identity event (a handle change), which Jetstream sends whatever the wanted collections.</summary>
    public static string Identity(long timeUs, string did = Did) =>
        new JsonObject
        {
            ["did"] = did,
            ["time_us"] = timeUs,
            ["kind"] = "identity",
            ["identity"] = new JsonObject { ["did"] = did, ["handle"] = "someone.bsky.social", ["seq"] = 1, ["time"] = "2026-12-03T12:00:00.000Z" },
        }.ToJsonString();

    /// <summary>An account event (an account activated or deactivated).</summary>
    public static string Account(long timeUs, string did = Did) =>
        new JsonObject
        {
            ["did"] = did,
            ["time_us"] = timeUs,
            ["kind"] = "account",
            ["account"] = new JsonObject { ["active"] = true, ["did"] = did, ["seq"] = 2, ["time"] = "2026-12-03T12:00:00.000Z" },
        }.ToJsonString();

    /// <summary>The at:// URI of the post <paramref name="rkey"/> of <paramref name="did"/>: its id in the window.</summary>
    public static string Uri(string rkey, string did = Did) => $"at://{did}/app.bsky.feed.post/{rkey}";
}
