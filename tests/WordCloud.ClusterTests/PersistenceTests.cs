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
        await grain.AppendAsync(Enumerable.Range(0, 70).Select(i => new Post($"kept {i} alpha", Author: $"a{i}")).ToList());
        var postsBefore = await grain.GetPostsAsync();
        var topBefore = await grain.GetTopWordsAsync(10);

        await management.DeactivateGrain(grainId);
        var activeAfterDeactivation = await management.GetActiveGrains(grainId.Type);
        var postsAfter = await grain.GetPostsAsync();
        var topAfter = await grain.GetTopWordsAsync(10);
        var statsAfter = await grain.GetStatsAsync();

        Assert.DoesNotContain(grainId, activeAfterDeactivation);
        Assert.Contains(grainId, await management.GetActiveGrains(grainId.Type));
        Assert.Equal(postsBefore, postsAfter);
        Assert.Equal(topBefore, topAfter);
        Assert.Equal([new WordCount("alpha", 50), new WordCount("kept", 50)], topAfter);
        Assert.Equal(new WindowStats(ClusterFixture.Capacity, ClusterFixture.Capacity, 70, 20, 2), statsAfter);
    }
}
