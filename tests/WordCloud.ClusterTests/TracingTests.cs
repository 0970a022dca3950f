using System.Collections.Concurrent;
using System.Diagnostics;
using WordCloud.Abstractions;

namespace WordCloud.ClusterTests;

[Collection(ClusterCollection.Name)]
public sealed class TracingTests(ClusterFixture fixture)
{
    private const string OrleansApplicationSource = "Microsoft.Orleans.Application";

    private const string TestSourceName = "WordCloud.ClusterTests";

    private static readonly ActivitySource TestSource = new(TestSourceName);

    [Fact]
    public async Task AGrainCallMakesAClientSpanAndAServerSpanInOneTrace()
    {
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        var started = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is OrleansApplicationSource or TestSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = started.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        ActivityTraceId traceId;
        ActivitySpanId testSpanId;
        using (var test = TestSource.StartActivity("append through the cluster"))
        {
            Assert.NotNull(test);
            traceId = test.TraceId;
            testSpanId = test.SpanId;
            await grain.AppendAsync(PostBatch.Encode([new Post("traced alpha")]));
        }

        // The caller's span and the grain's span for this call; the grain's own calls (it lists its topic in the
        // directory on its first append, and saves through the in-memory store grains) are further spans of the same
        // trace, below the grain's span.
        var spans = started.Where(a => a.Source.Name is OrleansApplicationSource && a.TraceId == traceId).ToList();
        var client = Assert.Single(spans, a => a.Kind is ActivityKind.Client && a.ParentSpanId == testSpanId);
        var server = Assert.Single(spans, a => a.Kind is ActivityKind.Server && a.ParentSpanId == client.SpanId);
        Assert.Contains("Append", client.DisplayName);
        Assert.Contains("Append", server.DisplayName);
        Assert.All(spans.Where(a => a != client && a != server), nested => Assert.Matches("TopicDirectory|MemoryStore", nested.DisplayName));
    }
}
