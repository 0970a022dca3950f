using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using WordCloud.Grains;
using WordCloud.ServiceDefaults;
using WordCloud.Silo.Api;
using WordCloud.Silo.Web;

namespace WordCloud.Silo;

public static class SiloHostingExtensions
{
    /// <summary>Short command-line forms of settings: <c>--instance 1</c> is <c>--Silo:Instance 1</c>.</summary>
    private static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.Ordinal)
    {
        ["--instance"] = "Silo:Instance",
    };

    /// <summary>
    /// Makes this process a silo of the localhost cluster: Orleans with in-memory membership and grain storage,
    /// WordWindow grains, the Orleans Dashboard, OpenTelemetry, and Kestrel on the configured loopback port.
    /// </summary>
    /// <exception cref="OptionsValidationException">A "Silo" setting is invalid; the message names it.</exception>
    public static WebApplicationBuilder AddWordCloudSilo(this WebApplicationBuilder builder, string[] args)
    {
        builder.Configuration.AddCommandLine(args, SwitchMappings);

        // Ports are needed while the host is built, before ValidateOnStart would run, so they are checked here too.
        var options = builder.Configuration.GetSection(SiloHostOptions.SectionName).Get<SiloHostOptions>() ?? new SiloHostOptions();
        var validation = new SiloHostOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(SiloHostOptions.SectionName, typeof(SiloHostOptions), validation.Failures);
        }

        builder.Services.AddOptions<SiloHostOptions>().BindConfiguration(SiloHostOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SiloHostOptions>, SiloHostOptionsValidator>();
        builder.Services.AddHostedService<SiloLifecycleLog>();
        builder.Services.AddProblemDetails();

        builder.AddWordCloudTelemetry("wordcloud-silo", $"silo-{options.Instance}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(options.HttpAddress), options.EffectiveHttpPort));
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(
                options.EffectiveSiloPort,
                options.EffectiveGatewayPort,
                new IPEndPoint(IPAddress.Loopback, options.PrimarySiloPort),
                options.ServiceId,
                options.ClusterId)
            .AddMemoryGrainStorage(WordWindowGrain.StorageName)
            .AddWordWindows()
            .AddActivityPropagation()
            .AddDashboard());
        return builder;
    }

    /// <summary>
    /// Maps the silo's HTTP endpoints: the word cloud pages (<c>/</c>, <c>/cloud/{topic}</c>), the JSON API under
    /// <c>/api/topics</c> and the Orleans Dashboard at <c>/dashboard</c>.
    /// </summary>
    public static WebApplication MapWordCloudSilo(this WebApplication app)
    {
        app.UseWordCloudPages();
        app.MapWordCloudApi();
        app.MapOrleansDashboard(routePrefix: "/dashboard");
        return app;
    }
}
