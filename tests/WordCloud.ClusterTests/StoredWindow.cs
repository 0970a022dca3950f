using System.Numerics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using WordCloud.Grains;
using WordCloud.Grains.Storage;
using WordCloud.Grains.Windows;

namespace WordCloud.ClusterTests;

/// <summary>A window's head and the segments it names, read from the grain storage of a test cluster's silo.</summary>
public sealed record class StoredWindow(StoredWindowHead Head, StoredSegment[] Segments)
{
    public static async Task<StoredWindow> ReadAsync(TestCluster cluster, GrainId grainId)
    {
        var silo = Assert.IsType<InProcessSiloHandle>(cluster.Primary);
        var storage = silo.SiloHost.Services.GetRequiredKeyedService<IGrainStorage>(WordWindowGrain.StorageName);
        var read = new GrainState<StoredWindowHead>();
        await storage.ReadStateAsync(GrainStorageWindowStore.HeadName, grainId, read);
        var head = Assert.IsType<StoredWindowHead>(read.State);
        var segments = new List<StoredSegment>();
        foreach (var key in head.SegmentKeys)
        {
            var segment = new GrainState<StoredSegment>();
            await storage.ReadStateAsync(key, grainId, segment);
            Assert.True(segment.RecordExists, $"segment {key} named by the head is not stored");
            segments.Add(Assert.IsType<StoredSegment>(segment.State));
        }

        return new StoredWindow(head, [.. segments]);
    }

    /// <summary>
    /// Asserts the bound on keys: one per complete segment number, at most ⌊log2 size⌋ + 1 for the newest; each segment
    /// within one segment number, consecutive with the next, together with the head's tail (at most
    /// <paramref name="inlinePosts"/> posts) covering the posts the head holds.
    /// </summary>
    public void AssertFewConsecutiveKeys(int segmentSize, int capacity, int inlinePosts)
    {
        Assert.InRange(Head.TailCount, 0, inlinePosts);
        if (Segments.Length == 0)
        {
            Assert.Equal(Head.TotalAppended - Head.First, Head.TailCount);
            Assert.Equal(Head.First, Head.TailFirst);
            return;
        }

        var perNumber = Segments.GroupBy(segment => segment.First / segmentSize).Select(group => group.Count()).ToArray();
        Assert.All(perNumber[..^1], count => Assert.Equal(1, count));
        Assert.InRange(perNumber[^1], 1, BitOperations.Log2((uint)segmentSize) + 1);
        Assert.InRange(perNumber.Length, 1, ((capacity + segmentSize - 1) / segmentSize) + 1);
        Assert.All(Segments, segment => Assert.Equal(segment.First / segmentSize, (segment.First + segment.Count - 1) / segmentSize));
        Assert.All(Segments.Zip(Segments.Skip(1)), pair => Assert.Equal(pair.First.First + pair.First.Count, pair.Second.First));
        Assert.InRange(Segments[0].First, 0, Head.First);
        Assert.Equal(Head.SegmentsEnd, Segments[^1].First + Segments[^1].Count);
        Assert.Equal(Head.TotalAppended, Head.SegmentsEnd + Head.TailCount);
    }
}
