using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WordCloud.Abstractions;
using WordCloud.Client.Commands;
using WordCloud.Client.Sources;

namespace WordCloud.Tests.Client;

public sealed class ProducerTests
{
    /// <summary>Long enough for any of these runs; a run that takes longer is stuck, and the test fails instead of hanging.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static SourcedPost[] Posts(int count) =>
        [.. Enumerable.Range(1, count).Select(number => SourcedPost.Valid(new Post($"post {number}"), $"test line {number}", resume: $"{number}"))];

    private static string[] Texts(int count) => [.. Enumerable.Range(1, count).Select(number => $"post {number}")];

    private static async IAsyncEnumerable<SourcedPost> Feed(IEnumerable<SourcedPost> items, Task? thenWaitFor = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var item in items)
        {
            yield return item;
        }

        if (thenWaitFor is not null)
        {
            // A source that has nothing more yet, as a quiet live feed.
            await thenWaitFor.WaitAsync(cancellationToken);
        }
    }

    private static Producer ProducerFor(InProcessWindow window, int batchSize, int inFlight, Action<string>? saveResume = null, TimeProvider? time = null, long? limit = null) =>
        new(window, new ProducerSettings(batchSize, Every: null, Limit: limit, MaxRate: null, inFlight, FirstRetryDelay: TimeSpan.FromMilliseconds(1)), NullLogger.Instance, saveResume, time);

    [Fact]
    public async Task UpToKBatchesAreInFlightAndThePostsLandInTheOrderTheyWereRead()
    {
        // Arrange: the answers of batches 2 to 5 are held until batch 5 has been sent, which only a producer with 4 in
        // flight does (with fewer, the run would wait for ever); with more, batch 6 would join them.
        var fifthSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var window = new InProcessWindow
        {
            HoldAnswer = (sequence, _) =>
            {
                if (sequence == 5)
                {
                    fifthSent.TrySetResult();
                }

                return sequence is >= 2 and <= 5 ? fifthSent.Task : null;
            },
        };
        var producer = ProducerFor(window, batchSize: 5, inFlight: 4);

        // Act
        var outcome = await producer.RunAsync(Feed(Posts(50)), CancellationToken.None).WaitAsync(Deadline);

        // Assert
        Assert.Equal(4, window.MostInFlight);
        Assert.Equal(Texts(50), window.Applied);
        Assert.Equal(Enumerable.Range(1, 10).Select(sequence => ((long)sequence, 1)), window.Calls.OrderBy(call => call.Sequence));
        Assert.Equal((50L, 50L, 50L, 0L), (outcome.Read, outcome.Sent, outcome.Accepted, outcome.Rejected));
    }

    [Fact]
    public async Task AnswersThatComeOutOfOrderAreTalliedOnceEachWithThePostsInReadOrder()
    {
        // Arrange: batch 3 is answered before batch 2 (the window applied 2 first, as it applies in number order).
        var thirdAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var window = new InProcessWindow
        {
            HoldAnswer = (sequence, _) => sequence switch
            {
                2 => thirdAnswered.Task,
                3 => Task.Run(thirdAnswered.SetResult),
                _ => null,
            },
        };
        var producer = ProducerFor(window, batchSize: 2, inFlight: 3);

        // Act
        var outcome = await producer.RunAsync(Feed(Posts(10)), CancellationToken.None).WaitAsync(Deadline);

        // Assert
        Assert.Equal(Texts(10), window.Applied);
        Assert.Equal((10L, 10L), (outcome.Sent, outcome.Accepted));
        Assert.All(window.Calls, call => Assert.Equal(1, call.Attempt));
    }

    [Fact]
    public async Task ABatchFailingWithAConnectionErrorIsSentAgainWithTheSameNumberAndThoseBehindItFollowInOrder()
    {
        // Arrange: batch 3's first attempt is lost before the window; batches 4 and 5, arriving ahead of it, are deferred.
        var window = new InProcessWindow
        {
            DeferOutOfOrder = true,
            Fail = (sequence, attempt) => sequence == 3 && attempt == 1 ? (new OrleansException("connection to the gateway lost"), false) : null,
        };
        var producer = ProducerFor(window, batchSize: 2, inFlight: 3);

        // Act
        var outcome = await producer.RunAsync(Feed(Posts(12)), CancellationToken.None).WaitAsync(Deadline);

        // Assert
        Assert.Equal(Texts(12), window.Applied);
        Assert.Contains((3L, 2), window.Calls);
        Assert.Equal(6, window.Calls.Select(call => call.Sequence).Distinct().Count());
        Assert.Equal((12L, 12L, false), (outcome.Sent, outcome.Accepted, outcome.Failed));
    }

    [Fact]
    public async Task ABatchWhoseAcknowledgementWasLostIsNotCountedTwice()
    {
        // Arrange: batch 2 is applied, then its answer times out; the retry finds it applied.
        var window = new InProcessWindow
        {
            Fail = (sequence, attempt) => sequence == 2 && attempt == 1 ? (new TimeoutException("no response within 5 s"), true) : null,
        };
        var producer = ProducerFor(window, batchSize: 3, inFlight: 2);

        // Act
        var outcome = await producer.RunAsync(Feed(Posts(9)), CancellationToken.None).WaitAsync(Deadline);

        // Assert
        Assert.Equal(Texts(9), window.Applied);
        Assert.Equal((9L, 9L), (outcome.Sent, outcome.Accepted));
        Assert.Contains((2L, 2), window.Calls);
    }

    [Fact]
    public async Task CtrlCWithBatchesInFlightSendsWhatWasReadAndWaitsForTheirAcknowledgements()
    {
        // Arrange: 7 posts, then a source with nothing more; batches 2 and 3 are answered only after the stop.
        using var stop = new CancellationTokenSource();
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        stop.Token.Register(stopped.SetResult);
        var window = new InProcessWindow { HoldAnswer = (sequence, _) => sequence >= 2 ? stopped.Task : null };
        var producer = ProducerFor(window, batchSize: 2, inFlight: 4);
        var run = producer.RunAsync(Feed(Posts(7), thenWaitFor: new TaskCompletionSource().Task), stop.Token);

        // Act
        await window.AppliedAsync(3).WaitAsync(Deadline);
        await stop.CancelAsync();
        var outcome = await run.WaitAsync(Deadline);

        // Assert
        Assert.Equal(Texts(7), window.Applied);
        Assert.Equal((7L, 7L, false), (outcome.Sent, outcome.Accepted, outcome.AbandonedInFlight));
    }

    [Fact]
    public async Task DeletionsTravelInTheirPlaceAmongThePosts()
    {
        // Arrange
        SourcedPost[] items =
        [
            SourcedPost.Valid(new Post("first", Id: "a"), "feed event 1"),
            SourcedPost.Deletion("old", "feed event 2"),
            SourcedPost.Valid(new Post("second", Id: "b"), "feed event 3"),
            SourcedPost.Invalid("feed event 4", "the post text is empty or whitespace only"),
            SourcedPost.Deletion("a", "feed event 5"),
        ];
        var window = new InProcessWindow();
        var producer = ProducerFor(window, batchSize: 2, inFlight: 2);

        // Act
        var outcome = await producer.RunAsync(Feed(items), CancellationToken.None).WaitAsync(Deadline);

        // Assert
        Assert.Equal(["first", "-old", "second", "-a"], window.Applied);
        Assert.Equal((5L, 4L, 2L, 2L, 1L), (outcome.Read, outcome.Sent, outcome.Accepted, outcome.Deleted, outcome.Rejected));
        Assert.Contains("sent=4 accepted=2 duplicates=0 deleted=2 rejected=1 elapsed=", outcome.Summary("beer"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheStateIsSavedOnlyWithTheResumeOfAcknowledgedItems()
    {
        // Arrange: batch 2 (posts 3 and 4) is answered late; the clock does not move, so only the first save and the
        // final one are due.
        var releaseSecond = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var saves = new List<string>();
        var window = new InProcessWindow { HoldAnswer = (sequence, _) => sequence == 2 ? releaseSecond.Task : null };
        var producer = ProducerFor(window, batchSize: 2, inFlight: 3, saveResume: saves.Add, time: new FakeTimeProvider());
        var run = producer.RunAsync(Feed(Posts(8)), CancellationToken.None);

        // Act
        await window.AppliedAsync(4).WaitAsync(Deadline);
        string[] whileSecondUnanswered;
        lock (saves)
        {
            whileSecondUnanswered = [.. saves];
        }

        releaseSecond.SetResult();
        await run.WaitAsync(Deadline);

        // Assert: after batch 1 (post 2), nothing from batches 3 and 4 while 2 was unanswered; at the end, post 8.
        Assert.Equal(["2"], whileSecondUnanswered);
        Assert.Equal(["2", "8"], saves);
    }

    [Fact]
    public async Task TheStateIsSavedAgainOnceASecondHasPassed()
    {
        // Arrange: every answer moves the clock on by 600 ms.
        var time = new FakeTimeProvider();
        var saves = new List<string>();
        var window = new InProcessWindow { HoldAnswer = (_, _) => { time.Advance(TimeSpan.FromMilliseconds(600)); return null; } };
        var producer = ProducerFor(window, batchSize: 1, inFlight: 1, saveResume: saves.Add, time: time);

        // Act
        await producer.RunAsync(Feed(Posts(5)), CancellationToken.None).WaitAsync(Deadline);

        // Assert: 1 at 0.6 s, 3 at 1.8 s (2 at 1.2 s was 0.6 s after the last save), 5 at 3.0 s.
        Assert.Equal(["1", "3", "5"], saves);
    }

    [Fact]
    public async Task ABatchTheWindowKeepsDeferringStopsTheRunWithAnErrorSayingPostsMayBeLost()
    {
        // Arrange: batches of 2; the window has lost track of the producer from batch 3 on (its storage rolled back),
        // and each of its answers comes 5 s after the one before.
        var time = new FakeTimeProvider();
        var window = new InProcessWindow
        {
            AnswerOutOfOrder = (sequence, _) =>
            {
                if (sequence != 3)
                {
                    return false;
                }

                time.Advance(TimeSpan.FromSeconds(5));
                return true;
            },
        };
        var logger = new RecordingLogger();
        var producer = new Producer(window, new ProducerSettings(2, null, null, null, 1, TimeSpan.FromTicks(1)), logger, time: time);

        // Act
        var outcome = await producer.RunAsync(Feed(Posts(10)), CancellationToken.None).WaitAsync(Deadline);

        // Assert: it gave up batch 3 after the allowed answers, sent nothing after it, and said why.
        Assert.True(outcome.Failed);
        Assert.Equal(Producer.MaxOutOfOrderAnswers, window.Calls.Count(call => call.Sequence == 3));
        Assert.DoesNotContain(window.Calls, call => call.Sequence > 3);
        Assert.Equal(Texts(4), window.Applied);
        Assert.Contains(logger.At(LogLevel.Error), message => message.Contains("may be lost", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AfterAnIdleSpellTheNextBatchGoesUnderANewProducerIdFromBatchOne()
    {
        // Arrange: batches of 2; the source is quiet for over an hour after post 2.
        var time = new FakeTimeProvider();
        var posts = Posts(8);
        var window = new InProcessWindow();
        var producer = ProducerFor(window, batchSize: 2, inFlight: 1, time: time);

        // Act
        var outcome = await producer.RunAsync(Quiet(), CancellationToken.None).WaitAsync(Deadline);

        // Assert: the window, which may have forgotten the first id meanwhile, sees the rest start at 1 under another.
        Assert.Equal(8, outcome.Accepted);
        Assert.Equal(Texts(8), window.Applied);
        Assert.Equal(2, window.Producers.Count);
        Assert.Equal([1L, 1, 2, 3], window.Calls.Select(call => call.Sequence));

        async IAsyncEnumerable<SourcedPost> Quiet()
        {
            for (var index = 0; index < posts.Length; index++)
            {
                if (index == 2)
                {
                    // Batch 1 went alone and was acknowledged before the source was asked for more.
                    await Task.Yield();
                    time.Advance(Producer.IdleRenewal + TimeSpan.FromMinutes(1));
                }

                yield return posts[index];
            }
        }
    }

    [Fact]
    public async Task WhenABatchCannotSucceedTheStateStillRecordsTheLastAcknowledged()
    {
        // Arrange: batches of 2; the third is refused for good.
        var saves = new List<string>();
        var window = new InProcessWindow { Fail = (sequence, _) => sequence == 3 ? (new ArgumentException("invalid batch"), false) : null };
        var producer = ProducerFor(window, batchSize: 2, inFlight: 1, saveResume: saves.Add, time: new FakeTimeProvider());

        // Act
        var outcome = await producer.RunAsync(Feed(Posts(8)), CancellationToken.None).WaitAsync(Deadline);

        // Assert: batches 1 and 2 (posts 1-4) were acknowledged, so a restart goes on after post 4.
        Assert.True(outcome.Failed);
        Assert.Equal("4", saves[^1]);
    }

    [Fact]
    public async Task ABatchFailingWithAnUnexpectedErrorEndsTheRunNamingTheBatchNotTheSource()
    {
        // Arrange: the third batch's answer cannot be read (as when a silo sends an exception type this client lacks).
        var saves = new List<string>();
        var window = new InProcessWindow { Fail = (sequence, _) => sequence == 3 ? (new TypeLoadException("Unable to load Some.Provider.StorageException"), false) : null };
        var producer = ProducerFor(window, batchSize: 2, inFlight: 1, saveResume: saves.Add, time: new FakeTimeProvider());

        // Act
        var outcome = await producer.RunAsync(Feed(Posts(8)), CancellationToken.None).WaitAsync(Deadline);

        // Assert: a failed run, not a broken source, and batches 1 and 2 (posts 1-4) still recorded as acknowledged.
        Assert.True(outcome.Failed);
        Assert.False(outcome.SourceFailed);
        Assert.Equal("4", saves[^1]);
    }

    [Fact]
    public async Task ASourceThatBreaksEndsTheRunAfterSendingWhatItGaveAndSavingTheState()
    {
        // Arrange: a source that gives five posts, then fails.
        var saves = new List<string>();
        var window = new InProcessWindow();
        var producer = ProducerFor(window, batchSize: 2, inFlight: 1, saveResume: saves.Add, time: new FakeTimeProvider());

        static async IAsyncEnumerable<SourcedPost> Broken()
        {
            foreach (var item in Posts(5))
            {
                yield return item;
            }

            await Task.Yield();
            throw new IOException("the disk went away");
        }

        // Act
        var outcome = await producer.RunAsync(Broken(), CancellationToken.None).WaitAsync(Deadline);

        // Assert
        Assert.True(outcome.SourceFailed);
        Assert.False(outcome.Failed);
        Assert.Equal(Texts(5), window.Applied);
        Assert.Equal("5", saves[^1]);
        Assert.EndsWith("(stopped: the source failed)", outcome.Summary("beer"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountCountsPostsAndInvalidLinesButNotAFeedsDeletions()
    {
        // Arrange: deletions between the posts, as a live feed passes on deletions of posts on any topic.
        var window = new InProcessWindow();
        var producer = ProducerFor(window, batchSize: 10, inFlight: 1, limit: 3);
        SourcedPost[] items = [.. Posts(5).SelectMany((post, index) => new[] { SourcedPost.Deletion($"gone{index}", $"deletion {index}"), post })];

        // Act
        var outcome = await producer.RunAsync(Feed(items), CancellationToken.None).WaitAsync(Deadline);

        // Assert: three posts, and the deletions read before the third ("-" and the id, as the window records them).
        Assert.Equal(["-gone0", "post 1", "-gone1", "post 2", "-gone2", "post 3"], window.Applied);
        Assert.Equal(6, outcome.Read);
    }
}
