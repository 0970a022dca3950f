using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using WordCloud.Abstractions;
using WordCloud.Grains.Windows;

namespace WordCloud.Tests.Windows;

/// <summary>
/// Windows stored by the previous version of the types (WordWindowHead and WindowSegment, commit faa5c9d) read as
/// today's: a window kept in Redis survives an upgrade. The bytes below were written by that version's serializer.
/// </summary>
public sealed class StoredFormatTests
{
    private const string PreviousHead =
        "20000D0119010D21000321E840057031011D0109E0E0010121000341177365676D656E742D302D61E00111011121E8403101107461696C206F6E6506696434"
        + "00107461696C2074776F0109E0E0";

    private const string PreviousSegment = "20E8000D21E021E84021021468656C6420746872656506616E6E0105E0E0";

    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void AHeadOfThePreviousVersionReadsWithEveryField()
    {
        var head = Serializer.Deserialize<StoredWindowHead>(Convert.FromHexString(PreviousHead))!;

        Assert.Equal((3, 6, 3), (head.First, head.TotalAppended, head.TotalEvicted));
        Assert.Equal([new ProducerProgress("p1", 7, 2)], head.Producers);
        Assert.Equal(["segment-0-a"], head.SegmentKeys);
        Assert.Equal((4, 4L), (head.SegmentSize, head.TailFirst));
        Assert.Equal([new Post("tail one", "id4"), new Post("tail two")], head.Tail!.ReadAll());
    }

    [Fact]
    public void ASegmentOfThePreviousVersionReadsWithItsPosts()
    {
        var segment = Serializer.Deserialize<StoredSegment>(Convert.FromHexString(PreviousSegment))!;

        Assert.Equal(3, segment.First);
        Assert.Equal([new Post("held three", Author: "ann")], segment.Posts.ReadAll());
    }

    [Fact]
    public void TodaysHeadAndSegmentReadBackWithEveryField()
    {
        // The same head and segment as the previous version's bytes hold; today's bytes lack its member 4, since removed.
        var head = new StoredWindowHead
        {
            First = 3,
            TotalAppended = 6,
            TotalEvicted = 3,
            Producers = [new ProducerProgress("p1", 7, 2)],
            SegmentKeys = ["segment-0-a"],
            SegmentSize = 4,
            TailFirst = 4,
            Tail = TestPosts.Stored(new Post("tail one", "id4"), new Post("tail two")),
        };
        var segment = new StoredSegment(3, TestPosts.Stored(new Post("held three", Author: "ann")));

        var headRead = Serializer.Deserialize<StoredWindowHead>(Serializer.SerializeToArray(head))!;
        var segmentRead = Serializer.Deserialize<StoredSegment>(Serializer.SerializeToArray(segment))!;

        Assert.Equal((3, 6, 3, 4, 4L), (headRead.First, headRead.TotalAppended, headRead.TotalEvicted, headRead.SegmentSize, headRead.TailFirst));
        Assert.Equal(head.Producers, headRead.Producers);
        Assert.Equal(head.SegmentKeys, headRead.SegmentKeys);
        Assert.Equal(head.Tail.ReadAll(), headRead.Tail!.ReadAll());
        Assert.Equal(3, segmentRead.First);
        Assert.Equal(segment.Posts.ReadAll(), segmentRead.Posts.ReadAll());
    }
}
