using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Storage;
using Orleans.TestingHost;
using WordCloud.Abstractions;
using WordCloud.Grains;
using WordCloud.Grains.Storage;
using WordCloud.Grains.Windows;

namespace WordCloud.ClusterTests;

/// <summary>The embedded cluster's grain storage, used directly through a silo's provider, as grains use it.</summary>
[Collection(ClusterCollection.Name)]
public sealed class InMemoryGrainStorageTests(ClusterFixture fixture)
{
    private IGrainStorage Storage(int silo = 0) => Assert.IsType<InProcessSiloHandle>(fixture.Cluster.Silos[silo]).SiloHost.Services
        .GetRequiredKeyedService<IGrainStorage>(WordWindowGrain.StorageName);

    private static GrainId NewGrainId() => GrainId.Create("test", Guid.NewGuid().ToString("N"));

    /// <summary><paramref name="posts"/> as a window stores them.</summary>
    private static StoredPosts Stored(params Post[] posts)
    {
        var bytes = new byte[posts.Sum(PostBytes.MaxSize)];
        var length = 0;
        foreach (var post in posts)
        {
            length += PostBytes.Write(post, bytes.AsSpan(length));
        }

        return new StoredPosts(bytes[..length], posts.Length);
    }

    [Fact]
    public void StoresAreNeitherCollectedWhenIdleNorMovedAndStartBesideTheirFirstUser()
    {
        var properties = GrainManifest.PropertiesOf(fixture.Cluster, "WordCloud.Grains.Storage.IMemoryStoreGrain");

        Assert.True(properties.TryGetValue(WellKnownGrainTypeProperties.IdleDeactivationPeriod, out var idle), "no idle deactivation period");
        Assert.Equal(WellKnownGrainTypeProperties.IndefiniteIdleDeactivationPeriodValue, idle);
        Assert.True(properties.ContainsKey(WellKnownGrainTypeProperties.Immovable), "not immovable");
        Assert.Equal(nameof(PreferLocalPlacement), properties.GetValueOrDefault(WellKnownGrainTypeProperties.PlacementStrategy));
    }

    [Fact]
    public async Task AMissingRecordReadsAsAFreshStateWithNoETag()
    {
        var state = new GrainState<StoredWindowHead>();

        await Storage().ReadStateAsync(GrainStorageWindowStore.HeadName, NewGrainId(), state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.NotNull(state.State);
        Assert.Empty(state.State.SegmentKeys);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task AWrittenStateReadsBackOnEverySilo(int readingSilo)
    {
        var grainId = NewGrainId();
        var posts = Enumerable.Range(0, 40).Select(index => new Post($"stored post number {index} about #beer", Author: "ann")).ToArray();
        var written = new GrainState<StoredSegment>(new StoredSegment(7, Stored(posts)));

        await Storage(0).WriteStateAsync("seg", grainId, written);
        var read = new GrainState<StoredSegment>();
        await Storage(readingSilo).ReadStateAsync("seg", grainId, read);

        Assert.True(read.RecordExists);
        Assert.NotNull(read.ETag);
        Assert.Equal(written.ETag, read.ETag);
        Assert.NotNull(read.State);
        Assert.Equal(7, read.State.First);
        Assert.Equal(posts, read.State.Posts.ReadAll());
    }

    [Fact]
    public async Task AFirstWriteOverAnExistingRecordIsRefused()
    {
        // A second activation of a grain that never read the record must not overwrite it.
        var grainId = NewGrainId();
        await Storage().WriteStateAsync("seg", grainId, new GrainState<StoredSegment>(new StoredSegment(1, Stored(new Post("first")))));
        var unaware = new GrainState<StoredSegment>(new StoredSegment(2, Stored(new Post("second"))));

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage(1).WriteStateAsync("seg", grainId, unaware));

        var read = new GrainState<StoredSegment>();
        await Storage().ReadStateAsync("seg", grainId, read);
        Assert.NotNull(read.State);
        Assert.Equal(1, read.State.First);
    }

    [Fact]
    public async Task OfTwoWritesNamingTheSameETagExactlyOneIsTaken()
    {
        var grainId = NewGrainId();
        var original = new GrainState<StoredSegment>(new StoredSegment(0, Stored(new Post("original"))));
        await Storage().WriteStateAsync("seg", grainId, original);
        var writers = Enumerable.Range(1, 2)
            .Select(index => new GrainState<StoredSegment>(new StoredSegment(index, Stored(new Post($"writer {index}")))) { ETag = original.ETag })
            .ToArray();

        var outcomes = await Task.WhenAll(writers.Select(async (writer, index) =>
        {
            try
            {
                await Storage(index).WriteStateAsync("seg", grainId, writer);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        Assert.Single(outcomes, taken => taken);
        var read = new GrainState<StoredSegment>();
        await Storage().ReadStateAsync("seg", grainId, read);
        var winner = writers[Array.IndexOf(outcomes, true)];
        Assert.Equal(winner.ETag, read.ETag);
        Assert.NotNull(read.State);
        Assert.Equal(winner.State!.First, read.State.First);
    }

    [Fact]
    public async Task AWriteNamingAnOlderETagIsRefusedAndNamesTheKey()
    {
        var grainId = NewGrainId();
        var first = new GrainState<StoredSegment>(new StoredSegment(0, Stored(new Post("one"))));
        await Storage().WriteStateAsync("seg", grainId, first);
        var stale = new GrainState<StoredSegment>(first.State) { ETag = first.ETag };
        await Storage().WriteStateAsync("seg", grainId, first);

        var refused = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage().WriteStateAsync("seg", grainId, stale));

        Assert.Contains($"{grainId}/seg", refused.Message);
        Assert.Contains(stale.ETag!, refused.Message);
        var read = new GrainState<StoredSegment>();
        await Storage().ReadStateAsync("seg", grainId, read);
        Assert.Equal(first.ETag, read.ETag);
    }

    [Fact]
    public async Task AClearNamingAnOlderETagIsRefusedAndTheRecordStays()
    {
        var grainId = NewGrainId();
        var state = new GrainState<StoredSegment>(new StoredSegment(0, Stored(new Post("kept"))));
        await Storage().WriteStateAsync("seg", grainId, state);
        var stale = new GrainState<StoredSegment>(state.State) { ETag = "not-the-stored-etag" };

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage().ClearStateAsync("seg", grainId, stale));

        var read = new GrainState<StoredSegment>();
        await Storage().ReadStateAsync("seg", grainId, read);
        Assert.True(read.RecordExists);
    }

    [Fact]
    public async Task AClearedRecordIsGoneAndItsKeyCanBeWrittenAgain()
    {
        var grainId = NewGrainId();
        var state = new GrainState<StoredSegment>(new StoredSegment(0, Stored(new Post("gone"))));
        await Storage().WriteStateAsync("seg", grainId, state);
        var etagBeforeClear = state.ETag;
        var stateBeforeClear = state.State;

        await Storage().ClearStateAsync("seg", grainId, state);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.NotNull(state.State);
        Assert.NotSame(stateBeforeClear, state.State);
        var read = new GrainState<StoredSegment>();
        await Storage().ReadStateAsync("seg", grainId, read);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);

        // A writer holding an ETag from before the clear is refused, as after the store's silo was lost (and as by the
        // Redis provider); a first write, naming none, brings the key back.
        var stale = new GrainState<StoredSegment>(new StoredSegment(3, Stored(new Post("stale")))) { ETag = etagBeforeClear };
        var refused = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage().WriteStateAsync("seg", grainId, stale));
        var again = new GrainState<StoredSegment>(new StoredSegment(3, Stored(new Post("again"))));
        await Storage().WriteStateAsync("seg", grainId, again);
        await Storage().ReadStateAsync("seg", grainId, read);
        Assert.Contains("there is no record", refused.Message, StringComparison.Ordinal);
        Assert.NotNull(read.State);
        Assert.Equal(3, read.State.First);
        Assert.NotEqual(etagBeforeClear, read.ETag);
    }

    [Fact]
    public async Task AWriteNamingAnETagWhereThereIsNoRecordIsRefused()
    {
        var state = new GrainState<StoredSegment>(new StoredSegment(0, Stored(new Post("lost")))) { ETag = "lost-1", RecordExists = true };

        var refused = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage().WriteStateAsync("head", NewGrainId(), state));

        Assert.Contains("'lost-1'", refused.Message, StringComparison.Ordinal);
        Assert.Equal("lost-1", state.ETag);
    }

    [Fact]
    public async Task AnImmutableStateIsKeptAsItIsSoReadsBesideItsStoreShareIt()
    {
        var grainId = NewGrainId();
        var segment = new GrainState<StoredSegment>(new StoredSegment(5, Stored(new Post("kept as it is"))));
        await Storage(0).WriteStateAsync("seg", grainId, segment);

        // The store sits on one of the two silos: there, both reads hand out the object it keeps; on the other, each
        // read makes a copy from the call's message. Kept serialised, every read would be a copy.
        var sharedOnSilos = await SilosWhereTwoReadsShareTheState<StoredSegment>("seg", grainId);

        Assert.Single(sharedOnSilos);
    }

    [Fact]
    public async Task AMutableStateIsKeptSerialisedSoEveryReadIsACopy()
    {
        var grainId = NewGrainId();
        await Storage(0).WriteStateAsync("topics", grainId, new GrainState<TopicDirectoryState>(new TopicDirectoryState { Topics = { "beer" } }));

        var sharedOnSilos = await SilosWhereTwoReadsShareTheState<TopicDirectoryState>("topics", grainId);

        Assert.Empty(sharedOnSilos);
    }

    private async Task<int[]> SilosWhereTwoReadsShareTheState<T>(string stateName, GrainId grainId)
        where T : class
    {
        var shared = new List<int>();
        for (var silo = 0; silo < fixture.Cluster.Silos.Count; silo++)
        {
            var first = new GrainState<T>();
            var second = new GrainState<T>();
            await Storage(silo).ReadStateAsync(stateName, grainId, first);
            await Storage(silo).ReadStateAsync(stateName, grainId, second);
            Assert.True(first.RecordExists);
            if (ReferenceEquals(first.State, second.State))
            {
                shared.Add(silo);
            }
        }

        return [.. shared];
    }
}
