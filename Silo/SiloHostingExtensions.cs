using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Storage;
using StackExchange.Redis;
using WordCloud.Grains;
using WordCloud.Grains.Storage;
using WordCloud.ServiceDefaults;
using WordCloud.Silo.Api;
using WordCloud.Silo.Clouds;
using WordCloud.Silo.Health;
using WordCloud.Silo.Security;
using WordCloud.Silo.Telemetry;
using WordCloud.Silo.Web;

namespace WordCloud.Silo;

public static class SiloHostingExtensions
{
    /// <summary>Short command-line forms of settings: <c>--instance 1</c> is <c>--Silo:Instance 1</c>.</summary>
    private static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.Ordinal)
    {
        ["--instance"] = "Silo:Instance",
        ["--cluster"] = "Cluster:Provider",
        ["--redis"] = "Cluster:Redis",
    };

    /// <summary>
    /// Makes this process a silo: Orleans with localhost or Redis clustering and grain storage, WordWindow grains,
    /// the Orleans Dashboard, the clouds it serves, OpenTelemetry, and Kestrel on the configured port.
    /// </summary>
    /// <exception cref="OptionsValidationException">A setting is invalid; the message names it.</exception>
    /// <exception cref="SiloStartupException">A port is taken, or the primary silo is not there.</exception>
    public static WebApplicationBuilder AddWordCloudSilo(this WebApplicationBuilder builder, string[] args)
    {
        // Later sources win: appsettings.json, environment, ORLEANSCLOUD_ environment, then the command line.
        builder.Configuration.AddWordCloudEnvironment();
        builder.Configuration.AddCommandLine(args, SwitchMappings);

        var (cluster, silo) = ResolveListeners(builder.Configuration);
        var tls = Validated(builder.Configuration, TlsSettings.SectionName, new TlsSettingsValidator(certificateRequired: true), new TlsSettings());
        builder.AddValidatedSettings(silo);
        builder.AddSiloSecurity(silo);
        builder.Services.AddHostedService<SiloLifecycleLog>();
        builder.Services.AddProblemDetails();
        builder.AddWordCloudApiLimits();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<WatchedClouds>();
        builder.Services.AddHostedService(services => services.GetRequiredService<WatchedClouds>());
        builder.AddSiloTelemetry(silo);
        builder.AddSiloHealth(cluster);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(silo.HttpAddress), silo.EffectiveHttpPort));
        builder.UseOrleans(orleans => orleans.AddWordCloudCluster(cluster, silo, tls, builder.Configuration));
        return builder;
    }

    /// <summary>
    /// The cluster to join and where to listen, checked now: they are needed while the host is built, before
    /// ValidateOnStart would run. In a Redis cluster, ports nobody set are chosen free (and logged), so any number of
    /// silos share a machine. A port that is taken, or a localhost cluster's primary silo that is not there, stops the
    /// silo with a line that says so.
    /// </summary>
    private static (ClusterSettings Cluster, SiloHostOptions Silo) ResolveListeners(IConfiguration configuration)
    {
        var cluster = Validated(configuration, ClusterSettings.SectionName, new ClusterSettingsValidator(), new ClusterSettings());
        var silo = configuration.GetSection(SiloHostOptions.SectionName).Get<SiloHostOptions>() ?? new SiloHostOptions();
        if (cluster.Provider == ClusterProvider.Redis)
        {
            silo.SiloPort ??= FreePort(silo.AdvertisedAddress);
            silo.GatewayPort ??= FreePort(silo.AdvertisedAddress);
            silo.HttpPort ??= FreePort(silo.HttpAddress);
        }

        var validation = new SiloHostOptionsValidator().Validate(null, silo);
        if (validation.Failed)
        {
            throw new OptionsValidationException(SiloHostOptions.SectionName, typeof(SiloHostOptions), validation.Failures);
        }

        EnsurePortsFree(silo);
        if (cluster.Provider == ClusterProvider.Localhost)
        {
            EnsurePrimaryReachable(silo);
        }

        return (cluster, silo);
    }

    /// <summary>The settings the silo's services read, each bound to its section and checked as the silo starts.</summary>
    private static void AddValidatedSettings(this WebApplicationBuilder builder, SiloHostOptions silo)
    {
        builder.Services.AddOptions<ClusterSettings>().BindConfiguration(ClusterSettings.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ClusterSettings>, ClusterSettingsValidator>();
        // Checked before the host is built (the certificate is needed then); bound again for the start-up log.
        builder.Services.AddOptions<TlsSettings>().BindConfiguration(TlsSettings.SectionName);
        // The ports chosen free at start replace the unset ones.
        builder.Services.AddOptions<SiloHostOptions>().BindConfiguration(SiloHostOptions.SectionName).ValidateOnStart()
            .PostConfigure(options => (options.SiloPort, options.GatewayPort, options.HttpPort) = (silo.SiloPort, silo.GatewayPort, silo.HttpPort));
        builder.Services.AddSingleton<IValidateOptions<SiloHostOptions>, SiloHostOptionsValidator>();
        builder.Services.AddOptions<GrainDirectoryOptions>().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<GrainDirectoryOptions>, GrainDirectoryCacheValidator>();
    }

    /// <summary>Orleans: TLS when a certificate is set, clustering and window storage (localhost and memory, or Redis), WordWindow grains, tracing, the dashboard.</summary>
    private static ISiloBuilder AddWordCloudCluster(this ISiloBuilder orleans, ClusterSettings cluster, SiloHostOptions silo, TlsSettings tls, IConfiguration configuration)
    {
        if (tls.LoadCertificate() is { } certificate)
        {
            orleans.UseWordCloudTls(tls, certificate);
        }

        if (cluster.Provider == ClusterProvider.Redis)
        {
            orleans.UseRedisCluster(cluster, silo, configuration);
        }
        else
        {
            orleans.UseLocalhostClustering(
                    silo.EffectiveSiloPort,
                    silo.EffectiveGatewayPort,
                    new IPEndPoint(IPAddress.Loopback, silo.PrimarySiloPort),
                    cluster.ServiceId,
                    cluster.ClusterId)
                .AddInMemoryGrainStorage(WordWindowGrain.StorageName);
        }

        // Orleans sizes its grain directory cache for a million grains at start; a silo here holds two grains per topic.
        orleans.Configure<GrainDirectoryOptions>(configuration.GetSection($"{ClusterSettings.SectionName}:GrainDirectory"));
        return orleans.AddWordWindows()
            .AddActivityPropagation()
            // The dashboard's trace streams the silo's log, post topics and errors included, to whoever opens it.
            .AddDashboard(options => options.HideTrace = !silo.DashboardTrace);
    }

    /// <summary>
    /// Maps the silo's HTTP endpoints: the word cloud pages (<c>/</c>, <c>/cloud/{topic}</c>), the JSON API under
    /// <c>/api/topics</c>, the Orleans Dashboard at <c>/dashboard</c>, <c>/health/live</c>, <c>/health/ready</c> and
    /// <c>/metrics</c>, behind the security headers and the API key.
    /// </summary>
    public static WebApplication MapWordCloudSilo(this WebApplication app)
    {
        app.UseSiloSecurity();
        app.UseWordCloudPages();
        app.UseRateLimiter();
        app.MapWordCloudApi();
        app.MapSiloHealth();
        app.MapSiloTelemetry();
        app.MapOrleansDashboard(routePrefix: "/dashboard");
        return app;
    }

    /// <summary>
    /// Membership and grain state in Redis. Failure detection is tuned faster than Orleans' defaults (a dead silo is
    /// declared after about two missed 2 s probes rather than three 5 s ones), so a killed silo's grains come back on
    /// the others within seconds; "Cluster:Membership" settings (ClusterMembershipOptions) override it.
    /// </summary>
    private static ISiloBuilder UseRedisCluster(this ISiloBuilder orleans, ClusterSettings cluster, SiloHostOptions silo, IConfiguration configuration)
    {
        var redis = ConfigurationOptions.Parse(cluster.Redis);
        orleans.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
        orleans.Configure<EndpointOptions>(options =>
        {
            options.AdvertisedIPAddress = IPAddress.Parse(silo.AdvertisedAddress);
            options.SiloPort = silo.EffectiveSiloPort;
            options.GatewayPort = silo.EffectiveGatewayPort;
        });
        orleans.Configure<ClusterMembershipOptions>(options =>
        {
            options.ProbeTimeout = TimeSpan.FromSeconds(2);
            options.NumMissedProbesLimit = 2;
            options.TableRefreshTimeout = TimeSpan.FromSeconds(5);
            options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
            options.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(30);
        });
        orleans.Configure<ClusterMembershipOptions>(configuration.GetSection($"{ClusterSettings.SectionName}:Membership"));
        orleans.UseRedisClustering(options => options.ConfigurationOptions = redis.Clone());
        orleans.AddRedisGrainStorage(WordWindowGrain.StorageName, storage => storage.Configure<IServiceProvider>((options, services) =>
        {
            options.ConfigurationOptions = redis.Clone();
            // Segments that left a window are deleted, not kept as empty records.
            options.DeleteStateOnClear = true;
            UseOrleansSerializer(options, services);
        }));
        return orleans;
    }

    /// <summary>
    /// Windows are saved in Orleans' own binary format rather than the default JSON: a window of posts is written on
    /// every batch, and the binary form is several times faster to write and smaller; it is version tolerant too.
    /// </summary>
    private static void UseOrleansSerializer(IStorageProviderSerializerOptions options, IServiceProvider services) =>
        options.GrainStorageSerializer = ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(services);

    private static T Validated<T>(IConfiguration configuration, string section, IValidateOptions<T> validator, T fallback)
        where T : class
    {
        var options = configuration.GetSection(section).Get<T>() ?? fallback;
        var result = validator.Validate(null, options);
        return result.Failed ? throw new OptionsValidationException(section, typeof(T), result.Failures) : options;
    }

    private static int FreePort(string address)
    {
        using var probe = new TcpListener(IPAddress.Parse(address), 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Orleans shares its listening ports with another process rather than failing, so a clash is caught here.</summary>
    private static void EnsurePortsFree(SiloHostOptions silo)
    {
        foreach (var (key, address, port) in new[]
        {
            ("Silo:SiloPort", silo.AdvertisedAddress, silo.EffectiveSiloPort),
            ("Silo:GatewayPort", silo.AdvertisedAddress, silo.EffectiveGatewayPort),
            ("Silo:HttpPort", silo.HttpAddress, silo.EffectiveHttpPort),
        })
        {
            try
            {
                using var probe = new TcpListener(IPAddress.Parse(address), port);
                probe.Start();
            }
            catch (SocketException taken)
            {
                throw new SiloStartupException($"{key} {address}:{port} is not free ({taken.Message}); is another silo running there? Pick another port or instance");
            }
        }
    }

    /// <summary>A silo of the localhost cluster that is not the primary joins through it: it must be up first.</summary>
    private static void EnsurePrimaryReachable(SiloHostOptions silo)
    {
        if (silo.EffectiveSiloPort == silo.PrimarySiloPort)
        {
            return;
        }

        using var probe = new TcpClient();
        try
        {
            if (!probe.ConnectAsync(IPAddress.Loopback, silo.PrimarySiloPort).Wait(TimeSpan.FromSeconds(3)))
            {
                throw new SiloStartupException($"the primary silo 127.0.0.1:{silo.PrimarySiloPort} did not answer within 3 s; start instance 0 first");
            }
        }
        catch (AggregateException refused) when (refused.InnerException is SocketException socket)
        {
            throw new SiloStartupException($"the primary silo 127.0.0.1:{silo.PrimarySiloPort} is not reachable ({socket.Message}); start instance 0 (`dotnet run --project Silo`) first");
        }
    }
}
