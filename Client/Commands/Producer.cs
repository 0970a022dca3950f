using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using WordCloud.Abstractions;
using WordCloud.Client.Cluster;
using WordCloud.Client.Sources;

namespace WordCloud.Client.Commands;

/// <summary>Reads posts, groups them into batches, sends each batch and waits for it, and keeps the tally.</summary>
internal sealed partial class Producer(IWordWindowGrain window, ILogger logger)
{
    private readonly List<Post> _batch = [];
    private readonly List<string> _origins = [];
    private long _read;
    private long _sent;
    private long _accepted;
    private long _rejected;
    private bool _failed;
    private bool _abandoned;

    public async Task<ProduceOutcome> RunAsync(IAsyncEnumerable<SourcedPost> posts, int batchSize, TimeSpan? every, long? limit, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        using var pace = every is { } period ? new PeriodicTimer(period) : null;
        try
        {
            await foreach (var item in posts.WithCancellation(stop))
            {
                _read++;
                if (item.Error is { } error)
                {
                    _rejected++;
                    LogInvalidInput(logger, item.Origin, error);
                }
                else
                {
                    _batch.Add(item.Post!);
                    _origins.Add(item.Origin);
                }

                if (_batch.Count >= batchSize && !await SendAsync(stop))
                {
                    break;
                }

                if (limit is { } max && _read >= max)
                {
                    break;
                }

                if (pace is not null && !await pace.WaitForNextTickAsync(stop))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            LogStopping(logger, _batch.Count);
        }

        // The last, partial batch: still sent after Ctrl-C, since those posts were read and not yet lost.
        if (_batch.Count > 0 && !_failed)
        {
            await SendAsync(stop.IsCancellationRequested ? CancellationToken.None : stop);
        }

        return new ProduceOutcome(_read, _sent, _accepted, _rejected, clock.Elapsed, _failed, _abandoned);
    }

    private async Task<bool> SendAsync(CancellationToken stop)
    {
        var posts = _batch.ToArray();
        var origins = _origins.ToArray();
        _batch.Clear();
        _origins.Clear();
        var append = window.AppendAsync(posts);
        AppendResult result;
        try
        {
            result = await append.WaitAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            try
            {
                result = await append.WaitAsync(ProduceCommand.InFlightGrace, CancellationToken.None);
                LogFinishedInFlight(logger, posts.Length, result.Accepted);
            }
            catch (TimeoutException)
            {
                _abandoned = true;
                LogAbandonedInFlight(logger, posts.Length, origins[0], origins[^1], ProduceCommand.InFlightGrace.TotalSeconds);
                return false;
            }
            catch (Exception failure) when (ClientHost.IsConnectionFailure(failure) || failure is ArgumentException)
            {
                return Fail(posts, origins, failure);
            }

            Tally(posts, origins, result);
            return false;
        }
        catch (Exception failure) when (ClientHost.IsConnectionFailure(failure) || failure is ArgumentException)
        {
            return Fail(posts, origins, failure);
        }

        Tally(posts, origins, result);
        return true;
    }

    private bool Fail(Post[] posts, string[] origins, Exception failure)
    {
        _failed = true;
        LogAppendFailed(logger, posts.Length, origins[0], origins[^1], failure.GetType().Name, failure.Message);
        return false;
    }

    private void Tally(Post[] posts, string[] origins, AppendResult result)
    {
        _sent += posts.Length;
        _accepted += result.Accepted;
        _rejected += result.Rejected.Count;
        foreach (var rejection in result.Rejected)
        {
            LogRejected(logger, origins[rejection.Index], rejection.Reason);
        }

        LogSent(logger, posts.Length, result.Accepted, result.Evicted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Origin}: {Error}; skipped")]
    private static partial void LogInvalidInput(ILogger logger, string origin, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Origin}: rejected by the window: {Reason}")]
    private static partial void LogRejected(ILogger logger, string origin, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sent a batch of {Count} posts: {Accepted} accepted, {Evicted} older posts evicted")]
    private static partial void LogSent(ILogger logger, int count, int accepted, int evicted);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stop requested: sending the {Pending} posts already read, then exiting")]
    private static partial void LogStopping(ILogger logger, int pending);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stop requested while a batch of {Count} posts was in flight: it finished, {Accepted} accepted")]
    private static partial void LogFinishedInFlight(ILogger logger, int count, int accepted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stop requested: abandoned the in-flight batch of {Count} posts ({First} to {Last}) after {GraceSeconds} s without an acknowledgement; they may or may not be in the window")]
    private static partial void LogAbandonedInFlight(ILogger logger, int count, string first, string last, double graceSeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending a batch of {Count} posts ({First} to {Last}) failed: {Error}: {Message}. Posts from there on were not sent")]
    private static partial void LogAppendFailed(ILogger logger, int count, string first, string last, string error, string message);
}

/// <summary>What a producer run did, and its one-line summary.</summary>
internal sealed record ProduceOutcome(long Read, long Sent, long Accepted, long Rejected, TimeSpan Elapsed, bool Failed, bool AbandonedInFlight)
{
    public string Summary(string topic)
    {
        var seconds = Math.Max(Elapsed.TotalSeconds, 1e-6);
        return string.Create(CultureInfo.InvariantCulture,
            $"produce: topic={topic} sent={Sent} accepted={Accepted} rejected={Rejected} elapsed={Elapsed.TotalSeconds:0.000}s rate={Accepted / seconds:0.0} posts/s{(Failed ? " (stopped by an error)" : AbandonedInFlight ? " (in-flight batch abandoned)" : string.Empty)}");
    }
}
