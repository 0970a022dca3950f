namespace WordCloud.Silo.Security;

/// <summary>
/// The headers every response of the silo carries: a Content-Security-Policy, no MIME sniffing, no framing, no referrer.
/// They are set before anything else runs, so 401s, 404s and the API's ProblemDetails carry them too.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// The page, its assets and the API: scripts, styles, fetches and event streams from this origin only, no inline
    /// script or style, no eval: a post's text can never run as code.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The Orleans Dashboard under /dashboard. Its scripts are files it serves itself, but its charts and diagrams
    /// (React, Mermaid) write style attributes and style elements, so it needs inline styles; it gets nothing else
    /// beyond the page's policy: no inline script, no eval, nothing from another origin, no framing.
    /// </summary>
    public const string DashboardContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public const string DashboardPath = "/dashboard";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments(DashboardPath, StringComparison.OrdinalIgnoreCase)
                ? DashboardContentSecurityPolicy
                : ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            // Older browsers ignore frame-ancestors; this says the same to them.
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            await next(context);
        });
}
