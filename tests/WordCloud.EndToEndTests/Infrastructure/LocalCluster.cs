using System.Globalization;

namespace WordCloud.EndToEndTests.Infrastructure;

/// <summary>
/// Real silo processes forming one localhost cluster, as the README starts them (`--instance N`), but on free
/// ports passed as settings so the tests never collide with a demo running on the defaults.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly List<RunningProcess> _silos = [];

    private LocalCluster(int capacity, int[] siloPorts, int[] gatewayPorts, int[] httpPorts)
    {
        Capacity = capacity;
        SiloPorts = siloPorts;
        GatewayPorts = gatewayPorts;
        HttpPorts = httpPorts;
    }

    public int Capacity { get; }

    public int[] SiloPorts { get; }

    public int[] GatewayPorts { get; }

    public int[] HttpPorts { get; }

    public IReadOnlyList<RunningProcess> Silos => _silos;

    /// <summary>Every silo's output, for assertions that do not care which silo hosted the grain.</summary>
    public string AllSiloOutput => string.Join('\n', _silos.Select(silo => silo.AllOutput));

    /// <summary>The client's gateway options for every silo: <c>--gateway 127.0.0.1:P</c> each.</summary>
    public IEnumerable<string> GatewayArguments =>
        GatewayPorts.SelectMany(port => new[] { "--gateway", $"127.0.0.1:{port}" });

    public static async Task<LocalCluster> StartAsync(int silos, int capacity)
    {
        var ports = FreePorts.Take(silos * 3);
        var cluster = new LocalCluster(capacity, ports[..silos], ports[silos..(2 * silos)], ports[(2 * silos)..]);
        try
        {
            for (var instance = 0; instance < silos; instance++)
            {
                await cluster.StartSiloAsync(instance);
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    public string[] SiloArguments(int instance) =>
    [
        "--instance", Text(instance),
        "--Silo:SiloPort", Text(SiloPorts[instance]),
        "--Silo:GatewayPort", Text(GatewayPorts[instance]),
        "--Silo:HttpPort", Text(HttpPorts[instance]),
        "--Silo:PrimarySiloPort", Text(SiloPorts[0]),
        "--WordWindow:Capacity", Text(Capacity),
    ];

    public async ValueTask DisposeAsync()
    {
        // The primary last: the others leave its membership table cleanly first.
        for (var index = _silos.Count - 1; index >= 0; index--)
        {
            await _silos[index].DisposeAsync();
        }
    }

    /// <summary>Stops silo <paramref name="instance"/> gracefully and starts it again on the same ports.</summary>
    public async Task RestartSiloAsync(int instance)
    {
        var old = _silos[instance];
        old.Signal("TERM");
        await old.WaitForExitAsync(StartTimeout);
        await old.DisposeAsync();
        await StartSiloAsync(instance);
    }

    private async Task StartSiloAsync(int instance)
    {
        var silo = RunningProcess.Start($"silo {instance}", RepoPaths.SiloDll, SiloArguments(instance));
        if (instance < _silos.Count)
        {
            _silos[instance] = silo;
        }
        else
        {
            _silos.Add(silo);
        }

        await silo.WaitForOutputAsync(line => line.Contains($"Silo {instance} is up", StringComparison.Ordinal), StartTimeout, "that it is up");
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
