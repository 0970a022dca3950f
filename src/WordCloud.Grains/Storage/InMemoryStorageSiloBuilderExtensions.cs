using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;

namespace WordCloud.Grains.Storage;

public static class InMemoryStorageSiloBuilderExtensions
{
    /// <summary>Adds an <see cref="InMemoryGrainStorage"/> named <paramref name="name"/> with <paramref name="stores"/> store grains.</summary>
    public static ISiloBuilder AddInMemoryGrainStorage(this ISiloBuilder builder, string name, int stores = InMemoryGrainStorage.DefaultStores)
    {
        builder.Services.AddGrainStorage(name, (services, _) => new InMemoryGrainStorage(
            name,
            services.GetRequiredService<IGrainFactory>(),
            services.GetRequiredService<Serializer>(),
            services.GetRequiredService<IActivatorProvider>(),
            stores));
        return builder;
    }
}
