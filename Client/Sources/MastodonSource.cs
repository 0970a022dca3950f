using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using WordCloud.Abstractions;

namespace WordCloud.Client.Sources;

/// <summary>
/// Posts from the public hashtag timeline of the topic on one or more Mastodon instances, polled with <c>min_id</c>
/// so that each status arrives once and in order, and merged into one stream.
/// </summary>
/// <remarks>
/// <para>
/// Each instance is polled on its own, with its own cursor and backoff. Without a cursor to resume from, the first
/// poll takes the newest page (up to 40 statuses) as the start: the cloud shows something at once, and a producer
/// started on a busy tag does not replay its history. A full page is followed at once by the next; a page that is
/// not full means the timeline has been caught up, and the next poll comes after <see cref="MastodonSettings.Poll"/>.
/// </para>
/// <para>
/// Each item's <see cref="SourcedPost.Resume"/> is a JSON object of instance URL to the id of the newest status of
/// that instance handled at or before the item, so a restart with it misses nothing and sends nothing twice.
/// </para>
/// <para>
/// A status whose URI was already sent in this run is skipped: a boost of a status sent before, or a status that two
/// of the instances both know. A boost of a status not sent yet is sent as that status (its URI, author and time).
/// The content warning (<c>spoiler_text</c>) is kept, as the first paragraph: it is the author's words about the post.
/// A status with no text at all (only media) is skipped, not reported: it is common and nothing is wrong with it.
/// </para>
/// <para>
/// An answer no retry will change by itself (401, 403, 404, 410, 422) is logged as an error that names the instance,
/// the status and what to do, and the instance is asked again after the longest backoff rather than given up: an
/// instance in maintenance or behind a misconfigured proxy answers so for a while and then comes back.
/// </para>
/// </remarks>
public sealed partial class MastodonSource : IPostSource, IDisposable
{
    public const string SourceName = "mastodon";

    /// <summary>Names the client to instance operators, as Mastodon's API guidelines ask of clients.</summary>
    public const string UserAgent = "OrleansCloud/1.0 (word cloud producer)";

    private readonly MastodonSettings _settings;
    private readonly string _topic;
    private readonly LanguageFilter _languages;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly string[] _instances;
    private readonly SortedDictionary<string, string> _cursors = new(StringComparer.Ordinal);
    private readonly RecentUris _sent;

    /// <param name="settings">The instances and how to poll them.</param>
    /// <param name="topic">The hashtag, without '#'.</param>
    /// <param name="languages">Which statuses to keep by their language.</param>
    /// <param name="resume">The <see cref="SourcedPost.Resume"/> of the last item handled by an earlier run, or null.</param>
    /// <param name="logger">For failures, waits and recoveries.</param>
    /// <param name="time">For the waits; tests pass a fake.</param>
    /// <param name="handler">For the requests; null for the default.</param>
    public MastodonSource(MastodonSettings settings, string topic, LanguageFilter languages, string? resume, ILogger logger, TimeProvider? time = null, HttpMessageHandler? handler = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(settings.Instances.Count, nameof(settings));
        _settings = settings;
        _topic = topic.TrimStart('#');
        _languages = languages;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _instances = [.. settings.Instances.Select(InstanceKey).Distinct(StringComparer.Ordinal)];
        _sent = new RecentUris(settings.RememberedUris);
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = settings.RequestTimeout;
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (settings.Token is { Length: > 0 } token)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        ReadResume(resume);
    }

    public string Description =>
        $"Mastodon #{_topic} on {string.Join(", ", _instances)}{(_languages.AcceptsAll ? string.Empty : $" in {string.Join(", ", _languages.Wanted)}")}";

    public FeedCounters Counters { get; } = new();

    /// <summary>The instance as it is named in logs and in resume strings: its URL without a trailing '/'.</summary>
    public static string InstanceKey(Uri instance) => instance.GetLeftPart(UriPartial.Path).TrimEnd('/');

    public async IAsyncEnumerable<SourcedPost> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Bounded, so a cluster slower than the feed slows the polls instead of filling memory.
        var fetched = Channel.CreateBounded<Fetched>(new BoundedChannelOptions(4 * MastodonSettings.PageSize) { SingleReader = true });
        using var polling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Each loop starts from a copy of its cursor: from here on only this reader touches the dictionary.
        var loops = _instances.Select(instance => PollUntilStoppedAsync(instance, _cursors.GetValueOrDefault(instance), fetched.Writer, polling.Token)).ToArray();
        try
        {
            await foreach (var item in fetched.Reader.ReadAllAsync(cancellationToken))
            {
                if (item.StatusId is { } statusId)
                {
                    // Only here, as the item is handed on: a status still in the channel must not be in any Resume.
                    _cursors[item.Instance] = statusId;
                }

                if (item.Post is not { } post)
                {
                    continue;
                }

                if (post.Post is { Id: { } uri })
                {
                    if (!_sent.Add(uri))
                    {
                        Counters.CountSkipped();
                        continue;
                    }

                    Counters.CountMatched();
                }

                yield return post with { Resume = ResumeText() };
            }
        }
        finally
        {
            await polling.CancelAsync();
            await Task.WhenAll(loops);
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The cursors of every instance as of the items handed on so far.</summary>
    private string ResumeText() => JsonSerializer.Serialize(_cursors);

    private void ReadResume(string? resume)
    {
        if (string.IsNullOrWhiteSpace(resume))
        {
            return;
        }

        try
        {
            var cursors = JsonSerializer.Deserialize<Dictionary<string, string>>(resume);
            foreach (var (instance, statusId) in cursors ?? [])
            {
                // An instance not polled this time keeps its place, for the run that names it again.
                var key = Uri.TryCreate(instance, UriKind.Absolute, out var url) ? InstanceKey(url) : instance;
                _cursors[key] = statusId;
            }
        }
        catch (JsonException unreadable)
        {
            // A state file of another source, or damaged: start afresh rather than not at all.
            LogResumeUnreadable(_logger, unreadable.Message);
            _cursors.Clear();
        }
    }

    private async Task PollUntilStoppedAsync(string instance, string? minId, ChannelWriter<Fetched> output, CancellationToken stop)
    {
        try
        {
            await PollAsync(instance, minId, output, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping is the only way a poll loop ends.
        }
        catch (Exception failure)
        {
            // Not a failure of the feed but of this code: end the stream with it rather than go quiet.
            output.TryComplete(failure);
        }
    }

    private async Task PollAsync(string instance, string? minId, ChannelWriter<Fetched> output, CancellationToken stop)
    {
        var backoff = new Backoff(_settings.FirstRetryDelay, _settings.MaxRetryDelay);
        LogPolling(_logger, instance, _topic, minId is null ? "the newest page" : $"the statuses after {minId}");
        while (true)
        {
            var url = $"{instance}/api/v1/timelines/tag/{Uri.EscapeDataString(_topic)}?limit={MastodonSettings.PageSize}{(minId is null ? string.Empty : $"&min_id={Uri.EscapeDataString(minId)}")}";
            TimeSpan wait;
            try
            {
                using var response = await _http.GetAsync(url, stop);
                var now = _time.GetUtcNow();
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    Counters.CountReconnect();
                    var backedOff = backoff.Next();
                    wait = MastodonRateLimit.RetryAfter(response.Headers, now) ?? backedOff;
                    LogRateLimited(_logger, instance, backoff.Failures, wait.TotalSeconds);
                }
                else if ((int)response.StatusCode is >= 400 and < 500)
                {
                    Counters.CountReconnect();
                    backoff.Next();
                    wait = _settings.MaxRetryDelay;
                    LogRefused(_logger, instance, (int)response.StatusCode, response.ReasonPhrase ?? string.Empty, Advice(response.StatusCode), wait.TotalSeconds);
                }
                else
                {
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
                    }

                    var page = MastodonStatus.ParsePage(await response.Content.ReadAsStringAsync(stop));
                    if (backoff.Failures > 0)
                    {
                        LogRecovered(_logger, instance, backoff.Failures);
                        backoff.Reset();
                    }

                    // An empty first page: the tag has no statuses yet, so all that come from now on are new, and
                    // asking for those after id 0 gets them all rather than only the newest page of a burst.
                    minId = await HandOnAsync(instance, page, minId, output, stop) ?? "0";
                    wait = page.Count >= MastodonSettings.PageSize ? TimeSpan.Zero : _settings.Poll;
                    if (MastodonRateLimit.UntilReset(response.Headers, now) is { } untilReset && untilReset > wait)
                    {
                        LogAllowanceUsed(_logger, instance, untilReset.TotalSeconds);
                        wait = untilReset;
                    }
                }
            }
            catch (Exception failure) when (failure is HttpRequestException or JsonException or IOException
                || (failure is TaskCanceledException && !stop.IsCancellationRequested))
            {
                Counters.CountReconnect();
                wait = backoff.Next();
                LogPollFailed(_logger, instance, Describe(failure), backoff.Failures, wait.TotalMilliseconds);
            }

            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, stop);
            }
        }
    }

    /// <summary>Hands on a page, oldest first; returns the cursor for the next request (the newest id of the page).</summary>
    private async Task<string?> HandOnAsync(string instance, IReadOnlyList<MastodonStatus?> page, string? minId, ChannelWriter<Fetched> output, CancellationToken stop)
    {
        for (var index = page.Count - 1; index >= 0; index--)
        {
            Counters.CountSeen();
            var status = page[index];
            if (status is null)
            {
                Counters.CountMalformed();
                await output.WriteAsync(new Fetched(instance, null, SourcedPost.Invalid($"{instance} timeline item {page.Count - index}", "the status has no \"id\"")), stop);
                continue;
            }

            if (status.CreatedAt is { } createdAt)
            {
                Counters.SawEventAt(createdAt);
            }

            await output.WriteAsync(new Fetched(instance, status.Id, ToItem(instance, status)), stop);
            minId = status.Id;
        }

        return minId;
    }

    /// <summary>The item a status makes, or null for one that is skipped (counted here).</summary>
    private SourcedPost? ToItem(string instance, MastodonStatus status)
    {
        var origin = $"{instance} status {status.Id}";
        var original = status.Reblog ?? status;
        if (!_languages.Accepts(original.Language))
        {
            Counters.CountSkipped();
            return null;
        }

        if (original.Uri is not { Length: > 0 } uri)
        {
            Counters.CountMalformed();
            return SourcedPost.Invalid(origin, "the status has no \"uri\", which is its id");
        }

        var content = MastodonHtml.ToText(original.Content);
        var text = original.SpoilerText is { Length: > 0 } spoiler && !string.IsNullOrWhiteSpace(spoiler)
            ? content.Length > 0 ? $"{spoiler.Trim()}\n\n{content}" : spoiler.Trim()
            : content;
        if (text.Length == 0)
        {
            Counters.CountSkipped();
            return null;
        }

        var post = new Post(text, Id: uri, Author: original.Acct, CreatedAt: original.CreatedAt, Source: SourceName);
        if (PostRules.Validate(post) is { } error)
        {
            Counters.CountMalformed();
            return SourcedPost.Invalid(origin, error);
        }

        return SourcedPost.Valid(post, origin);
    }

    private static string Advice(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => $"the instance needs an access token: give one with --token or {MastodonSettings.TokenVariable}, or check the one given",
        HttpStatusCode.Forbidden => "the instance refuses this client or token: check the token's scopes (read:statuses) or use another instance",
        HttpStatusCode.NotFound or HttpStatusCode.Gone => "no Mastodon API at this address: check the --instance URL",
        _ => "check the --instance URL and the topic",
    };

    private static string Describe(Exception failure) => failure switch
    {
        TaskCanceledException => "no answer within the request timeout",
        JsonException => $"malformed JSON: {failure.Message}",
        _ => failure.Message,
    };

    /// <summary>A status (or a placeholder for one that could not be read) on its way from a poll loop to the reader.</summary>
    /// <param name="Instance">The instance polled, as <see cref="InstanceKey"/> names it.</param>
    /// <param name="StatusId">The cursor the instance reaches once this is handed on; null when the item has no id.</param>
    /// <param name="Post">The item, or null for a status skipped in the poll loop.</param>
    private readonly record struct Fetched(string Instance, string? StatusId, SourcedPost? Post);

    /// <summary>The most recent URIs sent, up to a bound: old enough ones are forgotten.</summary>
    private sealed class RecentUris(int capacity)
    {
        private readonly HashSet<string> _uris = new(StringComparer.Ordinal);
        private readonly Queue<string> _order = new();

        public bool Add(string uri)
        {
            if (!_uris.Add(uri))
            {
                return false;
            }

            _order.Enqueue(uri);
            if (_order.Count > capacity)
            {
                _uris.Remove(_order.Dequeue());
            }

            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mastodon {Instance}: polling #{Topic}, starting with {Start}")]
    private static partial void LogPolling(ILogger logger, string instance, string topic, string start);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mastodon {Instance}: poll failed ({Error}); attempt {Attempt}, polling again in {DelayMs:0} ms")]
    private static partial void LogPollFailed(ILogger logger, string instance, string error, int attempt, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mastodon {Instance}: rate limited (429); attempt {Attempt}, waiting {WaitSeconds:0.#} s as the instance asks")]
    private static partial void LogRateLimited(ILogger logger, string instance, int attempt, double waitSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mastodon {Instance}: rate-limit allowance used up; waiting {WaitSeconds:0.#} s for it to be reset")]
    private static partial void LogAllowanceUsed(ILogger logger, string instance, double waitSeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mastodon {Instance}: the timeline answered {Status} {Reason}; {Advice}. Asking again in {DelaySeconds:0} s")]
    private static partial void LogRefused(ILogger logger, string instance, int status, string reason, string advice, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mastodon {Instance}: polling again after {Failures} failed attempts")]
    private static partial void LogRecovered(ILogger logger, string instance, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The resume point is not a Mastodon one (a JSON object of instance URL to status id): {Reason}; starting from each instance's newest page")]
    private static partial void LogResumeUnreadable(ILogger logger, string reason);
}
