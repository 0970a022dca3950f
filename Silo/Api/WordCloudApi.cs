using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using WordCloud.Abstractions;

namespace WordCloud.Silo.Api;

/// <summary>
/// The JSON API under /api/topics: list topics, read a topic's cloud and posts, append posts, and a server-sent
/// event stream that pushes the cloud whenever the window changes. Bad input answers 400 with ProblemDetails.
/// </summary>
public static partial class WordCloudApi
{
    public const int DefaultTop = 100;
    public const int NewestPostsPushed = 10;

    /// <summary>How often the event stream looks at the window; a change reaches the page within this period.</summary>
    public static readonly TimeSpan PushPeriod = TimeSpan.FromMilliseconds(500);

    /// <summary>An unchanged window is still pushed this often, so the page can tell a quiet topic from a dead link.</summary>
    public static readonly TimeSpan KeepAlivePeriod = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapWordCloudApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("api/topics");
        api.MapGet("", GetTopicsAsync);
        api.MapGet("{topic}/cloud", GetCloudAsync);
        api.MapGet("{topic}/posts", GetPostsAsync);
        api.MapPost("{topic}/posts", AppendPostsAsync);
        api.MapGet("{topic}/events", GetEvents);
        return endpoints;
    }

    public static async Task<JsonHttpResult<TopicSummary[]>> GetTopicsAsync(IGrainFactory grains)
    {
        var topics = await grains.GetGrain<ITopicDirectoryGrain>(ITopicDirectoryGrain.Key).GetTopicsAsync();
        var stats = await Task.WhenAll(topics.Select(topic => grains.GetGrain<IWordWindowGrain>(topic).GetStatsAsync()));
        var summaries = topics.Zip(stats, (topic, window) => new TopicSummary(topic, window.Count, window.Capacity, window.TotalAppended))
            .OrderByDescending(summary => summary.Count)
            .ThenBy(summary => summary.Topic, StringComparer.Ordinal)
            .ToArray();
        return TypedResults.Json(summaries, ApiJson.Options);
    }

    public static async Task<Results<JsonHttpResult<CloudResponse>, ProblemHttpResult>> GetCloudAsync(string topic, int? top, IGrainFactory grains)
    {
        if (Invalid(topic, top, out var name, out var count) is { } problem)
        {
            return problem;
        }

        var view = await grains.GetGrain<IWordWindowGrain>(name).GetCloudAsync(count, 0);
        return TypedResults.Json(CloudResponse.From(name, view.Stats, view.Words), ApiJson.Options);
    }

    public static async Task<Results<JsonHttpResult<PostJson[]>, ProblemHttpResult>> GetPostsAsync(string topic, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (Invalid(topic, null, out var name, out _) is { } problem)
        {
            return problem;
        }

        // Page by page, so a window of any size fits Orleans' messages; retried if posts arriving meanwhile evicted
        // some not yet read.
        var window = grains.GetGrain<IWordWindowGrain>(name);
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var stats = await window.GetStatsAsync();
            if (await window.ReadPostsAsync(stats, cancellationToken) is { } posts)
            {
                return TypedResults.Json(posts.Select(PostJson.From).ToArray(), ApiJson.Options);
            }
        }

        return TypedResults.Problem(
            detail: $"posts of {name} kept arriving faster than its window could be read; try again",
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Window moving too fast");
    }

    public static async Task<Results<JsonHttpResult<AppendResponse>, ProblemHttpResult>> AppendPostsAsync(string topic, HttpRequest request, IGrainFactory grains)
    {
        if (Invalid(topic, null, out var name, out _) is { } problem)
        {
            return problem;
        }

        List<PostJson?>? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<List<PostJson?>>(request.Body, ApiJson.Options, request.HttpContext.RequestAborted);
        }
        catch (JsonException malformed)
        {
            return BadRequest("Invalid posts", $"the body must be a JSON array of posts such as [{{\"text\":\"...\"}}]: {malformed.Message}");
        }

        if (body is null || body.Count is 0 or > WindowLimits.MaxBatch)
        {
            return BadRequest("Invalid posts", $"the body must be a JSON array of 1 to {WindowLimits.MaxBatch} posts; it held {body?.Count ?? 0}");
        }

        var result = await grains.GetGrain<IWordWindowGrain>(name).AppendAsync([.. body.Select(post => post?.ToPost()!)]);
        return TypedResults.Json(
            new AppendResponse(result.Accepted, result.Rejected.Count, result.Evicted, [.. result.Rejected.Select(rejection => new RejectionJson(rejection.Index, rejection.Reason))]),
            ApiJson.Options);
    }

    public static Results<ServerSentEventsResult<string>, ProblemHttpResult> GetEvents(
        string topic, int? top, IGrainFactory grains, ILoggerFactory loggers, IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        if (Invalid(topic, top, out var name, out var count) is { } problem)
        {
            return problem;
        }

        var logger = loggers.CreateLogger(typeof(WordCloudApi).FullName!);
        return TypedResults.ServerSentEvents(PushAsync(grains.GetGrain<IWordWindowGrain>(name), count, logger, lifetime.ApplicationStopping, cancellationToken));
    }

    /// <remarks>
    /// The stream ends when the page goes away or the silo starts to stop: an endless response would otherwise hold
    /// the silo's graceful shutdown until its timeout. The page's EventSource reconnects by itself.
    /// </remarks>
    private static async IAsyncEnumerable<SseItem<string>> PushAsync(
        IWordWindowGrain window, int top, ILogger logger, CancellationToken siloStopping, [EnumeratorCancellation] CancellationToken pageGone)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(siloStopping, pageGone);
        var cancellationToken = stop.Token;
        var rate = new RateMeter(TimeSpan.FromSeconds(5));
        long? lastTotal = null;
        var lastPush = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(PushPeriod);
        do
        {
            var view = await ReadAsync(window, top, logger);
            var now = DateTimeOffset.UtcNow;
            if (view is null)
            {
                continue;
            }

            var perSecond = rate.Add(now, view.Stats.TotalAppended);
            if (view.Stats.TotalAppended != lastTotal || now - lastPush >= KeepAlivePeriod)
            {
                lastTotal = view.Stats.TotalAppended;
                lastPush = now;
                var push = new CloudEvent(view.Topic, view.Stats.Capacity, view.Stats.Count, view.Stats.TotalAppended, view.Stats.DistinctWords,
                    Math.Round(perSecond, 1), [.. view.Words.Select(word => new WordEntry(word.Word, word.Count))], [.. view.NewestPosts.Select(PostJson.From)]);
                yield return new SseItem<string>(JsonSerializer.Serialize(push, ApiJson.Options), "cloud") { ReconnectionInterval = TimeSpan.FromSeconds(1) };
            }
        }
        while (await NextTickAsync(timer, cancellationToken));
    }

    /// <summary>Reads the window; while a silo is lost and the grain moves, logs a warning and tries again next tick.</summary>
    private static async Task<WordCloudView?> ReadAsync(IWordWindowGrain window, int top, ILogger logger)
    {
        try
        {
            return await window.GetCloudAsync(top, NewestPostsPushed);
        }
        catch (Exception failure) when (failure is OrleansException or TimeoutException)
        {
            LogPushReadFailed(logger, window.GetPrimaryKeyString(), failure.Message);
            return null;
        }
    }

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page went away: end the stream quietly.
            return false;
        }
    }

    private static ProblemHttpResult? Invalid(string topic, int? top, out string name, out int count)
    {
        count = top ?? DefaultTop;
        if (!TopicName.TryNormalize(topic, out var normalized, out var topicError))
        {
            name = string.Empty;
            return BadRequest("Invalid topic", topicError);
        }

        name = normalized;
        return WindowLimits.ValidateTop(count) is { } topError ? BadRequest("Invalid top", topError.Replace("top-words count", "top", StringComparison.Ordinal)) : null;
    }

    private static ProblemHttpResult BadRequest(string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: title);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing the cloud of {Topic}: reading the window failed, trying again next tick: {Reason}")]
    private static partial void LogPushReadFailed(ILogger logger, string topic, string reason);
}
