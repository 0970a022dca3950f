namespace WordCloud.EndToEndTests.Infrastructure;

/// <summary>Two real silos with a window capacity of 50, shared by the tests of one collection.</summary>
public sealed class TwoSiloClusterFixture : IAsyncLifetime
{
    public const int Capacity = 50;

    private LocalCluster? _cluster;

    public LocalCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public async Task InitializeAsync() => _cluster = await LocalCluster.StartAsync(silos: 2, Capacity);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TwoSiloClusterCollection : ICollectionFixture<TwoSiloClusterFixture>
{
    public const string Name = "two real silos";
}
