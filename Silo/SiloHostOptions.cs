using System.Net;
using Microsoft.Extensions.Options;

namespace WordCloud.Silo;

/// <summary>
/// Where a silo listens, from the configuration section "Silo". Instance N of the localhost cluster defaults to
/// silo port 11111+N, gateway port 30000+N and HTTP port 8080+N, with instance 0 (silo port 11111) as the primary.
/// In a Redis cluster a port that is not set is any free port, chosen at start. Any port can be set explicitly,
/// which is how the tests run whole clusters on free ports.
/// </summary>
public sealed class SiloHostOptions
{
    public const string SectionName = "Silo";

    public const int BaseSiloPort = 11111;
    public const int BaseGatewayPort = 30000;
    public const int BaseHttpPort = 8080;
    public const int MaxInstance = 999;

    /// <summary>Which silo of the localhost cluster this is: 0 is the primary, others join it.</summary>
    public int Instance { get; set; }

    public int? SiloPort { get; set; }

    public int? GatewayPort { get; set; }

    public int? HttpPort { get; set; }

    /// <summary>The silo port of instance 0, which every silo of a localhost cluster joins through.</summary>
    public int PrimarySiloPort { get; set; } = BaseSiloPort;

    /// <summary>The address the HTTP endpoints (dashboard, page, API) bind to.</summary>
    public string HttpAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// The address other silos and clients reach this silo at, and that its silo and gateway ports bind to. In a Redis
    /// cluster across machines, this machine's address on the network the others share.
    /// </summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    public int EffectiveSiloPort => SiloPort ?? BaseSiloPort + Instance;

    public int EffectiveGatewayPort => GatewayPort ?? BaseGatewayPort + Instance;

    public int EffectiveHttpPort => HttpPort ?? BaseHttpPort + Instance;

    public string HttpUrl => $"http://{(HttpAddress.Contains(':') ? $"[{HttpAddress}]" : HttpAddress)}:{EffectiveHttpPort}";
}

public sealed class SiloHostOptionsValidator : IValidateOptions<SiloHostOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloHostOptions options)
    {
        var failures = new List<string>();
        if (options.Instance is < 0 or > SiloHostOptions.MaxInstance)
        {
            failures.Add($"Silo:Instance is {options.Instance}; it must be between 0 and {SiloHostOptions.MaxInstance}");
        }

        CheckPort(failures, "Silo:SiloPort", options.EffectiveSiloPort);
        CheckPort(failures, "Silo:GatewayPort", options.EffectiveGatewayPort);
        CheckPort(failures, "Silo:HttpPort", options.EffectiveHttpPort);
        CheckPort(failures, "Silo:PrimarySiloPort", options.PrimarySiloPort);
        if (options.EffectiveSiloPort == options.EffectiveGatewayPort)
        {
            failures.Add($"Silo:SiloPort and Silo:GatewayPort are both {options.EffectiveSiloPort}; they must differ");
        }

        CheckAddress(failures, "Silo:HttpAddress", options.HttpAddress);
        CheckAddress(failures, "Silo:AdvertisedAddress", options.AdvertisedAddress);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckPort(List<string> failures, string key, int port)
    {
        if (port is < 1 or > 65535)
        {
            failures.Add($"{key} is {port}; a port must be between 1 and 65535");
        }
    }

    private static void CheckAddress(List<string> failures, string key, string value)
    {
        if (!IPAddress.TryParse(value, out _))
        {
            failures.Add($"{key} is '{value}'; it must be an IP address such as 127.0.0.1");
        }
    }
}
