using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using WordCloud.Abstractions;

namespace WordCloud.Client.Sources;

/// <summary>
/// Posts about a topic from Bluesky's public Jetstream: a WebSocket that sends every event of the network as JSON, no
/// login needed. The source asks for posts only (<c>wantedCollections=app.bsky.feed.post</c>), keeps those that carry
/// the topic's tag, and reconnects forever, resuming from the last event it read.
/// </summary>
/// <remarks>
/// <para>What becomes of each event:</para>
/// <list type="bullet">
/// <item>The creation of a post with the topic's tag (a tag facet, the record's <c>tags</c>, or a hashtag in its text
/// by the <see cref="Hashtags"/> rule) in a wanted language: a post, id <c>at://{did}/app.bsky.feed.post/{rkey}</c>,
/// author the DID, time its <c>createdAt</c> (else the event's time), source <c>bluesky</c>. Invalid by
/// <see cref="PostRules"/>: an invalid item.</item>
/// <item>The deletion of any post: a deletion. A delete event carries no record, so its topic is unknown; forwarding
/// every one costs a few bytes, and the window ignores ids it does not hold. Counted as matched.</item>
/// <item>An update of a post: skipped. Bluesky posts cannot be edited, so updates are rare and carry nothing a
/// reader would see; treating one as delete-and-create would move the post to the window's newest end.</item>
/// <item>Identity and account events, other collections and operations, posts without the tag or in other
/// languages: skipped and counted.</item>
/// <item>A frame that is not a Jetstream event (bad JSON, a missing field): logged with its number, the connection's
/// URL and an excerpt, counted as malformed and skipped; the stream goes on.</item>
/// </list>
/// <para>
/// Every item's <see cref="SourcedPost.Resume"/> is its event's <c>time_us</c>. Reconnecting (or starting with a
/// resume) asks for <c>cursor=</c> that time, and Jetstream replays from there, so a few events come twice; the
/// window drops a post whose id it already holds.
/// </para>
/// </remarks>
public sealed partial class JetstreamSource : IPostSource
{
    public const string PostCollection = "app.bsky.feed.post";

    /// <summary>Larger frames are not Jetstream posts (a post's text is at most 3,000 bytes); they are read and dropped.</summary>
    public const int MaxFrameBytes = 1024 * 1024;

    private const int ExcerptBytes = 200;

    /// <summary>The last microsecond of year 9999, the largest time a <see cref="DateTimeOffset"/> holds.</summary>
    private const long MaxTimeUs = 253_402_300_799_999_999;

    private readonly JetstreamSettings _settings;
    private readonly ILogger _logger;
    private readonly long? _resumeCursor;
    private long? _cursor;
    /// <summary>
    /// How far back a cursor goes when it moves to another Jetstream: each instance stamps events with its own clock,
    /// so its time for an event may be a little earlier than the one the cursor came from (Jetstream's documentation
    /// advises rewinding a few seconds). The window drops the posts that come twice.
    /// </summary>
    public const long SwitchRewindMicroseconds = 5_000_000;

    private long _frames;
    private int _endpoint;

    /// <param name="settings">Where to connect and what to keep.</param>
    /// <param name="resume">The <see cref="SourcedPost.Resume"/> of the last item acknowledged by an earlier run, or null to start from now.</param>
    /// <param name="logger">For connections, failures, recoveries and malformed frames.</param>
    public JetstreamSource(JetstreamSettings settings, string? resume, ILogger logger)
    {
        if (settings.Endpoints.Count == 0)
        {
            throw new ArgumentException("at least one Jetstream URL is needed", nameof(settings));
        }

        _settings = settings;
        _logger = logger;
        if (resume is not null)
        {
            if (long.TryParse(resume, NumberStyles.None, CultureInfo.InvariantCulture, out var timeUs) && timeUs > 0)
            {
                // With several instances to choose from, the one that gave the cursor may not be the first tried.
                _cursor = _resumeCursor = settings.Endpoints.Count > 1 ? Math.Max(1, timeUs - SwitchRewindMicroseconds) : timeUs;
            }
            else
            {
                // A state file written for another source: starting from now loses nothing that resuming could give.
                LogUnusableResume(logger, resume);
            }
        }
    }

    public string Description =>
        $"Bluesky Jetstream {_settings.Endpoints[0]}{(_settings.Endpoints.Count > 1 ? $" (falling back to {_settings.Endpoints.Count - 1} more)" : string.Empty)}"
        + $", posts tagged #{_settings.Topic}{(_settings.Languages.AcceptsAll ? string.Empty : $" in {string.Join(", ", _settings.Languages.Wanted)}")}"
        + (_resumeCursor is { } cursor ? $", resuming from time_us {cursor}" : string.Empty);

    public FeedCounters Counters { get; } = new();

    /// <summary>
    /// The URL to connect to: <paramref name="endpoint"/> with <c>wantedCollections=app.bsky.feed.post</c> and, when
    /// resuming, <c>cursor=</c>; any other query parameters of the endpoint are kept.
    /// </summary>
    public static Uri SubscribeUri(Uri endpoint, long? cursor)
    {
        var parameters = endpoint.Query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(parameter => NameOf(parameter) is not ("wantedCollections" or "cursor"))
            .Append($"wantedCollections={PostCollection}");
        if (cursor is { } timeUs)
        {
            parameters = parameters.Append(string.Create(CultureInfo.InvariantCulture, $"cursor={timeUs}"));
        }

        return new UriBuilder(endpoint) { Query = string.Join('&', parameters) }.Uri;

        static string NameOf(string parameter) => parameter.Split('=', 2)[0];
    }

    public async IAsyncEnumerable<SourcedPost> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var backoff = new Backoff(_settings.FirstRetryDelay, _settings.MaxRetryDelay);
        var frame = new ArrayBufferWriter<byte>(16 * 1024);
        long? downSince = null;
        while (true)
        {
            var uri = SubscribeUri(_settings.Endpoints[_endpoint], _cursor);
            var resumedFrom = _cursor;
            Receipt receipt = default;
            string? failure;
            var socket = new ClientWebSocket();
            try
            {
                LogConnecting(_logger, uri);
                failure = await ConnectAsync(socket, uri, cancellationToken);
                if (failure is null)
                {
                    LogConnected(_logger, uri);
                    var delivered = false;
                    while ((receipt = await ReceiveAsync(socket, frame, cancellationToken)).Failure is null)
                    {
                        var number = ++_frames;
                        if (!delivered)
                        {
                            delivered = true;
                            backoff.Reset();
                            if (downSince is { } since)
                            {
                                LogRecovered(_logger, uri, Stopwatch.GetElapsedTime(since).TotalSeconds, resumedFrom?.ToString(CultureInfo.InvariantCulture) ?? "none (live)");
                                downSince = null;
                            }
                        }

                        if (Read(frame.WrittenMemory, receipt.Bytes, number, uri) is { } item)
                        {
                            yield return item;
                        }
                    }

                    failure = receipt.Failure;
                }
            }
            finally
            {
                socket.Dispose();
            }

            Counters.CountReconnect();
            downSince ??= Stopwatch.GetTimestamp();
            var delay = backoff.Next();
            LogFailed(_logger, uri, failure, backoff.Failures, delay.TotalMilliseconds, _cursor?.ToString(CultureInfo.InvariantCulture) ?? "none (live)");
            if (_settings.Endpoints.Count > 1)
            {
                // A host that failed may stay down for a while; the others carry the same events.
                _endpoint = (_endpoint + 1) % _settings.Endpoints.Count;
                _cursor = _cursor is { } timeUs ? Math.Max(1, timeUs - SwitchRewindMicroseconds) : null;
            }

            await Task.Delay(delay, cancellationToken);
        }
    }

    /// <summary>Reads one frame: an item to pass on, or null for a frame skipped (counted, and logged when malformed).</summary>
    /// <param name="frame">The frame, or the start of one over <see cref="MaxFrameBytes"/>.</param>
    /// <param name="bytes">The frame's whole size.</param>
    /// <param name="number">The frame's number since the source started, for messages.</param>
    /// <param name="uri">The connection's URL, for messages.</param>
    internal SourcedPost? Read(ReadOnlyMemory<byte> frame, long bytes, long number, Uri uri)
    {
        Counters.CountSeen();
        if (bytes > MaxFrameBytes)
        {
            return Malformed(frame, number, uri, $"the frame is {bytes} bytes; the limit is {MaxFrameBytes}");
        }

        // JsonDocument indexes the frame in pooled memory and makes no string until asked, so a skipped event costs one
        // pass over its bytes; that is far more than a replay after a reconnect needs.
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame);
        }
        catch (JsonException bad)
        {
            return Malformed(frame, number, uri, $"malformed JSON: {bad.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Malformed(frame, number, uri, $"the frame is a JSON {root.ValueKind.ToString().ToLowerInvariant()}; an event is an object");
            }

            if (!root.TryGetProperty("time_us"u8, out var time) || !time.TryGetInt64(out var timeUs) || timeUs is <= 0 or > MaxTimeUs)
            {
                return Malformed(frame, number, uri, "\"time_us\" is missing or not a time in microseconds since 1970");
            }

            if (StringOf(root, "did"u8) is not { Length: > 0 } did)
            {
                return Malformed(frame, number, uri, "\"did\" is missing or not a string");
            }

            if (!root.TryGetProperty("kind"u8, out var kind) || kind.ValueKind != JsonValueKind.String)
            {
                return Malformed(frame, number, uri, "\"kind\" is missing or not a string");
            }

            // A well-formed event, of whatever kind, is one a reconnect need not see again.
            _cursor = timeUs;
            var eventTime = DateTimeOffset.FromUnixTimeMilliseconds(timeUs / 1000).AddTicks(timeUs % 1000 * 10);
            Counters.SawEventAt(eventTime);
            if (!kind.ValueEquals("commit"u8))
            {
                Counters.CountSkipped();
                return null;
            }

            if (!root.TryGetProperty("commit"u8, out var commit) || commit.ValueKind != JsonValueKind.Object)
            {
                return Malformed(frame, number, uri, "a commit event without a \"commit\" object");
            }

            if (!commit.TryGetProperty("collection"u8, out var collection) || !collection.ValueEquals(PostCollection))
            {
                Counters.CountSkipped();
                return null;
            }

            if (!commit.TryGetProperty("operation"u8, out var operation) || operation.ValueKind != JsonValueKind.String)
            {
                return Malformed(frame, number, uri, "\"commit.operation\" is missing or not a string");
            }

            var isCreate = operation.ValueEquals("create"u8);
            if (!isCreate && !operation.ValueEquals("delete"u8))
            {
                Counters.CountSkipped();
                return null;
            }

            if (StringOf(commit, "rkey"u8) is not { Length: > 0 } rkey)
            {
                return Malformed(frame, number, uri, "\"commit.rkey\" is missing or not a string");
            }

            var id = $"at://{did}/{PostCollection}/{rkey}";
            var origin = string.Create(CultureInfo.InvariantCulture, $"jetstream event {number} (time_us {timeUs})");
            var resume = timeUs.ToString(CultureInfo.InvariantCulture);
            if (!isCreate)
            {
                Counters.CountMatched();
                return SourcedPost.Deletion(id, origin, resume);
            }

            if (!commit.TryGetProperty("record"u8, out var record) || record.ValueKind != JsonValueKind.Object)
            {
                return Malformed(frame, number, uri, "a create without a \"commit.record\" object");
            }

            if (!record.TryGetProperty("text"u8, out var textElement) || textElement.ValueKind != JsonValueKind.String)
            {
                return Malformed(frame, number, uri, "\"commit.record.text\" is missing or not a string");
            }

            var text = textElement.GetString()!;
            if (!IsInWantedLanguage(record) || !IsAboutTopic(record, text))
            {
                Counters.CountSkipped();
                return null;
            }

            var createdAt = StringOf(record, "createdAt"u8) is { } created
                && DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                    ? parsed
                    : eventTime;
            var post = new Post(text, Id: id, Author: did, CreatedAt: createdAt, Source: "bluesky");
            Counters.CountMatched();
            return PostRules.Validate(post) is { } error ? SourcedPost.Invalid(origin, error, resume) : SourcedPost.Valid(post, origin, resume);
        }
    }

    private bool IsInWantedLanguage(JsonElement record)
    {
        if (_settings.Languages.AcceptsAll)
        {
            return true;
        }

        if (!record.TryGetProperty("langs"u8, out var langs) || langs.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var language in langs.EnumerateArray())
        {
            if (language.ValueKind == JsonValueKind.String && _settings.Languages.Accepts(language.GetString()))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A tag facet or an entry of the record's <c>tags</c> naming the topic, or the hashtag in the text.</summary>
    private bool IsAboutTopic(JsonElement record, string text)
    {
        var topic = _settings.Topic;
        if (record.TryGetProperty("facets"u8, out var facets) && facets.ValueKind == JsonValueKind.Array)
        {
            foreach (var facet in facets.EnumerateArray())
            {
                if (facet.ValueKind != JsonValueKind.Object || !facet.TryGetProperty("features"u8, out var features) || features.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var feature in features.EnumerateArray())
                {
                    if (feature.ValueKind == JsonValueKind.Object
                        && feature.TryGetProperty("$type"u8, out var type) && type.ValueEquals("app.bsky.richtext.facet#tag"u8)
                        && IsTopic(StringOf(feature, "tag"u8), topic))
                    {
                        return true;
                    }
                }
            }
        }

        // Tags the author added outside the text (Bluesky's "outline tags").
        if (record.TryGetProperty("tags"u8, out var tags) && tags.ValueKind == JsonValueKind.Array)
        {
            foreach (var tag in tags.EnumerateArray())
            {
                if (tag.ValueKind == JsonValueKind.String && IsTopic(tag.GetString(), topic))
                {
                    return true;
                }
            }
        }

        return Hashtags.Contains(text, topic);

        static bool IsTopic(string? tag, string topic) => tag is not null && tag.AsSpan().TrimStart('#').Equals(topic, StringComparison.OrdinalIgnoreCase);
    }

    private SourcedPost? Malformed(ReadOnlyMemory<byte> frame, long number, Uri uri, string error)
    {
        Counters.CountMalformed();
        var excerpt = Encoding.UTF8.GetString(frame.Span[..Math.Min(frame.Length, ExcerptBytes)]) + (frame.Length > ExcerptBytes ? "…" : string.Empty);
        LogMalformed(_logger, number, uri, error, excerpt);
        return null;
    }

    private static string? StringOf(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Opens the socket; null when connected, else why not. Only cancellation throws.</summary>
    private async Task<string?> ConnectAsync(ClientWebSocket socket, Uri uri, CancellationToken cancellationToken)
    {
        socket.Options.KeepAliveInterval = _settings.KeepAlive;
        socket.Options.KeepAliveTimeout = _settings.KeepAlive;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no connection within {Duration.Format(_settings.ConnectTimeout)}";
        }
        catch (Exception failure) when (failure is WebSocketException or HttpRequestException or IOException)
        {
            return Describe(failure);
        }
    }

    /// <summary>
    /// Reads one whole message, however many fragments it came in, into <paramref name="frame"/>: its size, or why the
    /// connection ended. Of a message over <see cref="MaxFrameBytes"/> only the start is kept, for the log. Only
    /// cancellation throws.
    /// </summary>
    private async Task<Receipt> ReceiveAsync(ClientWebSocket socket, ArrayBufferWriter<byte> frame, CancellationToken cancellationToken)
    {
        frame.ResetWrittenCount();
        var bytes = 0L;
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(frame.GetMemory(16 * 1024), cancellationToken);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new Receipt(bytes, "the connection was aborted (no answer to a keep-alive ping)");
            }
            catch (Exception failure) when (failure is WebSocketException or IOException)
            {
                return new Receipt(bytes, Describe(failure));
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                await CloseAsync(socket);
                var description = string.IsNullOrEmpty(socket.CloseStatusDescription) ? string.Empty : $": {socket.CloseStatusDescription}";
                return new Receipt(bytes, $"the server closed the connection ({socket.CloseStatus?.ToString() ?? "no status"}{description})");
            }

            frame.Advance(result.Count);
            bytes += result.Count;
            if (frame.WrittenCount > MaxFrameBytes)
            {
                // Read to its end, so the next frame starts in the right place, but without growing the buffer.
                var start = frame.WrittenSpan[..ExcerptBytes].ToArray();
                frame.ResetWrittenCount();
                frame.Write(start);
            }

            if (result.EndOfMessage)
            {
                return new Receipt(bytes, null);
            }
        }
    }

    /// <summary>Answers the server's close, so that it sees a clean end; a failure here changes nothing.</summary>
    private async Task CloseAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }
        catch (Exception failure) when (failure is WebSocketException or OperationCanceledException or IOException)
        {
            LogCloseFailed(_logger, failure.Message);
        }
    }

    private static string Describe(Exception failure) =>
        failure.InnerException is { } inner && !failure.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{failure.Message} ({inner.Message})"
            : failure.Message;

    [LoggerMessage(Level = LogLevel.Information, Message = "Connecting to Jetstream {Url}")]
    private static partial void LogConnecting(ILogger logger, Uri url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to Jetstream {Url}")]
    private static partial void LogConnected(ILogger logger, Uri url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Jetstream {Url} failed: {Error}; attempt {Attempt}, reconnecting in {DelayMs:0} ms from cursor {Cursor}")]
    private static partial void LogFailed(ILogger logger, Uri url, string error, int attempt, double delayMs, string cursor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Jetstream {Url} delivers events again after {DownSeconds:0.0} s down, resumed from cursor {Cursor}")]
    private static partial void LogRecovered(ILogger logger, Uri url, double downSeconds, string cursor);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Answering the Jetstream server's close failed: {Error}")]
    private static partial void LogCloseFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Jetstream frame {Frame} from {Url}: {Error}; skipped: {Excerpt}")]
    private static partial void LogMalformed(ILogger logger, long frame, Uri url, string error, string excerpt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The resume point '{Resume}' is not a Jetstream cursor (a time_us); starting from the live end of the stream")]
    private static partial void LogUnusableResume(ILogger logger, string resume);

    /// <summary>What reading one message gave: its size, or why the connection ended.</summary>
    private readonly record struct Receipt(long Bytes, string? Failure);
}
