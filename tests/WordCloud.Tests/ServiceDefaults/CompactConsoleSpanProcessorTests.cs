using System.Diagnostics;
using WordCloud.ServiceDefaults;

namespace WordCloud.Tests.ServiceDefaults;

public sealed class CompactConsoleSpanProcessorTests : IDisposable
{
    private readonly ActivitySource _source = new($"WordCloud.Tests.Spans.{Guid.NewGuid():N}");
    private readonly ActivityListener _listener;
    private readonly List<string> _lines = [];
    private readonly CompactConsoleSpanProcessor _processor;

    public CompactConsoleSpanProcessorTests()
    {
        _processor = new CompactConsoleSpanProcessor(_lines.Add);
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source == _source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = _processor.OnStart,
            ActivityStopped = _processor.OnEnd,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public void ASpanIsOneLineWithItsNameDurationKindStatusTagsAndIds()
    {
        // Arrange
        using (var span = _source.StartActivity("POST api/topics/{topic}/posts", ActivityKind.Server)!)
        {
            span.SetTag("url.path", "/api/topics/beer/posts");
            span.SetTag("http.response.status_code", 200);
            span.SetTag("http.request.header.user_agent", "not shown");
            span.SetTag("wordcloud.storage.record", "head");
        }

        // Assert
        var line = Assert.Single(_lines);
        Assert.EndsWith("\n", line, StringComparison.Ordinal);
        Assert.Single(line.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(
            @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z SPAN  POST api/topics/\{topic\}/posts \d+\.\d ms server OK url\.path=/api/topics/beer/posts http\.response\.status_code=200 wordcloud\.storage\.record=head \[trace=[0-9a-f]{32} span=[0-9a-f]{16}\]\n$",
            line);
    }

    [Fact]
    public void AFailedSpanSaysErrorWithTheFirstLineOfItsDescription()
    {
        // Arrange
        using (var span = _source.StartActivity("storage write", ActivityKind.Client)!)
        {
            span.SetStatus(ActivityStatusCode.Error, "window storage could not write 'head'\n   at a stack frame");
        }

        // Assert
        var line = Assert.Single(_lines);
        Assert.Contains(" client ERROR(window storage could not write 'head') [trace=", line, StringComparison.Ordinal);
        Assert.DoesNotContain("stack frame", line, StringComparison.Ordinal);
    }

    [Fact]
    public void ACallBetweenTwoGrainsOfOneProcessIsOneLineWhoseParentIsTheCallersParent()
    {
        // Arrange: a request span, a grain call's client span below it, and the callee's server span below that.
        string requestId, clientId, serverId, storageId;
        using (var request = _source.StartActivity("POST api/topics/{topic}/posts", ActivityKind.Server)!)
        {
            requestId = request.SpanId.ToHexString();
            using (var client = _source.StartActivity("IWordWindowGrain/AppendAsync", ActivityKind.Client)!)
            {
                clientId = client.SpanId.ToHexString();
                using (var server = _source.StartActivity("IWordWindowGrain/AppendAsync", ActivityKind.Server)!)
                {
                    serverId = server.SpanId.ToHexString();
                    using var storage = _source.StartActivity("storage write", ActivityKind.Client)!;
                    storageId = storage.SpanId.ToHexString();
                }
            }
        }

        // Assert: three lines, one tree: storage below the server span, the server span below the request.
        Assert.Equal(3, _lines.Count);
        Assert.Contains($"storage write ", _lines[0], StringComparison.Ordinal);
        Assert.EndsWith($"span={storageId} parent={serverId}]\n", _lines[0], StringComparison.Ordinal);
        Assert.Contains(" server OK ", _lines[1], StringComparison.Ordinal);
        Assert.EndsWith($"span={serverId} parent={requestId}]\n", _lines[1], StringComparison.Ordinal);
        Assert.EndsWith($"span={requestId}]\n", _lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain(_lines, line => line.Contains(clientId, StringComparison.Ordinal));
    }

    [Fact]
    public void ACallThatEndsBeforeItsServerSpanStartsKeepsBothLines()
    {
        // Arrange: a one-way call: the caller's span is over when the callee's starts.
        ActivityContext caller;
        using (var client = _source.StartActivity("ITopicDirectoryGrain/ReportAsync", ActivityKind.Client)!)
        {
            caller = client.Context;
        }

        using (_source.StartActivity("ITopicDirectoryGrain/ReportAsync", ActivityKind.Server, caller))
        {
        }

        // Assert
        Assert.Equal(2, _lines.Count);
        Assert.Contains(" client OK ", _lines[0], StringComparison.Ordinal);
        Assert.EndsWith($"parent={caller.SpanId.ToHexString()}]\n", _lines[1], StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _source.Dispose();
        _processor.Dispose();
    }
}
