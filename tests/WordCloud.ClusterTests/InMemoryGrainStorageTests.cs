using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using WordCloud.Abstractions;
using WordCloud.Grains;
using WordCloud.Grains.Windows;

namespace WordCloud.ClusterTests;

/// <summary>The embedded cluster's grain storage, used directly through a silo's provider, as grains use it.</summary>
[Collection(ClusterCollection.Name)]
public sealed class InMemoryGrainStorageTests(ClusterFixture fixture)
{
    private IGrainStorage Storage(int silo = 0) => Assert.IsType<InProcessSiloHandle>(fixture.Cluster.Silos[silo]).SiloHost.Services
        .GetRequiredKeyedService<IGrainStorage>(WordWindowGrain.StorageName);

    private static GrainId NewGrainId() => GrainId.Create("test", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task AMissingRecordReadsAsAFreshStateWithNoETag()
    {
        var state = new GrainState<WordWindowHead>();

        await Storage().ReadStateAsync("head", NewGrainId(), state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.NotNull(state.State);
        Assert.Empty(state.State.SegmentKeys);
    }

    [Fact]
    public async Task AWrittenStateReadsBackOnEverySilo()
    {
        var grainId = NewGrainId();
        var written = new GrainState<WindowSegment>(new WindowSegment(7, [new Post("stored post", Author: "ann")]));

        await Storage(0).WriteStateAsync("seg", grainId, written);
        var read = new GrainState<WindowSegment>();
        await Storage(1).ReadStateAsync("seg", grainId, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.NotNull(read.ETag);
        Assert.NotNull(read.State);
        Assert.Equal(7, read.State.First);
        Assert.Equal("stored post", Assert.Single(read.State.ReadPosts()).Text);
    }

    [Fact]
    public async Task AWriteNamingAnOlderETagIsRefusedAndNamesTheKey()
    {
        var grainId = NewGrainId();
        var first = new GrainState<WindowSegment>(new WindowSegment(0, [new Post("one")]));
        await Storage().WriteStateAsync("seg", grainId, first);
        var stale = new GrainState<WindowSegment>(first.State) { ETag = first.ETag };
        await Storage().WriteStateAsync("seg", grainId, first);

        var refused = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage().WriteStateAsync("seg", grainId, stale));

        Assert.Contains($"{grainId}/seg", refused.Message);
        Assert.Contains(stale.ETag!, refused.Message);
        var read = new GrainState<WindowSegment>();
        await Storage().ReadStateAsync("seg", grainId, read);
        Assert.Equal(first.ETag, read.ETag);
    }

    [Fact]
    public async Task AClearNamingAnOlderETagIsRefusedAndTheRecordStays()
    {
        var grainId = NewGrainId();
        var state = new GrainState<WindowSegment>(new WindowSegment(0, [new Post("kept")]));
        await Storage().WriteStateAsync("seg", grainId, state);
        var stale = new GrainState<WindowSegment>(state.State) { ETag = "not-the-stored-etag" };

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage().ClearStateAsync("seg", grainId, stale));

        var read = new GrainState<WindowSegment>();
        await Storage().ReadStateAsync("seg", grainId, read);
        Assert.True(read.RecordExists);
    }

    [Fact]
    public async Task AClearedRecordIsGoneAndItsKeyCanBeWrittenAgain()
    {
        var grainId = NewGrainId();
        var state = new GrainState<WindowSegment>(new WindowSegment(0, [new Post("gone")]));
        await Storage().WriteStateAsync("seg", grainId, state);
        var etagBeforeClear = state.ETag;

        await Storage().ClearStateAsync("seg", grainId, state);
        var read = new GrainState<WindowSegment>();
        await Storage().ReadStateAsync("seg", grainId, read);
        Assert.False(read.RecordExists);
        Assert.Null(state.ETag);

        // With no record under the key any ETag is taken, as after the store's silo was lost.
        var again = new GrainState<WindowSegment>(new WindowSegment(3, [new Post("again")])) { ETag = etagBeforeClear };
        await Storage().WriteStateAsync("seg", grainId, again);
        await Storage().ReadStateAsync("seg", grainId, read);
        Assert.NotNull(read.State);
        Assert.Equal(3, read.State.First);
        Assert.NotEqual(etagBeforeClear, read.ETag);
    }
}
