using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Connections.Security;
using StackExchange.Redis;
using WordCloud.Client.Commands;
using WordCloud.ServiceDefaults;

namespace WordCloud.Client.Cluster;

/// <summary>The Orleans client host behind every command: static gateways, activity propagation, telemetry.</summary>
public static partial class ClientHost
{
    /// <summary>How long a grain call may take before it fails (Orleans' default is 30 s).</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    private const string LogCategory = "WordCloud.Client.Cluster";

    /// <summary>
    /// Builds the host as <see cref="Build"/> does, or writes the one line that names the invalid setting (a TLS
    /// certificate that is missing or that its password does not open) to standard error and returns null.
    /// </summary>
    public static IHost? BuildOrReport(ClientSettings settings)
    {
        try
        {
            return Build(settings);
        }
        catch (OptionsValidationException invalid)
        {
            Console.Error.WriteLine($"error: invalid configuration: {invalid.Message}");
            return null;
        }
    }

    /// <summary>Builds the host without connecting, so a command can check its input and log before it tries.</summary>
    /// <exception cref="OptionsValidationException">A "Tls" setting is invalid; the message names it.</exception>
    public static IHost Build(ClientSettings settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // Command-line arguments belong to System.CommandLine, not to configuration.
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddWordCloudEnvironment();
        builder.AddWordCloudTelemetry("wordcloud-client", settings.ServiceInstanceId, ProducerMetrics.MeterName);
        if (settings.Verbose)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
            builder.Logging.AddFilter("WordCloud", LogLevel.Debug);
            builder.Logging.AddFilter("Orleans", LogLevel.Information);
        }

        // System.CommandLine owns Ctrl-C and SIGTERM: it cancels the command, which then stops the host itself.
        builder.Services.AddSingleton<IHostLifetime, CommandOwnedLifetime>();
        var cluster = ClusterOf(builder.Configuration, settings);
        var tls = TlsOf(builder.Configuration, settings);
        var certificate = tls.LoadCertificate();
        builder.Services.AddSingleton(cluster);
        builder.Services.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
        // A call to a silo that was just killed fails by this deadline at the latest; the producer then retries it.
        builder.Services.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = CallTimeout);
        var retry = new ConnectRetry(settings);
        builder.UseOrleansClient(client =>
        {
            if (cluster.Provider == ClusterProvider.Redis)
            {
                // Gateways come from the membership table; re-read it often so a replaced silo is used soon.
                client.UseRedisClustering(options => options.ConfigurationOptions = ConfigurationOptions.Parse(cluster.Redis));
                client.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
            }
            else
            {
                client.UseStaticClustering(settings.Gateways.ToArray());
            }

            if (tls.Enabled)
            {
                client.UseTls(options =>
                {
                    options.LocalCertificate = certificate;
                    options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
                    options.RemoteCertificateValidation = (remote, _, errors) => tls.Accepts(remote, errors);
                });
            }

            client.AddActivityPropagation().UseConnectionRetryFilter(retry.ShouldRetryAsync);
        });
        var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory);
        retry.Logger = logger;
        if (tls.Enabled)
        {
            LogTls(logger, certificate?.Thumbprint ?? "none", tls.AllowedThumbprints.Count > 0 ? $"the {tls.AllowedThumbprints.Count} pinned by Tls:AllowedThumbprints" : "those chained to a trusted root");
        }

        return host;
    }

    /// <summary>
    /// The gateways of the local cluster's instances that accept a connection now, or all of them when none does
    /// (so the connect timeout and its error still apply). Asking Orleans to keep dialling silos that were never
    /// started fills the log with connection warnings.
    /// </summary>
    public static async Task<IReadOnlyList<IPEndPoint>> ListeningAsync(IReadOnlyList<IPEndPoint> candidates)
    {
        var probes = candidates.Select(async endpoint =>
        {
            using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            try
            {
                await socket.ConnectAsync(endpoint, deadline.Token);
                return endpoint;
            }
            catch (Exception refused) when (refused is SocketException or OperationCanceledException)
            {
                return null;
            }
        });
        var listening = (await Task.WhenAll(probes)).OfType<IPEndPoint>().ToArray();
        return listening.Length > 0 ? listening : candidates;
    }

    /// <summary>
    /// Connects, retrying until the connect timeout. On failure it logs one error that names the gateways and
    /// returns false; the caller exits with <see cref="ExitCodes.ClusterUnavailable"/>.
    /// </summary>
    public static async Task<bool> TryStartAsync(IHost host, ClientSettings settings, CancellationToken cancellationToken)
    {
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory);
        var gateways = Describe(host, settings);
        LogConnecting(logger, gateways, Duration.Format(settings.ConnectTimeout));
        try
        {
            await host.StartAsync(cancellationToken);
            LogConnected(logger, gateways);
            return true;
        }
        catch (Exception failure) when (IsConnectionFailure(failure))
        {
            LogUnreachable(logger, gateways, Duration.Format(settings.ConnectTimeout), failure.Message);
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogConnectCancelled(logger);
            return false;
        }
    }

    /// <summary>Stops the client, leaving the cluster cleanly; never throws on the way out.</summary>
    public static async Task StopAsync(IHost host)
    {
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await host.StopAsync(deadline.Token);
            LogDisconnected(logger);
        }
        catch (Exception failure) when (IsConnectionFailure(failure) || failure is OperationCanceledException)
        {
            LogStopFailed(logger, failure.Message);
        }
    }

    public static string Describe(IReadOnlyList<IPEndPoint> gateways) => string.Join(", ", gateways);

    /// <summary>Where the host built by <see cref="Build"/> finds the cluster, in words for the log (no password).</summary>
    public static string Describe(IHost host, ClientSettings settings) =>
        host.Services.GetRequiredService<ClusterSettings>() is { Provider: ClusterProvider.Redis } cluster
            ? $"Redis membership at {cluster.RedisEndpoints}"
            : $"gateways {Describe(settings.Gateways)}";

    /// <summary>The "Cluster" settings (appsettings.json, ORLEANSCLOUD_ environment) with --cluster and --redis applied.</summary>
    private static ClusterSettings ClusterOf(IConfiguration configuration, ClientSettings settings)
    {
        var cluster = configuration.GetSection(ClusterSettings.SectionName).Get<ClusterSettings>() ?? new ClusterSettings();
        cluster.Provider = settings.Cluster ?? cluster.Provider;
        cluster.Redis = settings.Redis ?? cluster.Redis;
        return cluster;
    }

    /// <summary>The "Tls" settings with --tls-certificate and --tls-thumbprint applied, checked: a bad one throws.</summary>
    private static TlsSettings TlsOf(IConfiguration configuration, ClientSettings settings)
    {
        var tls = configuration.GetSection(TlsSettings.SectionName).Get<TlsSettings>() ?? new TlsSettings();
        tls.CertificatePath = settings.TlsCertificate ?? tls.CertificatePath;
        if (settings.TlsThumbprints is { Count: > 0 } thumbprints)
        {
            tls.AllowedThumbprints = [.. thumbprints];
        }

        var result = new TlsSettingsValidator(certificateRequired: false).Validate(null, tls);
        return result.Failed ? throw new OptionsValidationException(TlsSettings.SectionName, typeof(TlsSettings), result.Failures) : tls;
    }

    internal static bool IsConnectionFailure(Exception failure) =>
        failure is OrleansException or SocketException or TimeoutException or IOException;

    [LoggerMessage(Level = LogLevel.Information, Message = "Connecting to the cluster through {Gateways} (timeout {Timeout})")]
    private static partial void LogConnecting(ILogger logger, string gateways, string timeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS to the gateways: presenting certificate {Thumbprint}, trusting gateway certificates {Trust}")]
    private static partial void LogTls(ILogger logger, string thumbprint, string trust);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to the cluster through {Gateways}")]
    private static partial void LogConnected(ILogger logger, string gateways);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot reach the cluster: no gateway from {Gateways} answered within {Timeout} ({Reason}). Start a silo with `dotnet run --project Silo`, or name live gateways with --gateway host:port")]
    private static partial void LogUnreachable(ILogger logger, string gateways, string timeout, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped while connecting to the cluster")]
    private static partial void LogConnectCancelled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Disconnected from the cluster")]
    private static partial void LogDisconnected(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The client did not leave the cluster cleanly: {Reason}")]
    private static partial void LogStopFailed(ILogger logger, string reason);

    /// <summary>Retries a failed connection attempt until the connect timeout has passed since the first one.</summary>
    private sealed partial class ConnectRetry(ClientSettings settings)
    {
        private DateTimeOffset? _firstFailure;

        public ILogger? Logger { get; set; }

        public async Task<bool> ShouldRetryAsync(Exception failure, CancellationToken cancellationToken)
        {
            var now = DateTimeOffset.UtcNow;
            _firstFailure ??= now;
            if (!IsConnectionFailure(failure) || now - _firstFailure >= settings.ConnectTimeout || cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            if (Logger is { } logger)
            {
                LogRetrying(logger, failure.Message, (int)(settings.ConnectTimeout - (now - _firstFailure.Value)).TotalSeconds);
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            return true;
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "No gateway answered yet ({Reason}); retrying for up to {SecondsLeft} s more")]
        private static partial void LogRetrying(ILogger logger, string reason, int secondsLeft);
    }

    /// <summary>A host lifetime that leaves signals alone: System.CommandLine handles them for the command.</summary>
    private sealed class CommandOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
