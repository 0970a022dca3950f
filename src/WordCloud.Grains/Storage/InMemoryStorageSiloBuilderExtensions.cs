using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization.Serializers;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace WordCloud.Grains.Storage;

public static class InMemoryStorageSiloBuilderExtensions
{
    /// <summary>
    /// Adds an <see cref="InMemoryGrainStorage"/> named <paramref name="name"/>, keeping states in Orleans' binary
    /// format (faster to write and smaller than JSON, and version tolerant) in <paramref name="stores"/> store grains.
    /// </summary>
    public static ISiloBuilder AddInMemoryGrainStorage(this ISiloBuilder builder, string name, int stores = InMemoryGrainStorage.DefaultStores)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stores, 1);
        builder.Services.AddGrainStorage(name, (services, _) => new InMemoryGrainStorage(
            services.GetRequiredService<IGrainFactory>(),
            ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(services),
            services.GetRequiredService<IActivatorProvider>(),
            stores));
        return builder;
    }
}
