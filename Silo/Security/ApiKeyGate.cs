using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace WordCloud.Silo.Security;

/// <summary>
/// With <c>Silo:ApiKey</c> set, asks for the key where the silo can be changed or looked into, and nowhere else:
/// every request that is not a GET or HEAD (posting to a topic) needs <c>Authorization: Bearer &lt;key&gt;</c>, the
/// dashboard needs HTTP Basic with the key as the password, so a browser prompts for it, and <c>/metrics</c> takes
/// either (Prometheus scrape configurations have both). The pages, the clouds, the posts, the event streams and the
/// health probes stay open to read, though a probe tells why a check failed only to a request with the key. Without a
/// key every request passes.
/// </summary>
/// <remarks>
/// It goes by method and path rather than by endpoint, so a write route added later is covered without being marked,
/// and the dashboard's routes, which the package maps, need no change.
/// </remarks>
public sealed partial class ApiKeyGate
{
    public const string DashboardRealm = "OrleansCloud dashboard";

    /// <summary>Set on a request to a health probe that offered the key: it may read why a check failed.</summary>
    public const string KeyOfferedItem = "WordCloud.ApiKeyOffered";

    /// <summary>Where the health probes answer (mapped by the silo's health checks).</summary>
    public const string HealthPath = "/health";

    /// <summary>Where the silo's Prometheus metrics are scraped (mapped by the silo's telemetry).</summary>
    public const string MetricsPath = "/metrics";

    private readonly RequestDelegate _next;
    private readonly ILogger<ApiKeyGate> _logger;

    /// <summary>The key's SHA-256, null without a key: hashes have one length, so comparing them takes the same time whatever is offered.</summary>
    private readonly byte[]? _keyHash;

    public ApiKeyGate(RequestDelegate next, IOptions<SiloHostOptions> silo, ILogger<ApiKeyGate> logger)
    {
        _next = next;
        _logger = logger;
        _keyHash = silo.Value.HasApiKey ? SHA256.HashData(Encoding.UTF8.GetBytes(silo.Value.ApiKey!)) : null;
        if (_keyHash is null)
        {
            LogOpen(logger);
        }
        else
        {
            LogGuarded(logger);
        }
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (_keyHash is null)
        {
            return _next(context);
        }

        var request = context.Request;
        if (request.Path.StartsWithSegments(SecurityHeaders.DashboardPath, StringComparison.OrdinalIgnoreCase))
        {
            return Offered(request, "Basic") is { } basic && Matches(PasswordOf(basic))
                ? _next(context)
                : RefuseAsync(context, $"Basic realm=\"{DashboardRealm}\"", "the dashboard needs HTTP Basic authentication with the silo's API key as the password (any user name)");
        }

        if (request.Path.StartsWithSegments(HealthPath, StringComparison.OrdinalIgnoreCase))
        {
            // Open to load balancers; what each check saw (addresses, errors) only to whoever has the key.
            if (OffersKey(request))
            {
                context.Items[KeyOfferedItem] = true;
            }

            return _next(context);
        }

        if (request.Path.StartsWithSegments(MetricsPath, StringComparison.OrdinalIgnoreCase))
        {
            return OffersKey(request)
                ? _next(context)
                : RefuseAsync(context, "Bearer", "the metrics need the header 'Authorization: Bearer <key>', or HTTP Basic with the key as the password, with the silo's API key (Silo:ApiKey)");
        }

        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            return _next(context);
        }

        return Matches(Offered(request, "Bearer"))
            ? _next(context)
            : RefuseAsync(context, "Bearer", "writing needs the header 'Authorization: Bearer <key>' with the silo's API key (Silo:ApiKey)");
    }

    /// <summary>True when the request carries the key as a bearer token or as the password of HTTP Basic.</summary>
    private bool OffersKey(HttpRequest request) =>
        Matches(Offered(request, "Bearer")) || (Offered(request, "Basic") is { } basic && Matches(PasswordOf(basic)));

    /// <summary>The credentials of a single Authorization header of <paramref name="scheme"/>; null for none, several or another scheme.</summary>
    private static string? Offered(HttpRequest request, string scheme) =>
        request.Headers.Authorization is { Count: 1 } values
            && AuthenticationHeaderValue.TryParse(values[0], out var header)
            && string.Equals(header.Scheme, scheme, StringComparison.OrdinalIgnoreCase)
            ? header.Parameter
            : null;

    /// <summary>The password of Basic credentials (base64 of "user:password"); null when they are not that.</summary>
    private static string? PasswordOf(string credentials)
    {
        var buffer = new byte[credentials.Length];
        if (!Convert.TryFromBase64String(credentials, buffer, out var length))
        {
            return null;
        }

        var pair = Encoding.UTF8.GetString(buffer, 0, length);
        var colon = pair.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : pair[(colon + 1)..];
    }

    private bool Matches(string? offered) =>
        offered is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(offered)), _keyHash!);

    private Task RefuseAsync(HttpContext context, string challenge, string detail)
    {
        // Only the path and the peer: what was offered stays out of the log, since it may be a mistyped key.
        LogRefused(_logger, context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        context.Response.Headers.WWWAuthenticate = challenge;
        return TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status401Unauthorized, title: "API key required").ExecuteAsync(context);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP: Silo:ApiKey is set: posting needs it as a bearer token, the dashboard as its Basic password, /metrics as either; reading and /health stay open")]
    private static partial void LogGuarded(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP: no Silo:ApiKey: anyone who can reach the HTTP port can post and open the dashboard (the silo listens on loopback only)")]
    private static partial void LogOpen(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP: refused {Method} {Path} from {Peer}: no valid API key")]
    private static partial void LogRefused(ILogger logger, string method, string path, string peer);
}
