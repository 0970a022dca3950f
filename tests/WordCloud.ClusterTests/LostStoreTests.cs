using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using WordCloud.Abstractions;
using WordCloud.Grains;
using WordCloud.Grains.Storage;

namespace WordCloud.ClusterTests;

/// <summary>
/// A window whose in-memory store is lost with its silo while the window lives on: a cluster of its own, since the
/// test stops one of its silos.
/// </summary>
public sealed class LostStoreTests : IAsyncLifetime
{
    private readonly TestCluster _cluster;

    public LostStoreTests()
    {
        var builder = new TestClusterBuilder();
        builder.Options.InitialSilosCount = 3;
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(ClusterFixture.WindowSettings));
        builder.AddSiloBuilderConfigurator<ClusterFixture.SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClusterFixture.ClientConfigurator>();
        _cluster = builder.Build();
    }

    public Task InitializeAsync() => _cluster.DeployAsync();

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task AWindowWhoseStoreWasLostWithItsSiloKeepsAllItsPostsAndKeepsWorking()
    {
        // Arrange: the window on one silo, the store that keeps its records on another.
        var (windowSilo, storeSilo) = (_cluster.Silos[1], _cluster.Silos[2]);
        var topic = ClusterFixture.NewTopic();
        var window = GrainsOf(windowSilo).GetGrain<IWordWindowGrain>(topic);
        var store = InMemoryGrainStorage.StoreIndexOf(WordWindowGrain.StorageName, window.GetGrainId(), InMemoryGrainStorage.DefaultStores);
        // A store starts beside its first user.
        await GrainsOf(storeSilo).GetGrain<IMemoryStoreGrain>(store).ReadAsync("placement");
        var texts = Enumerable.Range(0, 40).Select(number => $"post{number} stout").ToArray();
        foreach (var batch in texts[..30].Chunk(6))
        {
            Assert.Equal(6, (await window.AppendAsync(Batch(batch))).Accepted);
        }

        Assert.Equal(windowSilo.SiloAddress, await HostOfAsync(window.GetGrainId()));
        Assert.Equal(storeSilo.SiloAddress, await HostOfAsync(GrainsOf(windowSilo).GetGrain<IMemoryStoreGrain>(store).GetGrainId()));

        // Act: the store's silo stops, and its records go with it; the window appends on, then starts again.
        await _cluster.StopSiloAsync(storeSilo);
        var afterLoss = await window.AppendAsync(Batch(texts[30..35]));
        var later = await window.AppendAsync(Batch(texts[35..]));
        var postsBeforeRestart = await window.ReadAllPostsAsync();
        await GrainsOf(windowSilo).GetGrain<IManagementGrain>(0).DeactivateGrain(window.GetGrainId());
        var postsAfterRestart = await window.ReadAllPostsAsync();
        var statsAfterRestart = await window.GetStatsAsync();
        var afterRestart = await window.AppendAsync(Batch(["after restart stout"]));

        // Assert
        Assert.Equal(5, afterLoss.Accepted);
        Assert.Equal(5, later.Accepted);
        Assert.Equal(texts, postsBeforeRestart.Select(post => post.Text));
        Assert.Equal(texts, postsAfterRestart.Select(post => post.Text));
        Assert.Equal(40, statsAfterRestart.TotalAppended);
        Assert.Equal(1, afterRestart.Accepted);
        Assert.Equal(41, afterRestart.TotalAppended);
    }

    private static PostBatch Batch(IEnumerable<string> texts) => PostBatch.Encode([.. texts.Select(text => new Post(text))]);

    private static IGrainFactory GrainsOf(SiloHandle silo) =>
        Assert.IsType<InProcessSiloHandle>(silo).SiloHost.Services.GetRequiredService<IGrainFactory>();

    private async Task<SiloAddress?> HostOfAsync(GrainId grainId)
    {
        var statistics = await _cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return statistics.FirstOrDefault(statistic => statistic.GrainId == grainId)?.SiloAddress;
    }
}
