using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.TestingHost;

namespace WordCloud.ClusterTests;

/// <summary>What a silo's grain manifest says about a grain type: its placement, collection and migration settings.</summary>
public static class GrainManifest
{
    /// <summary>The properties of the grain type implementing the interface with this alias, as the primary silo has them.</summary>
    public static ImmutableDictionary<string, string> PropertiesOf(TestCluster cluster, string interfaceAlias)
    {
        var silo = Assert.IsType<InProcessSiloHandle>(cluster.Primary).SiloHost.Services;
        var grainType = silo.GetRequiredService<GrainInterfaceTypeToGrainTypeResolver>().GetGrainType(GrainInterfaceType.Create(interfaceAlias));
        return silo.GetRequiredService<GrainPropertiesResolver>().GetGrainProperties(grainType).Properties;
    }
}
