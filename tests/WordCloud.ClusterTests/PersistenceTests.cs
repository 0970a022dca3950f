using WordCloud.Abstractions;

namespace WordCloud.ClusterTests;

[Collection(ClusterCollection.Name)]
public sealed class PersistenceTests(ClusterFixture fixture)
{
    [Fact]
    public async Task TheWindowSurvivesDeactivation()
    {
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        var management = fixture.GrainFactory.GetGrain<IManagementGrain>(0);
        var grainId = grain.GetGrainId();
        // Every field, and texts no UTF-8 round trip would keep (a lone surrogate), must come back as they went in.
        await grain.AppendAsync(PostBatch.Encode(Enumerable.Range(0, 70).Select(i => new Post(
            i % 7 == 0 ? $"kept {i} alpha café \ud800" : $"kept {i} alpha",
            Id: $"id{i}",
            Author: $"a{i}",
            CreatedAt: new DateTimeOffset(2026, 11, 26, 4, 0, i % 60, TimeSpan.FromMinutes(i % 2 == 0 ? 330 : -120)),
            Source: i % 3 == 0 ? null : "test")).ToList()));
        var postsBefore = await grain.ReadAllPostsAsync();
        var topBefore = (await grain.GetCloudAsync(10, 0)).Words;

        await management.DeactivateGrain(grainId);
        var activeAfterDeactivation = await management.GetActiveGrains(grainId.Type);
        var postsAfter = await grain.ReadAllPostsAsync();
        var topAfter = (await grain.GetCloudAsync(10, 0)).Words;
        var statsAfter = await grain.GetStatsAsync();

        Assert.DoesNotContain(grainId, activeAfterDeactivation);
        Assert.Contains(grainId, await management.GetActiveGrains(grainId.Type));
        Assert.Equal(postsBefore, postsAfter);
        Assert.Equal(topBefore, topAfter);
        Assert.Equal(new WordCount("alpha", 50), topAfter[0]);
        Assert.Equal(new WordCount("kept", 50), topAfter[1]);
        Assert.Equal(new WindowStats(ClusterFixture.Capacity, ClusterFixture.Capacity, 70, 20, 3), statsAfter);
    }

    [Fact]
    public async Task DuplicatesAndDeletionsCrossTheWireAndSurviveDeactivation()
    {
        // Arrange: three posts with ids, then a batch replaying one, deleting another and deleting an unknown id.
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        var management = fixture.GrainFactory.GetGrain<IManagementGrain>(0);
        await grain.AppendAsync(PostBatch.Encode([new Post("hoppy stout", Id: "at://a/1"), new Post("crisp lager", Id: "at://a/2"), new Post("dark porter", Id: "at://a/3")]));
        using var builder = new PostBatchBuilder(3);
        builder.Add(new Post("hoppy stout", Id: "at://a/1"));
        builder.AddDeletion("at://a/2");
        builder.AddDeletion("at://a/unknown");

        // Act
        var result = await grain.AppendAsync(builder.Build("producer", 1));
        await management.DeactivateGrain(grain.GetGrainId());
        var replay = await grain.AppendAsync(PostBatch.Encode([new Post("crisp lager", Id: "at://a/2")]));

        // Assert
        Assert.Equal((0, 1, 1), (result.Accepted, result.Duplicates, result.Deleted));
        Assert.Equal((0, 1), (replay.Accepted, replay.Duplicates));
        Assert.Equal(["hoppy stout", "dark porter"], (await grain.ReadAllPostsAsync()).Select(post => post.Text));
        Assert.DoesNotContain((await grain.GetCloudAsync(10, 0)).Words, word => word.Word is "crisp" or "lager");
        Assert.Equal(new WindowStats(ClusterFixture.Capacity, 2, 3, 0, 4, TotalDuplicates: 2, TotalDeleted: 1), await grain.GetStatsAsync());
    }
}

/// <summary>The window saved in segments: what comes back after deactivation is exactly what was held.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SegmentedPersistenceTests(ClusterFixture fixture)
{
    [Theory]
    [InlineData(1, 7)]
    [InlineData(30, 3)]
    [InlineData(100, 1)]
    [InlineData(3, 60)]
    public async Task AWindowSavedBatchByBatchComesBackWhole(int batchSize, int batches)
    {
        // Arrange: batches that fill segments partly, cross segment ends and push whole segments out of the window.
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        var number = 0;
        for (var batch = 1; batch <= batches; batch++)
        {
            await grain.AppendAsync(PostBatch.Encode([.. Enumerable.Range(0, batchSize).Select(_ => new Post($"post{++number} stout"))], "p", batch));
        }

        var before = await grain.ReadAllPostsAsync();
        var statsBefore = await grain.GetStatsAsync();

        // Act
        await fixture.GrainFactory.GetGrain<IManagementGrain>(0).DeactivateGrain(grain.GetGrainId());
        var after = await grain.ReadAllPostsAsync();
        var statsAfter = await grain.GetStatsAsync();
        var retry = await grain.AppendAsync(PostBatch.Encode([new Post("retried")], "p", batches));

        // Assert
        Assert.Equal(Enumerable.Range(Math.Max(1, number - ClusterFixture.Capacity + 1), Math.Min(number, ClusterFixture.Capacity)).Select(index => $"post{index} stout"), after.Select(post => post.Text));
        Assert.Equal(before, after);
        Assert.Equal(statsBefore, statsAfter);
        Assert.True(retry.AlreadyApplied);
    }

    [Fact]
    public async Task VariedBatchesAreStoredUnderFewKeysAndComeBackExactly()
    {
        // Arrange: batches that fill 16-post segments partly, cross their ends and evict from a window of 50.
        var grain = fixture.GrainFactory.GetGrain<IWordWindowGrain>(ClusterFixture.NewTopic());
        int[] sizes = [1, 3, 7, 16, 40];
        var number = 0;
        var batch = 0;

        for (var round = 0; round < 6; round++)
        {
            foreach (var size in sizes)
            {
                // Act
                await grain.AppendAsync(PostBatch.Encode([.. Enumerable.Range(0, size).Select(_ => new Post($"post{++number} stout"))], "p", ++batch));

                // Assert: after every acknowledged batch, storage lists few keys covering exactly what is held.
                var stored = await StoredWindow.ReadAsync(fixture.Cluster, grain.GetGrainId());
                stored.AssertFewConsecutiveKeys(ClusterFixture.SegmentSize, ClusterFixture.Capacity, ClusterFixture.InlinePosts);
                Assert.Equal(number, stored.Head.TotalAppended);
            }
        }

        var before = await grain.ReadAllPostsAsync();
        var statsBefore = await grain.GetStatsAsync();
        await fixture.GrainFactory.GetGrain<IManagementGrain>(0).DeactivateGrain(grain.GetGrainId());
        var after = await grain.ReadAllPostsAsync();
        var statsAfter = await grain.GetStatsAsync();
        Assert.Equal(Enumerable.Range(number - ClusterFixture.Capacity + 1, ClusterFixture.Capacity).Select(index => $"post{index} stout"), after.Select(post => post.Text));
        Assert.Equal(before, after);
        Assert.Equal(statsBefore, statsAfter);
    }
}
