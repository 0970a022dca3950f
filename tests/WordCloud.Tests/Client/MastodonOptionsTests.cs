using WordCloud.Client.Commands;
using WordCloud.Client.Sources;

namespace WordCloud.Tests.Client;

public sealed class MastodonOptionsTests
{
    private static IReadOnlyList<string> Errors(params string[] args) =>
        [.. new ProduceCommand().Parse(["--topic", "beer", "--source", "mastodon", .. args]).Errors.Select(error => error.Message)];

    [Fact]
    public void DefaultsAreMastodonSocialEveryTenSeconds()
    {
        var parse = new ProduceCommand().Parse(["--topic", "beer", "--source", "mastodon"]);

        Assert.Empty(parse.Errors);
        Assert.Equal([MastodonSettings.DefaultInstance], parse.GetValue(MastodonOptions.Instance)!);
        Assert.Equal(TimeSpan.FromSeconds(10), parse.GetValue(MastodonOptions.Poll));
    }

    [Fact]
    public void InstancesAreRepeatable()
    {
        var parse = new ProduceCommand().Parse(["--topic", "beer", "--source", "mastodon", "--instance", "https://a.example", "--instance", "http://b.example:8080"]);

        Assert.Empty(parse.Errors);
        Assert.Equal([new Uri("https://a.example"), new Uri("http://b.example:8080")], parse.GetValue(MastodonOptions.Instance)!);
    }

    [Theory]
    [InlineData("ftp://mastodon.example")]
    [InlineData("mastodon.social")]
    [InlineData("https://mastodon.social/?x=1")]
    public void InstanceMustBeAnHttpUrl(string instance)
    {
        var errors = Errors("--instance", instance);

        Assert.Contains(errors, error => error.Contains($"invalid --instance '{instance}'", StringComparison.Ordinal) && error.Contains("http:// or https://", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("500ms")]
    [InlineData("0.5s")]
    public void PollBelowOneSecondIsRejectedNamingTheRule(string poll)
    {
        var errors = Errors("--poll", poll);

        Assert.Contains(errors, error => error.Contains("invalid --poll", StringComparison.Ordinal) && error.Contains("at least 1s", StringComparison.Ordinal));
    }

    [Fact]
    public void PollThatIsNotADurationIsRejected()
    {
        var errors = Errors("--poll", "often");

        Assert.Contains(errors, error => error.Contains("invalid --poll 'often'", StringComparison.Ordinal));
    }

    [Fact]
    public void TokenForSeveralInstancesIsRejectedSoNoInstanceGetsAnothersToken()
    {
        var errors = Errors("--instance", "https://a.example", "--instance", "https://b.example", "--token", "s3cret");

        Assert.Contains(errors, error => error.Contains("--token", StringComparison.Ordinal) && error.Contains("one instance", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, error => error.Contains("s3cret", StringComparison.Ordinal));
    }
}
