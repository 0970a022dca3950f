using Microsoft.AspNetCore.HostFiltering;

namespace WordCloud.Silo.Security;

/// <summary>Wires the silo's HTTP protections: allowed hosts, security headers and the API key.</summary>
public static class SiloSecurity
{
    /// <summary>The ASP.NET Core setting host filtering reads: host names separated by ';'.</summary>
    public const string AllowedHostsKey = "AllowedHosts";

    /// <summary>The names this machine is reached by over loopback; any other Host header is a DNS rebinding attempt or a mistake.</summary>
    public static readonly IReadOnlyList<string> LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>
    /// Host filtering from <c>AllowedHosts</c> when it is set; otherwise the loopback names when HTTP binds to
    /// loopback, so a web page whose DNS name is rebound to 127.0.0.1 gets 400 rather than the silo's answers; and any
    /// host (ASP.NET's default) when HTTP binds elsewhere and nobody said which names the silo is reached by.
    /// </summary>
    public static WebApplicationBuilder AddSiloSecurity(this WebApplicationBuilder builder, SiloHostOptions silo)
    {
        var configured = builder.Configuration[AllowedHostsKey]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        string[] hosts = configured.Length > 0 ? configured : silo.HttpOnLoopback ? [.. LoopbackHosts] : [];
        if (hosts.Length > 0)
        {
            // Configure runs before ASP.NET's own PostConfigure, which then keeps a list that is not empty.
            builder.Services.Configure<HostFilteringOptions>(options => options.AllowedHosts = hosts);
        }

        return builder;
    }

    /// <summary>Headers first, so every answer carries them, the 401s included; then the key.</summary>
    public static WebApplication UseSiloSecurity(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseMiddleware<ApiKeyGate>();
        return app;
    }
}
