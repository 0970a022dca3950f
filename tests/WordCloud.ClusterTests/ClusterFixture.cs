using System.Globalization;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using WordCloud.Grains;
using WordCloud.Grains.Storage;
using WordCloud.Grains.Windows;

namespace WordCloud.ClusterTests;

/// <summary>
/// Two in-process silos wired as the real silo wires them (our in-memory grain storage, WordWindows, activity propagation),
/// with a small window capacity so eviction is cheap to reach.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>The window capacity the silos are configured with, through configuration as in production.</summary>
    public const int Capacity = 50;

    /// <summary>Small segments, so every test's window spans several and saving crosses and clears them.</summary>
    public const int SegmentSize = 16;

    /// <summary>Fewer posts in a head's tail than a segment holds, so saves take both ways: head only, and segments.</summary>
    public const int InlinePosts = 8;

    public ClusterFixture()
    {
        var builder = new TestClusterBuilder();
        builder.Options.InitialSilosCount = 2;
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(WindowSettings));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
    }

    /// <summary>The window settings every test cluster's silos get, through configuration as in production.</summary>
    public static Dictionary<string, string?> WindowSettings => new()
    {
        [$"{WordWindowOptions.SectionName}:{nameof(WordWindowOptions.Capacity)}"] = Capacity.ToString(CultureInfo.InvariantCulture),
        [$"{WordWindowOptions.SectionName}:{nameof(WordWindowOptions.SegmentSize)}"] = SegmentSize.ToString(CultureInfo.InvariantCulture),
        [$"{WordWindowOptions.SectionName}:{nameof(WordWindowOptions.InlinePosts)}"] = InlinePosts.ToString(CultureInfo.InvariantCulture),
    };

    public TestCluster Cluster { get; }

    public IGrainFactory GrainFactory => Cluster.Client;

    /// <summary>A topic no other test uses: a valid, normalised grain key.</summary>
    public static string NewTopic() => $"t{Guid.NewGuid():N}"[..20];

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    internal sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder
            .AddInMemoryGrainStorage(WordWindowGrain.StorageName)
            .AddWordWindows()
            .AddActivityPropagation();
    }

    internal sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.AddActivityPropagation();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Cluster";
}
