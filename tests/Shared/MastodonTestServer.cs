using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WordCloud.Tests.Shared;

/// <summary>
/// A Mastodon instance as far as a hashtag timeline goes, on 127.0.0.1 and a free port:
/// <c>GET /api/v1/timelines/tag/{tag}?limit=N&amp;min_id=X</c> answers as Mastodon does (newest first; with min_id, the
/// statuses right after it). Tests add statuses, queue canned answers (429, 500, bad JSON) served before the
/// timeline, require a token, and read the requests it got with their times.
/// </summary>
/// <remarks>Linked into the unit and end-to-end test projects: one fake for both.</remarks>
public sealed class MastodonTestServer : IAsyncDisposable
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 40;

    // Ids like Mastodon's (snowflakes, as decimal strings), and a different range per server so mix-ups show.
    private static long s_nextBase = 110_000_000_000_000_000;

    private readonly WebApplication _app;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly List<Status> _statuses = [];
    private readonly Queue<Canned> _canned = new();
    private readonly List<Request> _requests = [];
    private readonly long _idBase = Interlocked.Add(ref s_nextBase, 1_000_000_000);
    private long _count;
    private TaskCompletionSource _requested = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private MastodonTestServer(WebApplication app, TimeProvider time)
    {
        _app = app;
        _time = time;
    }

    /// <summary>The instance's URL, such as http://127.0.0.1:41234 (no trailing '/').</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>When set, a timeline request without <c>Authorization: Bearer</c> and this token gets a 401.</summary>
    public string? RequiredToken { get; set; }

    /// <summary>The requests so far, oldest first.</summary>
    public IReadOnlyList<Request> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <param name="time">Stamps the requests; the system clock by default.</param>
    public static async Task<MastodonTestServer> StartAsync(TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new MastodonTestServer(app, time ?? TimeProvider.System);
        app.MapGet("/api/v1/timelines/tag/{tag}", server.TimelineAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address.TrimEnd('/'));
        return server;
    }

    /// <summary>Adds a status to the tag's timeline, newer than every status added before.</summary>
    /// <param name="tag">The hashtag whose timeline shows it, without '#'.</param>
    /// <param name="content">Its HTML, as Mastodon sends it.</param>
    /// <param name="language">Its language, or null for none.</param>
    /// <param name="acct">Its author's account.</param>
    /// <param name="createdAt">When it was written; now by default.</param>
    /// <param name="spoilerText">Its content warning; none by default.</param>
    /// <param name="uri">The status' global id; by default one of this server. Give another server's to play a copy of its status.</param>
    public Status AddStatus(string tag, string content, string? language = "en", string acct = "ana", DateTimeOffset? createdAt = null, string spoilerText = "", string? uri = null)
    {
        lock (_gate)
        {
            var id = NextId();
            var status = new Status(id, uri ?? $"{Url}/users/{acct}/statuses/{id}", tag, content, language, acct, createdAt ?? _time.GetUtcNow(), spoilerText, null);
            _statuses.Add(status);
            return status;
        }
    }

    /// <summary>Adds <paramref name="count"/> statuses whose text is "{prefix} 1", "{prefix} 2" and so on.</summary>
    public IReadOnlyList<Status> AddStatuses(string tag, int count, string prefix = "post")
    {
        return [.. Enumerable.Range(1, count).Select(number => AddStatus(tag, $"<p>{prefix} {number}</p>"))];
    }

    /// <summary>Adds to the tag's timeline a boost by <paramref name="acct"/> of <paramref name="original"/> (from any server).</summary>
    public Status AddReblog(string tag, Status original, string acct = "bob")
    {
        lock (_gate)
        {
            var id = NextId();
            var status = new Status(id, $"{Url}/users/{acct}/statuses/{id}/activity", tag, string.Empty, null, acct, _time.GetUtcNow(), string.Empty, original);
            _statuses.Add(status);
            return status;
        }
    }

    /// <summary>Serves this answer to the next timeline request instead of the timeline; queued answers go in order.</summary>
    public void Enqueue(int statusCode, string body = "[]", params (string Name, string Value)[] headers)
    {
        lock (_gate)
        {
            _canned.Enqueue(new Canned(statusCode, body, headers));
        }
    }

    /// <summary>Waits until the requests so far satisfy <paramref name="condition"/>; fails after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<Request>> WaitForRequestsAsync(Func<IReadOnlyList<Request>, bool> condition, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            Task next;
            lock (_gate)
            {
                if (condition(_requests))
                {
                    return [.. _requests];
                }

                next = _requested.Task;
            }

            try
            {
                await next.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the Mastodon test server at {Url} did not get the requests expected within {timeout}; it got {Requests.Count}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private string NextId() => (_idBase + ++_count).ToString(CultureInfo.InvariantCulture);

    private async Task TimelineAsync(HttpContext context, string tag)
    {
        var query = context.Request.Query;
        var minId = query["min_id"].FirstOrDefault();
        var limit = int.TryParse(query["limit"].FirstOrDefault(), CultureInfo.InvariantCulture, out var asked) ? Math.Clamp(asked, 1, MaxLimit) : DefaultLimit;
        var authorization = context.Request.Headers.Authorization.FirstOrDefault();
        int statusCode;
        string body;
        IReadOnlyList<(string Name, string Value)> headers = [];
        int returned = 0;
        lock (_gate)
        {
            if (_canned.TryDequeue(out var canned))
            {
                (statusCode, body, headers) = (canned.StatusCode, canned.Body, canned.Headers);
            }
            else if (RequiredToken is not null && authorization != $"Bearer {RequiredToken}")
            {
                (statusCode, body) = ((int)HttpStatusCode.Unauthorized, """{"error":"This API requires an authenticated user"}""");
            }
            else
            {
                var timeline = _statuses.Where(status => status.Tag.Equals(tag, StringComparison.OrdinalIgnoreCase)).OrderBy(status => long.Parse(status.Id, CultureInfo.InvariantCulture));
                var page = minId is null
                    ? timeline.TakeLast(limit)
                    : timeline.Where(status => long.Parse(status.Id, CultureInfo.InvariantCulture) > long.Parse(minId, CultureInfo.InvariantCulture)).Take(limit);
                var newestFirst = page.Reverse().ToList();
                returned = newestFirst.Count;
                (statusCode, body) = (StatusCodes.Status200OK, new JsonArray([.. newestFirst.Select(Json)]).ToJsonString());
            }

            _requests.Add(new Request(_time.GetUtcNow(), tag, minId, limit, authorization, context.Request.Headers.UserAgent.ToString(), statusCode, returned));
            _requested.TrySetResult();
            _requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json; charset=utf-8";
        foreach (var (name, value) in headers)
        {
            context.Response.Headers.Append(name, value);
        }

        await context.Response.WriteAsync(body);
    }

    private static JsonObject Json(Status status) => new()
    {
        ["id"] = status.Id,
        ["created_at"] = status.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["uri"] = status.Uri,
        ["url"] = status.Uri,
        ["visibility"] = "public",
        ["sensitive"] = status.SpoilerText.Length > 0,
        ["spoiler_text"] = status.SpoilerText,
        ["language"] = status.Language,
        ["content"] = status.Content,
        ["account"] = new JsonObject { ["id"] = "1", ["username"] = status.Acct.Split('@')[0], ["acct"] = status.Acct },
        ["reblog"] = status.Reblog is { } original ? Json(original) : null,
    };

    /// <summary>A status on the server: <paramref name="Reblog"/> is set for a boost, whose own content is empty.</summary>
    public sealed record Status(string Id, string Uri, string Tag, string Content, string? Language, string Acct, DateTimeOffset CreatedAt, string SpoilerText, Status? Reblog);

    /// <summary>A timeline request as the server saw it, and how many statuses it answered with (0 for a canned answer).</summary>
    public sealed record Request(DateTimeOffset At, string Tag, string? MinId, int Limit, string? Authorization, string UserAgent, int StatusCode, int Returned);

    private sealed record Canned(int StatusCode, string Body, IReadOnlyList<(string Name, string Value)> Headers);
}
