using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.FileProviders;

namespace WordCloud.Silo.Web;

/// <summary>
/// The pages a person opens: <c>/</c> lists the topics, <c>/cloud/{topic}</c> shows one topic's live cloud. Their
/// scripts, styles and the npm-installed d3-cloud are served from the silo under /assets, so they work offline.
/// </summary>
public static class WordCloudPages
{
    /// <summary>No inline script or style, nothing from elsewhere: a post's text can never run as code.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Where the build puts the page files, beside the silo's binary.</summary>
    public static string WebRoot { get; } = Path.Combine(AppContext.BaseDirectory, "web");

    public static WebApplication UseWordCloudPages(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            // The Orleans Dashboard brings its own inline scripts; every other response gets the strict policy.
            if (!context.Request.Path.StartsWithSegments("/dashboard", StringComparison.OrdinalIgnoreCase))
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
            }

            await next(context);
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(WebRoot),
            RequestPath = "/assets",
        });
        app.MapGet("/", () => Page("index.html"));
        app.MapGet("/cloud/{topic}", (string topic) => Page("cloud.html"));
        return app;
    }

    private static PhysicalFileHttpResult Page(string name) =>
        TypedResults.PhysicalFile(Path.Combine(WebRoot, name), "text/html; charset=utf-8");
}
