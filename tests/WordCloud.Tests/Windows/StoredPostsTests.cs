using WordCloud.Abstractions;
using WordCloud.Grains.Windows;
using static WordCloud.Tests.TestPosts;

namespace WordCloud.Tests.Windows;

public sealed class StoredPostsTests
{
    [Theory]
    [InlineData(1, "hold more than the 1 posts")]
    [InlineData(3, "hold 2 posts, not 3")]
    public void StoredBytesThatDoNotMatchTheirCountAreRefused(int count, string why)
    {
        var stored = new StoredPosts([.. BytesOf(new Post("one")), .. BytesOf(new Post("two"))], count);

        var refused = Assert.Throws<InvalidDataException>(stored.ReadAll);

        Assert.Contains(why, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void StoredCountsNoBytesCouldHoldAreRefusedNamingTheCount(int count)
    {
        var stored = new StoredPosts(BytesOf(new Post("one")), count);

        var refused = Assert.Throws<InvalidDataException>(stored.ReadAll);

        Assert.Contains($"a count of {count}", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DamagedStoredBytesAreRefusedAsDamagedDataWhereverTheyAreCut()
    {
        // Arrange: two posts with every field, cut short at each length, and with a byte that is no post's flags.
        var whole = BytesOf(new Post("first stout", "id1", "ann", DateTimeOffset.UnixEpoch, "file")).Concat(BytesOf(new Post("second"))).ToArray();
        byte[] badFlags = [0xFF, .. whole];

        // Act
        var refusals = Enumerable.Range(1, whole.Length - 1)
            .Select(length => Record.Exception(() => new StoredPosts(whole[..length], 2).ReadAll()))
            .Append(Record.Exception(() => new StoredPosts(badFlags, 3).ReadAll()))
            .ToArray();

        // Assert: every one refused as damaged data (the grain then logs the window as damaged), none with another error.
        Assert.All(refusals, refusal => Assert.IsType<InvalidDataException>(refusal));
        Assert.Equal(2, new StoredPosts(whole, 2).ReadAll().Length);
    }
}
