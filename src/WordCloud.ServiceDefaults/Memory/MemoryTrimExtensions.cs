using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace WordCloud.ServiceDefaults.Memory;

public static class MemoryTrimExtensions
{
    /// <summary>Adds the <see cref="IdleMemoryTrimmer"/>, configured from the "Memory" section and validated at start.</summary>
    public static IHostApplicationBuilder AddIdleMemoryTrim(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MemoryTrimOptions>().BindConfiguration(MemoryTrimOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MemoryTrimOptions>, MemoryTrimOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<IdleMemoryTrimmer>();
        return builder;
    }
}
