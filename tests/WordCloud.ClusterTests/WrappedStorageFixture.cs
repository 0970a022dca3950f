using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using WordCloud.Grains;
using WordCloud.Grains.Storage;

namespace WordCloud.ClusterTests;

/// <summary>
/// One silo whose windows store through a <typeparamref name="TStorage"/> wrapped around our in-memory storage: a
/// test double that fails or counts on demand, in front of the real thing.
/// </summary>
/// <typeparam name="TStorage">The wrapper; its constructor takes the inner <see cref="IGrainStorage"/>.</typeparam>
public abstract class WrappedStorageFixture<TStorage> : IAsyncLifetime
    where TStorage : IGrainStorage
{
    private const string Inner = "inner";

    /// <param name="windowSettings">Configuration for the silo, as in <see cref="ClusterFixture.WindowSettings"/>.</param>
    protected WrappedStorageFixture(Dictionary<string, string?> windowSettings)
    {
        var builder = new TestClusterBuilder();
        builder.Options.InitialSilosCount = 1;
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(windowSettings));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
    }

    public TestCluster Cluster { get; }

    public IGrainFactory GrainFactory => Cluster.Client;

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddInMemoryGrainStorage(Inner).AddWordWindows();
            siloBuilder.Services.AddKeyedSingleton<IGrainStorage>(WordWindowGrain.StorageName,
                (services, _) => ActivatorUtilities.CreateInstance<TStorage>(services, services.GetRequiredKeyedService<IGrainStorage>(Inner)));
        }
    }
}
