using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WordCloud.Abstractions;
using WordCloud.Grains;
using WordCloud.Grains.Text;
using WordCloud.Grains.Windows;
using WordCloud.Tests.Windows;

namespace WordCloud.Tests.Grains;

public sealed class WordCloudMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly OneAtATime _turns = new();

    [Fact]
    public async Task TheWindowGaugesCountActiveWindowsByFillWithTheirPostsAndCapacity()
    {
        // Arrange: four windows of 4 posts holding 0, 1, 2 and 4 posts.
        var metrics = new WordCloudMetrics(_services.GetRequiredService<IMeterFactory>());
        var windows = new List<PersistentWindow>();
        foreach (var posts in new[] { 0, 1, 2, 4 })
        {
            windows.Add(await WindowWithAsync(posts));
        }

        // Act
        windows.ForEach(metrics.WindowActivated);
        var whileAllActive = Observe();
        metrics.WindowDeactivated(windows[^1]);
        var afterTheFullOneLeft = Observe();

        // Assert
        Assert.Equal(1, whileAllActive["wordcloud.windows fill=empty"]);
        Assert.Equal(1, whileAllActive["wordcloud.windows fill=below_half"]);
        Assert.Equal(1, whileAllActive["wordcloud.windows fill=half_or_more"]);
        Assert.Equal(1, whileAllActive["wordcloud.windows fill=full"]);
        Assert.Equal(7, whileAllActive["wordcloud.windows.posts"]);
        Assert.Equal(16, whileAllActive["wordcloud.windows.capacity"]);
        Assert.Equal(0, afterTheFullOneLeft["wordcloud.windows fill=full"]);
        Assert.Equal(3, afterTheFullOneLeft["wordcloud.windows.posts"]);
        Assert.Equal(12, afterTheFullOneLeft["wordcloud.windows.capacity"]);
    }

    [Fact]
    public void ABatchIsCountedByItsOutcomeWithWhatBecameOfItsPosts()
    {
        // Arrange
        var metrics = new WordCloudMetrics(_services.GetRequiredService<IMeterFactory>());
        var counted = new Dictionary<string, long>(StringComparer.Ordinal);
        using var listener = Listen<long>((name, tags, value) => counted[name + tags] = counted.GetValueOrDefault(name + tags) + value);

        // Act
        metrics.Record(new AppendResult(Accepted: 5, Rejected: [], Evicted: 2, Duplicates: 1, Deleted: 1), TimeSpan.FromMilliseconds(3));
        metrics.Record(new AppendResult(0, [], 0, AlreadyApplied: true), TimeSpan.FromMilliseconds(1));
        metrics.RecordFailedAppend(TimeSpan.FromSeconds(5));

        // Assert
        Assert.Equal(1, counted["wordcloud.batches outcome=applied"]);
        Assert.Equal(1, counted["wordcloud.batches outcome=already_applied"]);
        Assert.Equal(1, counted["wordcloud.batches outcome=failed"]);
        Assert.Equal(5, counted["wordcloud.posts.appended"]);
        Assert.Equal(2, counted["wordcloud.posts.evicted"]);
        Assert.Equal(1, counted["wordcloud.posts.duplicates"]);
        Assert.Equal(1, counted["wordcloud.posts.deleted"]);
    }

    public void Dispose() => _services.Dispose();

    /// <summary>Every observable gauge of the meter, read now: "name" or "name tag=value" to the value.</summary>
    private Dictionary<string, long> Observe()
    {
        var observed = new Dictionary<string, long>(StringComparer.Ordinal);
        using var listener = Listen<long>((name, tags, value) => observed[name + tags] = value);
        listener.RecordObservableInstruments();
        return observed;
    }

    /// <summary>Listens to the instruments of the meter "WordCloud" made by this test's meter factory.</summary>
    private MeterListener Listen<T>(Action<string, string, T> measured)
        where T : struct
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == WordCloudMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<T>((instrument, value, tags, _) =>
            measured(instrument.Name, string.Concat(tags.ToArray().Select(tag => $" {tag.Key}={tag.Value}")), value));
        listener.Start();
        return listener;
    }

    private async Task<PersistentWindow> WindowWithAsync(int posts)
    {
        var options = new WordWindowOptions { Capacity = 4 };
        var window = await _turns.Run(() => PersistentWindow.LoadAsync("topic", options, Tokenizer.English, new MemoryWindowStore(), new FakeTimeProvider(), NullLogger.Instance, CancellationToken.None));
        if (posts > 0)
        {
            await _turns.Run(() => window.AppendAsync(PostBatch.Encode([.. Enumerable.Range(0, posts).Select(index => new Post($"post number {index}"))], null, 0)));
        }

        return window;
    }
}
