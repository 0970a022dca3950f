using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace WordCloud.Silo.Api;

/// <summary>
/// The API's limits per client address, with ASP.NET Core's rate limiter: a token bucket on <c>POST …/posts</c> and a
/// cap on open event streams. Both answer 429 with <c>Retry-After</c> and ProblemDetails naming the limit and its setting.
/// </summary>
/// <remarks>
/// The address is the connection's: a silo behind a reverse proxy sees the proxy's, and the proxy is where to limit then.
/// </remarks>
public static partial class ApiLimitsExtensions
{
    public const string IngestionPolicy = "ingestion";
    public const string EventStreamsPolicy = "event-streams";

    /// <summary>The wait a refusal suggests when its limiter cannot say, as for an open-streams cap.</summary>
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>The "Api" settings, checked as the silo starts, the rate limiter's policies built from them, and the idempotency keys.</summary>
    public static WebApplicationBuilder AddWordCloudApiLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();
        builder.Services.AddSingleton<IdempotencyKeys>();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<ApiOptions>>((limiter, api) =>
        {
            var settings = api.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (rejected, _) => RefuseAsync(rejected, settings);
            limiter.AddPolicy(IngestionPolicy, context => RateLimitPartition.GetTokenBucketLimiter(ClientAddress(context), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = settings.RateLimit.Burst,
                TokensPerPeriod = settings.RateLimit.PermitsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                // Refused at once rather than queued: a queued request still holds its connection and its body.
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
            limiter.AddPolicy(EventStreamsPolicy, context => RateLimitPartition.GetConcurrencyLimiter(ClientAddress(context), _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = settings.MaxEventStreamsPerAddress,
                QueueLimit = 0,
            }));
        });
        return builder;
    }

    /// <summary>The client's address, IPv4 written as IPv4 however the socket saw it, so one client is one partition.</summary>
    private static IPAddress ClientAddress(HttpContext context) =>
        context.Connection.RemoteIpAddress is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : context.Connection.RemoteIpAddress ?? IPAddress.None;

    private static async ValueTask RefuseAsync(OnRejectedContext rejected, ApiOptions settings)
    {
        var context = rejected.HttpContext;
        var address = ClientAddress(context);
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? wait : DefaultRetryAfter;
        var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var policy = context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
        var detail = policy == EventStreamsPolicy
            ? $"{address} has {settings.MaxEventStreamsPerAddress} event streams open; the limit is {settings.MaxEventStreamsPerAddress} per address (Api:MaxEventStreamsPerAddress); close one or try again later"
            : $"{address} posted faster than {settings.RateLimit.PermitsPerSecond} requests per second with bursts of {settings.RateLimit.Burst} " +
              $"(Api:RateLimit:PermitsPerSecond, Api:RateLimit:Burst); try again in {seconds} s";
        LogRefused(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiLimitsExtensions).FullName!), address, context.Request.Path, detail);
        await TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests").ExecuteAsync(context);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused {Address} {Path} with 429: {Detail}")]
    private static partial void LogRefused(ILogger logger, IPAddress address, PathString path, string detail);
}
