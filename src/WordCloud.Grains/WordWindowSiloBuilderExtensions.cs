using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WordCloud.Grains.Text;
using WordCloud.Grains.Windows;

namespace WordCloud.Grains;

public static class WordWindowSiloBuilderExtensions
{
    /// <summary>
    /// Adds what WordWindow grains need: their validated settings (section "WordWindow"), the shared tokenizer, the
    /// project's counters and a clock. The host adds the grain storage named <see cref="WordWindowGrain.StorageName"/>.
    /// </summary>
    public static ISiloBuilder AddWordWindows(this ISiloBuilder builder)
    {
        builder.Services.AddOptions<WordWindowOptions>()
            .BindConfiguration(WordWindowOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<WordWindowOptions>, WordWindowOptionsValidator>();
        builder.Services.AddSingleton(Tokenizer.English);
        builder.Services.AddSingleton<WordCloudMetrics>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
