using Microsoft.Extensions.Time.Testing;
using WordCloud.Grains.Windows;

namespace WordCloud.Tests.Windows;

public sealed class ProducerLedgerTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void ABatchIsAppliedOnceItsNumberOrALaterOneWasRecorded()
    {
        var ledger = new ProducerLedger(_time);

        ledger.Record("a", 5);

        Assert.True(ledger.IsApplied("a", 5));
        Assert.True(ledger.IsApplied("a", 4));
        Assert.False(ledger.IsApplied("a", 6));
        Assert.False(ledger.IsApplied("b", 1));
    }

    [Fact]
    public void AProducerTheLedgerDoesNotKnowStartsAtBatchOne()
    {
        var ledger = new ProducerLedger(_time);
        ledger.Record("known", 7);

        Assert.False(ledger.IsAhead("new", 1));
        Assert.True(ledger.IsAhead("new", 2));
        Assert.False(ledger.IsAhead("known", 8));
        Assert.True(ledger.IsAhead("known", 9));
    }

    [Fact]
    public void SavedProgressRestoresTheSameAnswers()
    {
        var ledger = new ProducerLedger(_time);
        ledger.Record("a", 3);
        ledger.Record("b", 9);

        var restored = new ProducerLedger(_time);
        restored.Restore(ledger.Save());

        Assert.True(restored.IsApplied("a", 3));
        Assert.True(restored.IsApplied("b", 9));
        Assert.False(restored.IsApplied("b", 10));
        Assert.Equal(ledger.Save(), restored.Save());
    }

    [Fact]
    public void AProducerIsForgottenOnlyOnceIdleForLongerThanTheRetention()
    {
        var ledger = new ProducerLedger(_time);
        ledger.Record("idle", 1);
        ledger.Record("busy", 1);

        _time.Advance(ProducerLedger.Retention - TimeSpan.FromMinutes(1));
        ledger.Record("busy", 2);
        var kept = ledger.Save();
        _time.Advance(TimeSpan.FromMinutes(2));
        var later = ledger.Save();

        Assert.Equal(["idle", "busy"], kept.Select(progress => progress.ProducerId));
        Assert.Equal(["busy"], later.Select(progress => progress.ProducerId));
        Assert.True(ledger.IsAhead("idle", 2));
    }

    [Fact]
    public void ManyNewProducersDoNotPushOutOneUsedWithinTheRetentionBelowTheCap()
    {
        var ledger = new ProducerLedger(_time);
        ledger.Record("real", 3);
        for (var index = 0; index < ProducerLedger.MaxProducers - 1; index++)
        {
            ledger.Record($"flood{index}", 1);
        }

        Assert.Equal(ProducerLedger.MaxProducers, ledger.Save().Length);
        Assert.True(ledger.IsApplied("real", 3));
    }

    [Fact]
    public void PastTheCapTheLeastRecentlyUsedProducerIsForgotten()
    {
        var ledger = new ProducerLedger(_time);
        ledger.Record("dropped", 1);
        ledger.Record("kept", 1);
        ledger.Record("dropped", 2);
        ledger.Record("kept", 2);
        for (var index = 0; index < ProducerLedger.MaxProducers - 1; index++)
        {
            ledger.Record($"p{index}", 1);
        }

        Assert.Equal(ProducerLedger.MaxProducers, ledger.Save().Length);
        Assert.True(ledger.IsApplied("kept", 2));
        Assert.False(ledger.IsApplied("dropped", 1));
    }

    [Fact]
    public void AProducerFromAHeadWithoutTimesOfUseCountsAsUsedAtLoad()
    {
        var ledger = new ProducerLedger(_time);
        ledger.Restore([new ProducerProgress("old", 4, 1)]);

        _time.Advance(ProducerLedger.Retention - TimeSpan.FromMinutes(1));
        var kept = ledger.Save();
        _time.Advance(TimeSpan.FromMinutes(2));
        var later = ledger.Save();

        Assert.Equal(["old"], kept.Select(progress => progress.ProducerId));
        Assert.Empty(later);
    }
}
