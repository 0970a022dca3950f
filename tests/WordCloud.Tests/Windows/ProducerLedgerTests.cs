using WordCloud.Grains.Windows;

namespace WordCloud.Tests.Windows;

public sealed class ProducerLedgerTests
{
    [Fact]
    public void ABatchIsAppliedOnceItsNumberOrALaterOneWasRecorded()
    {
        var ledger = new ProducerLedger();

        ledger.Record("a", 5);

        Assert.True(ledger.IsApplied("a", 5));
        Assert.True(ledger.IsApplied("a", 4));
        Assert.False(ledger.IsApplied("a", 6));
        Assert.False(ledger.IsApplied("b", 1));
    }

    [Fact]
    public void SavedProgressRestoresTheSameAnswers()
    {
        var ledger = new ProducerLedger();
        ledger.Record("a", 3);
        ledger.Record("b", 9);

        var restored = new ProducerLedger();
        restored.Restore(ledger.Save());

        Assert.True(restored.IsApplied("a", 3));
        Assert.True(restored.IsApplied("b", 9));
        Assert.False(restored.IsApplied("b", 10));
        Assert.Equal(ledger.Save(), restored.Save());
    }

    [Fact]
    public void OnlyTheMostRecentlySeenProducersAreKept()
    {
        var ledger = new ProducerLedger();
        ledger.Record("first", 1);
        for (var index = 0; index < ProducerLedger.MaxProducers; index++)
        {
            ledger.Record($"p{index}", 1);
        }

        Assert.Equal(ProducerLedger.MaxProducers, ledger.Save().Length);
        Assert.False(ledger.IsApplied("first", 1));
        Assert.True(ledger.IsApplied($"p{ProducerLedger.MaxProducers - 1}", 1));
    }

    [Fact]
    public void RecordingAProducerAgainMakesItRecent()
    {
        var ledger = new ProducerLedger();
        ledger.Record("kept", 1);
        ledger.Record("dropped", 1);
        ledger.Record("kept", 2);
        for (var index = 0; index < ProducerLedger.MaxProducers - 1; index++)
        {
            ledger.Record($"p{index}", 1);
        }

        Assert.True(ledger.IsApplied("kept", 2));
        Assert.False(ledger.IsApplied("dropped", 1));
    }
}
