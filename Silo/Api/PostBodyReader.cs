using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using WordCloud.Abstractions;

namespace WordCloud.Silo.Api;

/// <summary>
/// Reads the body of <c>POST …/posts</c> as it arrives, one post at a time, and refuses it as soon as it breaks a
/// rule: the wrong content type, more bytes than <see cref="ApiOptions.MaxBodyBytes"/>, more posts than
/// <see cref="WindowLimits.MaxBatch"/>, or malformed JSON. A body is never held whole, and a refused body appends nothing.
/// </summary>
public static class PostBodyReader
{
    /// <summary>Null when the request says its body is JSON (<c>application/json</c>, UTF-8 if a charset is named), else the 415 to answer.</summary>
    /// <remarks>
    /// A cross-site form or a fetch without a preflight can only send form or text types, so requiring JSON keeps other
    /// sites' pages from posting with a visitor's browser.
    /// </remarks>
    public static ProblemHttpResult? CheckContentType(HttpRequest request)
    {
        var received = request.ContentType;
        if (MediaTypeHeaderValue.TryParse(received, out var type)
            && type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            && (StringSegment.IsNullOrEmpty(type.Charset) || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var named = string.IsNullOrEmpty(received) ? "no Content-Type" : $"Content-Type '{received}'";
        return TypedResults.Problem(
            detail: $"the request has {named}; posts must be sent as application/json (charset, if named, utf-8)",
            statusCode: StatusCodes.Status415UnsupportedMediaType,
            title: "Unsupported media type");
    }

    /// <summary>
    /// The posts of the body, or the problem to answer. A Content-Length over <paramref name="maxBytes"/> is refused
    /// before a byte is read; a body without one (chunked) as soon as it passes the limit.
    /// </summary>
    public static async Task<(List<PostJson?>? Posts, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        // Kestrel enforces the limit as the body is read, and will not drain more than it once the answer is sent.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = maxBytes;
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge($"the body is {request.ContentLength} bytes (Content-Length); the limit is {maxBytes} bytes (Api:MaxBodyBytes)"));
        }

        var posts = new List<PostJson?>();
        try
        {
            await foreach (var post in JsonSerializer.DeserializeAsyncEnumerable<PostJson>(request.Body, ApiJson.Options, cancellationToken))
            {
                if (posts.Count == WindowLimits.MaxBatch)
                {
                    return (null, BadRequest($"the body holds more than {WindowLimits.MaxBatch} posts (post {WindowLimits.MaxBatch + 1} was seen); one request takes 1 to {WindowLimits.MaxBatch} posts"));
                }

                posts.Add(post);
            }
        }
        catch (JsonException malformed)
        {
            return (null, BadRequest($"the body must be a JSON array of posts such as [{{\"text\":\"...\"}}]: {malformed.Message}"));
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge($"the body passed {maxBytes} bytes as it was read; the limit is {maxBytes} bytes (Api:MaxBodyBytes)"));
        }

        return posts.Count == 0
            ? (null, BadRequest($"the body must be a JSON array of 1 to {WindowLimits.MaxBatch} posts; it held 0"))
            : (posts, null);
    }

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid posts");

    private static ProblemHttpResult TooLarge(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large");
}
