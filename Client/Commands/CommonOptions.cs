using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using System.Net.Sockets;
using WordCloud.Abstractions;
using WordCloud.Client.Cluster;
using WordCloud.ServiceDefaults;

namespace WordCloud.Client.Commands;

/// <summary>Options every verb shares: the topic, where the cluster is, and how much to log.</summary>
public static class CommonOptions
{
    /// <summary>The gateways of instances 0 to 9 of the localhost cluster (`dotnet run --project Silo -- --instance N`).</summary>
    public static readonly IReadOnlyList<IPEndPoint> LocalClusterGateways =
        [.. Enumerable.Range(0, 10).Select(instance => new IPEndPoint(IPAddress.Loopback, 30000 + instance))];

    public static readonly Option<string> Topic = new("--topic", "-t")
    {
        Description = "The topic, such as beer or #beer (1-64 of a-z, 0-9, _).",
        Required = true,
        CustomParser = ParseTopic,
    };

    public static readonly Option<IPEndPoint[]> Gateway = new("--gateway", "-g")
    {
        Description = "A gateway as host:port; repeat for more. Default: those of 127.0.0.1:30000 to 127.0.0.1:30009 (the local cluster) that are listening.",
        CustomParser = ParseGateways,
        AllowMultipleArgumentsPerToken = false,
    };

    public static readonly Option<TimeSpan> ConnectTimeout = new("--connect-timeout")
    {
        Description = "How long to keep trying to reach a gateway, such as 10s.",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(10),
        CustomParser = result => ParseDuration(result, "--connect-timeout"),
    };

    public static readonly Option<ClusterProvider?> Cluster = new("--cluster")
    {
        Description = "Localhost (the default: gateways on this machine) or Redis (gateways from the membership in Redis). Also the Cluster:Provider setting, ORLEANSCLOUD_Cluster__Provider.",
    };

    public static readonly Option<string?> Redis = new("--redis")
    {
        Description = "The Redis connection string of a Redis cluster, default 127.0.0.1:6379. Also ORLEANSCLOUD_Cluster__Redis.",
    };

    public static readonly Option<string?> TlsCertificate = new("--tls-certificate")
    {
        Description = "Connect with TLS, presenting this PKCS#12 (.pfx) certificate; its password from ORLEANSCLOUD_Tls__CertificatePassword. Also the Tls:CertificatePath setting.",
    };

    public static readonly Option<string[]> TlsThumbprint = new("--tls-thumbprint")
    {
        Description = "Connect with TLS and trust the gateway whose certificate has this SHA-1 thumbprint; repeat for more. Also the Tls:AllowedThumbprints setting.",
        AllowMultipleArgumentsPerToken = false,
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Log at Debug level.",
    };

    public static void AddTo(Command command)
    {
        command.Options.Add(Topic);
        command.Options.Add(Gateway);
        command.Options.Add(ConnectTimeout);
        command.Options.Add(Cluster);
        command.Options.Add(Redis);
        command.Options.Add(TlsCertificate);
        command.Options.Add(TlsThumbprint);
        command.Options.Add(Verbose);
    }

    public static async Task<ClientSettings> SettingsFromAsync(ParseResult parse, string verb)
    {
        var cluster = parse.GetValue(Cluster);
        var gateways = await GatewaysAsync(parse.GetValue(Gateway), cluster);
        return new ClientSettings(gateways, parse.GetValue(ConnectTimeout), parse.GetValue(Verbose), $"{verb}-{parse.GetRequiredValue(Topic)}", cluster, parse.GetValue(Redis),
            parse.GetValue(TlsCertificate), parse.GetValue(TlsThumbprint));
    }

    /// <summary>
    /// The gateways named with --gateway; none for a Redis cluster (they come from its membership); else the local
    /// cluster's that are listening.
    /// </summary>
    public static async Task<IReadOnlyList<IPEndPoint>> GatewaysAsync(IReadOnlyList<IPEndPoint>? given, ClusterProvider? cluster) =>
        given is { Count: > 0 } ? given
            : cluster == ClusterProvider.Redis ? []
            : await ClientHost.ListeningAsync(LocalClusterGateways);

    /// <summary>Parses a duration option; a bad value is a parse error that names the option, the value and the rule.</summary>
    public static TimeSpan ParseDuration(ArgumentResult result, string option, bool allowZero = false)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (Duration.TryParse(text, out var duration, allowZero))
        {
            return duration;
        }

        result.AddError($"invalid {option} '{text}': {Duration.Rule}{(allowZero ? ", or 0 for no pause" : string.Empty)}");
        return default;
    }

    private static string ParseTopic(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (TopicName.TryNormalize(text, out var topic, out var error))
        {
            return topic;
        }

        result.AddError(error);
        return string.Empty;
    }

    private static IPEndPoint[] ParseGateways(ArgumentResult result)
    {
        var gateways = new List<IPEndPoint>();
        foreach (var token in result.Tokens)
        {
            if (TryParseEndpoint(token.Value, out var endpoint, out var error))
            {
                gateways.Add(endpoint);
            }
            else
            {
                result.AddError(error);
            }
        }

        return [.. gateways];
    }

    internal static bool TryParseEndpoint(string text, out IPEndPoint endpoint, out string error)
    {
        endpoint = new IPEndPoint(IPAddress.Loopback, 0);
        error = $"invalid --gateway '{text}': a gateway is host:port, such as 127.0.0.1:30000, with a port from 1 to 65535";
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
        {
            return false;
        }

        var host = text[..colon].Trim('[', ']');
        if (IPAddress.TryParse(host, out var address))
        {
            endpoint = new IPEndPoint(address, port);
            return true;
        }

        try
        {
            var addresses = Dns.GetHostAddresses(host);
            var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            if (chosen is null)
            {
                error = $"invalid --gateway '{text}': the host name '{host}' has no address";
                return false;
            }

            endpoint = new IPEndPoint(chosen, port);
            return true;
        }
        catch (SocketException lookup)
        {
            error = $"invalid --gateway '{text}': cannot resolve '{host}': {lookup.Message}";
            return false;
        }
    }
}
