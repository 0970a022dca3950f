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

    /// <summary>Shorter keys are guessable; 32 random bytes in base64 (<c>openssl rand -base64 32</c>) are 44 characters.</summary>
    public const int MinApiKeyLength = 16;

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

    /// <summary>
    /// When set, writes over HTTP need <c>Authorization: Bearer</c> with it and the dashboard needs it as the HTTP Basic
    /// password; reading the clouds stays open. Required when <see cref="HttpAddress"/> is not a loopback address.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Whether the dashboard's live trace (every grain call it sees, streamed to the browser) is served.</summary>
    public bool DashboardTrace { get; set; }

    public bool HasApiKey => !string.IsNullOrEmpty(ApiKey);

    /// <summary>Whether only this machine can reach the HTTP endpoints; false for 0.0.0.0, :: and any other interface.</summary>
    public bool HttpOnLoopback => IPAddress.TryParse(HttpAddress, out var address) && IPAddress.IsLoopback(address);

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
        CheckApiKey(failures, options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckPort(List<string> failures, string key, int port)
    {
        if (port is < 1 or > 65535)
        {
            failures.Add($"{key} is {port}; a port must be between 1 and 65535");
        }
    }

    /// <summary>The key itself is never part of a message: only whether it is set and its length. An empty value is no key.</summary>
    private static void CheckApiKey(List<string> failures, SiloHostOptions options)
    {
        if (options.HasApiKey && options.ApiKey!.Trim().Length < SiloHostOptions.MinApiKeyLength)
        {
            failures.Add($"Silo:ApiKey is set but {options.ApiKey.Trim().Length} characters long (spaces aside); it must be at least {SiloHostOptions.MinApiKeyLength}");
        }
        else if (!options.HasApiKey && IPAddress.TryParse(options.HttpAddress, out _) && !options.HttpOnLoopback)
        {
            failures.Add($"Silo:ApiKey is not set; a silo whose Silo:HttpAddress is {options.HttpAddress} (reachable from other machines) must have one");
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
