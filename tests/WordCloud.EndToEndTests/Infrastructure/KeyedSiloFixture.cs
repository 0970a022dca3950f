namespace WordCloud.EndToEndTests.Infrastructure;

/// <summary>One real silo started with an API key (Silo:ApiKey), shared by the tests of one class.</summary>
public sealed class KeyedSiloFixture : IAsyncLifetime
{
    /// <summary>Made up per run, so finding it in the silo's output can only mean the silo logged it.</summary>
    public string ApiKey { get; } = $"key-{Guid.NewGuid():N}";

    private LocalCluster? _cluster;

    public LocalCluster Cluster => _cluster ?? throw new InvalidOperationException("The silo has not started.");

    public Uri BaseAddress => new($"http://127.0.0.1:{Cluster.HttpPorts[0]}");

    public async Task InitializeAsync() =>
        _cluster = await LocalCluster.StartAsync(silos: 1, capacity: 20, redis: null, settings: ["--Silo:ApiKey", ApiKey]);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
