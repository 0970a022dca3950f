using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WordCloud.Abstractions;
using WordCloud.Silo.Clouds;

namespace WordCloud.Silo.Api;

/// <summary>
/// The JSON API under /api/topics: list topics, read a topic's cloud, rising words and posts, append posts, and a server-sent
/// event stream that pushes the cloud whenever the window changes. Clouds come from <see cref="WatchedClouds"/>, not
/// from the window. Bad input answers 400 with ProblemDetails.
/// </summary>
public static partial class WordCloudApi
{
    public const int DefaultTop = 100;
    public const int DefaultRising = 10;
    public const int DefaultTopicsTaken = 100;
    public const int NewestPostsPushed = 10;

    /// <summary>An unchanged window is still pushed this often, so the page can tell a quiet topic from a dead link.</summary>
    public static readonly TimeSpan KeepAlivePeriod = TimeSpan.FromSeconds(15);

    /// <summary>How long the event stream waits before it asks again for a topic whose window could not be reached.</summary>
    public static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(1);

    public static IEndpointRouteBuilder MapWordCloudApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("api/topics");
        api.MapGet("", GetTopicsAsync);
        api.MapGet("{topic}/cloud", GetCloudAsync);
        api.MapGet("{topic}/rising", GetRisingAsync);
        api.MapGet("{topic}/posts", GetPostsAsync);
        api.MapPost("{topic}/posts", AppendPostsAsync).RequireRateLimiting(ApiLimitsExtensions.IngestionPolicy);
        api.MapGet("{topic}/events", GetEvents).RequireRateLimiting(ApiLimitsExtensions.EventStreamsPolicy);
        return endpoints;
    }

    /// <summary>A page of the topic list, from the topic directory: no window is woken to list it.</summary>
    public static async Task<Results<JsonHttpResult<TopicSummary[]>, ProblemHttpResult>> GetTopicsAsync(int? skip, int? take, IGrainFactory grains, HttpResponse response)
    {
        if (skip is < 0)
        {
            return BadRequest("Invalid skip", $"invalid skip {skip}: it must be 0 or more");
        }

        if (take is < 1 or > TopicPage.MaxTake)
        {
            return BadRequest("Invalid take", $"invalid take {take}: it must be between 1 and {TopicPage.MaxTake}");
        }

        var page = await grains.GetGrain<ITopicDirectoryGrain>(ITopicDirectoryGrain.Key).GetPageAsync(skip ?? 0, take ?? DefaultTopicsTaken);
        response.Headers["X-Total-Count"] = page.Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Json(page.Topics.Select(TopicSummary.From).ToArray(), ApiJson.Options);
    }

    public static async Task<Results<JsonHttpResult<CloudResponse>, ProblemHttpResult>> GetCloudAsync(
        string topic, int? top, int? rising, WatchedClouds clouds, CancellationToken cancellationToken)
    {
        if (Invalid(topic, top, out var name, out var count) is { } problem)
        {
            return problem;
        }

        if (InvalidRising(rising, out var risingCount) is { } risingProblem)
        {
            return risingProblem;
        }

        if (!await clouds.HasPostsAsync(name))
        {
            return NoPostsYet(name);
        }

        var cloud = await clouds.GetAsync(name, cancellationToken);
        return TypedResults.Json(CloudResponse.From(cloud, count, risingCount), ApiJson.Options);
    }

    /// <summary>The topic's <paramref name="top"/> rising words (1 to <see cref="WindowLimits.MaxRising"/>), from the same cloud as <c>/cloud</c>.</summary>
    public static async Task<Results<JsonHttpResult<RisingResponse>, ProblemHttpResult>> GetRisingAsync(string topic, int? top, WatchedClouds clouds, CancellationToken cancellationToken)
    {
        if (Invalid(topic, null, out var name, out _) is { } problem)
        {
            return problem;
        }

        var count = top ?? DefaultRising;
        if (WindowLimits.ValidateRising(count, "top") is { } topError)
        {
            return BadRequest("Invalid top", topError);
        }

        if (!await clouds.HasPostsAsync(name))
        {
            return NoPostsYet(name);
        }

        var cloud = await clouds.GetAsync(name, cancellationToken);
        return TypedResults.Json(RisingResponse.From(cloud, count), ApiJson.Options);
    }

    public static async Task<Results<JsonHttpResult<PostJson[]>, ProblemHttpResult>> GetPostsAsync(string topic, IGrainFactory grains, WatchedClouds clouds, CancellationToken cancellationToken)
    {
        if (Invalid(topic, null, out var name, out _) is { } problem)
        {
            return problem;
        }

        if (!await clouds.HasPostsAsync(name))
        {
            return NoPostsYet(name);
        }

        if (await grains.GetGrain<IWordWindowGrain>(name).ReadWholeWindowAsync(top: 0, cancellationToken) is { } window)
        {
            return TypedResults.Json(window.Posts.Select(PostJson.From).ToArray(), ApiJson.Options);
        }

        return TypedResults.Problem(
            detail: $"posts of {name} kept arriving faster than its window could be read; try again",
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Window moving too fast");
    }

    /// <summary>
    /// Appends the body's posts (see <see cref="PostBodyReader"/> for what is refused). With an <c>Idempotency-Key</c>,
    /// a retry of a POST the topic's window has applied counts nothing and answers 200 with <c>already_applied</c>.
    /// </summary>
    public static async Task<Results<JsonHttpResult<AppendResponse>, ProblemHttpResult>> AppendPostsAsync(
        string topic, HttpRequest request, IGrainFactory grains, WatchedClouds clouds, IdempotencyKeys keys, IOptions<ApiOptions> options)
    {
        if (Invalid(topic, null, out var name, out _) is { } problem)
        {
            return problem;
        }

        if (PostBodyReader.CheckContentType(request) is { } unsupported)
        {
            return unsupported;
        }

        var key = request.Headers[IdempotencyKeys.HeaderName] switch
        {
            { Count: 0 } => null,
            { Count: 1 } one => one.ToString(),
            var several => string.Join(", ", several.ToArray()),
        };
        if (key is not null && IdempotencyKeys.Validate(key) is { } keyError)
        {
            return BadRequest("Invalid idempotency key", keyError);
        }

        if (key is not null && keys.Find(name, key) is { } first)
        {
            return TypedResults.Json(first with { AlreadyApplied = true }, ApiJson.Options);
        }

        var (body, refused) = await PostBodyReader.ReadAsync(request, options.Value.MaxBodyBytes, request.HttpContext.RequestAborted);
        if (refused is not null)
        {
            return refused;
        }

        // Not disposed here: the window that takes the batch gives its buffers back.
        var batch = key is null
            ? PostBatch.Encode([.. body!.Select(post => post?.ToPost())])
            : PostBatch.Encode([.. body!.Select(post => post?.ToPost())], IdempotencyKeys.ProducerId(key), sequence: 1);
        AppendResult result;
        try
        {
            result = await grains.GetGrain<IWordWindowGrain>(name).AppendAsync(batch);
        }
        catch (ArgumentException topicRefused)
        {
            // The window refuses a new topic beyond the cluster's limit; the message says so.
            return TypedResults.Problem(detail: topicRefused.Message, statusCode: StatusCodes.Status409Conflict, title: "Topic refused");
        }

        clouds.Appended(name, result.TotalAppended);
        if (result.AlreadyApplied)
        {
            // Applied through another silo, or so long ago that this one forgot the answer: the counts are not known here.
            return TypedResults.Json(new AppendResponse(0, 0, 0, [], 0, AlreadyApplied: true), ApiJson.Options);
        }

        var answer = new AppendResponse(
            result.Accepted, result.Rejected.Count, result.Evicted, [.. result.Rejected.Select(rejection => new RejectionJson(rejection.Index, rejection.Reason))], result.Duplicates);
        if (key is not null)
        {
            keys.Remember(name, key, answer);
        }

        return TypedResults.Json(answer, ApiJson.Options);
    }

    public static async Task<Results<ServerSentEventsResult<string>, ProblemHttpResult>> GetEvents(
        string topic, int? top, int? rising, WatchedClouds clouds, ILoggerFactory loggers, IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        if (Invalid(topic, top, out var name, out var count) is { } problem)
        {
            return problem;
        }

        if (InvalidRising(rising, out var risingCount) is { } risingProblem)
        {
            return risingProblem;
        }

        if (!await clouds.HasPostsAsync(name))
        {
            return NoPostsYet(name);
        }

        var logger = loggers.CreateLogger(typeof(WordCloudApi).FullName!);
        return TypedResults.ServerSentEvents(PushAsync(clouds, name, count, risingCount, logger, lifetime.ApplicationStopping, cancellationToken));
    }

    /// <summary>
    /// Pushes the topic's cloud at once, then whenever it changes, and every <see cref="KeepAlivePeriod"/> regardless.
    /// </summary>
    /// <remarks>
    /// The stream ends when the page goes away or the silo starts to stop: an endless response would otherwise hold
    /// the silo's graceful shutdown until its timeout. The page's EventSource reconnects by itself.
    /// </remarks>
    private static async IAsyncEnumerable<SseItem<string>> PushAsync(
        WatchedClouds clouds, string topic, int top, int rising, ILogger logger, CancellationToken siloStopping, [EnumeratorCancellation] CancellationToken pageGone)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(siloStopping, pageGone);
        var cancellationToken = stop.Token;
        while (!cancellationToken.IsCancellationRequested)
        {
            var cloud = await ReadAsync(clouds, topic, logger, cancellationToken);
            if (cloud is null)
            {
                // Not reachable now (its silo lost, or the silo stopping): ask again in a moment.
                if (!await PauseAsync(RetryPeriod, cancellationToken))
                {
                    yield break;
                }

                continue;
            }

            yield return new SseItem<string>(JsonSerializer.Serialize(CloudEvent.From(cloud, top, rising, NewestPostsPushed), ApiJson.Options), "cloud")
            {
                ReconnectionInterval = TimeSpan.FromSeconds(1),
            };
            if (!await PauseAsync(KeepAlivePeriod, cancellationToken, clouds.WhenChanged(topic, cloud)))
            {
                yield break;
            }
        }
    }

    /// <summary>The topic's cloud; while its window cannot be reached (a silo lost, the grain moving), logs a warning and returns null.</summary>
    private static async Task<WordCloudView?> ReadAsync(WatchedClouds clouds, string topic, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            return await clouds.GetAsync(topic, cancellationToken);
        }
        catch (Exception failure) when (failure is OrleansException or TimeoutException)
        {
            LogPushReadFailed(logger, topic, failure.Message);
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Waits for <paramref name="period"/> or until <paramref name="change"/> completes; false when the stream is to end.</summary>
    private static async Task<bool> PauseAsync(TimeSpan period, CancellationToken cancellationToken, Task? change = null)
    {
        try
        {
            // WaitAsync drops its timer as soon as the change comes; a Task.Delay beside it would live out its period.
            await (change is null ? Task.Delay(period, cancellationToken) : change.WaitAsync(period, cancellationToken));
            return true;
        }
        catch (TimeoutException)
        {
            return !cancellationToken.IsCancellationRequested;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page went away or the silo is stopping: end the stream quietly.
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
        return WindowLimits.ValidateTop(count, "top") is { } topError ? BadRequest("Invalid top", topError) : null;
    }

    /// <summary>The <c>rising</c> parameter of a cloud or its events: how many rising words go with it, 0 for none.</summary>
    private static ProblemHttpResult? InvalidRising(int? rising, out int count)
    {
        count = rising ?? DefaultRising;
        return count == 0 || WindowLimits.ValidateRising(count, "rising") is null
            ? null
            : BadRequest("Invalid rising", $"invalid rising {count}: it must be between 0 (none) and {WindowLimits.MaxRising}");
    }

    private static ProblemHttpResult BadRequest(string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: title);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing the cloud of {Topic}: its window cannot be read now, trying again in a moment: {Reason}")]
    private static partial void LogPushReadFailed(ILogger logger, string topic, string reason);

    /// <summary>A read of a topic that never had posts: answered without making it a window.</summary>
    private static ProblemHttpResult NoPostsYet(string topic) =>
        TypedResults.Problem(detail: $"no posts about #{topic} yet", statusCode: StatusCodes.Status404NotFound, title: "No posts yet");
}
