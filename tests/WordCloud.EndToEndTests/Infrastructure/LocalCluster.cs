using System.Globalization;

namespace WordCloud.EndToEndTests.Infrastructure;

/// <summary>
/// Real silo processes forming one cluster, as the README starts them: the localhost cluster (`--instance N`) or a
/// Redis cluster (`--cluster redis`). Always on free ports passed as settings, so the tests never collide with a demo
/// running on the defaults.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly List<RunningProcess> _silos = [];
    private readonly List<int> _siloPorts = [];
    private readonly List<int> _gatewayPorts = [];
    private readonly List<int> _httpPorts = [];

    private LocalCluster(int capacity, RedisServer? redis, IReadOnlyList<string> settings)
    {
        Capacity = capacity;
        Redis = redis;
        Settings = settings;
    }

    public int Capacity { get; }

    /// <summary>More settings every silo is started with, as command-line pairs: <c>--Api:RateLimit:Burst</c>, <c>3</c>.</summary>
    public IReadOnlyList<string> Settings { get; }

    /// <summary>The Redis of a Redis cluster; null for the localhost cluster.</summary>
    public RedisServer? Redis { get; }


    public IReadOnlyList<int> SiloPorts => _siloPorts;

    public IReadOnlyList<int> GatewayPorts => _gatewayPorts;

    public IReadOnlyList<int> HttpPorts => _httpPorts;

    public IReadOnlyList<RunningProcess> Silos => _silos;

    /// <summary>Every silo's output, for assertions that do not care which silo hosted the grain.</summary>
    public string AllSiloOutput => string.Join('\n', _silos.Select(silo => silo.AllOutput));

    /// <summary>
    /// How a client finds this cluster: <c>--gateway 127.0.0.1:P</c> for every silo of the localhost cluster, or
    /// <c>--cluster redis --redis …</c> for a Redis cluster.
    /// </summary>
    public IEnumerable<string> GatewayArguments => Redis is { } redis
        ? ["--cluster", "redis", "--redis", redis.ConnectionString]
        : GatewayPorts.SelectMany(port => new[] { "--gateway", $"127.0.0.1:{port}" });

    /// <summary>Silos of the localhost cluster: instance 0 is the primary, the rest join it.</summary>
    public static Task<LocalCluster> StartAsync(int silos, int capacity) => StartAsync(silos, capacity, redis: null);

    /// <summary>Silos of the localhost cluster, each started with <paramref name="settings"/> as well.</summary>
    public static Task<LocalCluster> StartAsync(int silos, int capacity, params string[] settings) => StartAsync(silos, capacity, redis: null, settings);

    /// <summary>Silos of a Redis cluster: membership and grain state in <paramref name="redis"/>.</summary>
    public static async Task<LocalCluster> StartAsync(int silos, int capacity, RedisServer? redis, params string[] settings)
    {
        var cluster = new LocalCluster(capacity, redis, settings);
        try
        {
            for (var instance = 0; instance < silos; instance++)
            {
                await cluster.AddSiloAsync();
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>Starts one more silo on new free ports and waits until it is up; returns its instance number.</summary>
    public async Task<int> AddSiloAsync()
    {
        var ports = FreePorts.Take(3);
        _siloPorts.Add(ports[0]);
        _gatewayPorts.Add(ports[1]);
        _httpPorts.Add(ports[2]);
        var instance = _siloPorts.Count - 1;
        await StartSiloAsync(instance);
        return instance;
    }

    /// <summary>kill -9: the silo gets no chance to leave the cluster.</summary>
    public async Task KillSiloAsync(int instance)
    {
        var silo = _silos[instance];
        silo.Signal("KILL");
        await silo.WaitForExitAsync(StartTimeout);
    }

    public string[] SiloArguments(int instance) =>
    [
        .. Redis is { } redis ? new[] { "--cluster", "redis", "--redis", redis.ConnectionString } : [],
        "--instance", Text(instance),
        "--Silo:SiloPort", Text(SiloPorts[instance]),
        "--Silo:GatewayPort", Text(GatewayPorts[instance]),
        "--Silo:HttpPort", Text(HttpPorts[instance]),
        "--Silo:PrimarySiloPort", Text(SiloPorts[0]),
        "--WordWindow:Capacity", Text(Capacity),
        .. Settings,
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
