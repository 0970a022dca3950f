using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.FileProviders;

namespace WordCloud.Silo.Web;

/// <summary>
/// The pages a person opens: <c>/</c> lists the topics, <c>/cloud/{topic}</c> shows one topic's live cloud. Their
/// scripts, styles and the npm-installed d3-cloud are served from the silo under /assets, so they work offline, and
/// nothing is inline: the strict Content-Security-Policy of <see cref="Security.SecurityHeaders"/> holds for them.
/// </summary>
public static class WordCloudPages
{
    /// <summary>Where the build puts the page files, beside the silo's binary.</summary>
    public static string WebRoot { get; } = Path.Combine(AppContext.BaseDirectory, "web");

    public static WebApplication UseWordCloudPages(this WebApplication app)
    {
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
