using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using WordCloud.Client.Commands;
using WordCloud.Client.Sources;

namespace WordCloud.Tests.Client;

public sealed class SourceOptionsTests
{
    private static ParseResult Parse(params string[] arguments) =>
        new RootCommand { new ProduceCommand() }.Parse(["produce", "--topic", "beer", .. arguments]);

    private static string Errors(ParseResult parse) => string.Join("\n", parse.Errors.Select(error => error.Message));

    [Theory]
    [InlineData(new string[0], PostSourceKind.Demo)]
    [InlineData(new[] { "--file", "posts.txt" }, PostSourceKind.File)]
    [InlineData(new[] { "--source", "file", "--file", "-" }, PostSourceKind.File)]
    [InlineData(new[] { "--source", "jetstream" }, PostSourceKind.Jetstream)]
    [InlineData(new[] { "--source", "Jetstream", "--lang", "en", "--lang", "pt-BR" }, PostSourceKind.Jetstream)]
    [InlineData(new[] { "--source", "jetstream", "--jetstream-url", "ws://127.0.0.1:5000/subscribe" }, PostSourceKind.Jetstream)]
    public void TheSourceIsTheOneChosenElseAFileWhenOneIsGivenElseTheDemoFeed(string[] arguments, PostSourceKind expected)
    {
        var parse = Parse(arguments);

        Assert.Empty(parse.Errors);
        Assert.Equal(expected, SourceOptions.KindOf(parse));
    }

    [Theory]
    [InlineData(new[] { "--source", "jetstream", "--jetstream-url", "http://127.0.0.1:5000/subscribe" }, "invalid --jetstream-url 'http://127.0.0.1:5000/subscribe': it must be a ws:// or wss:// URL")]
    [InlineData(new[] { "--source", "jetstream", "--jetstream-url", "jetstream.example" }, "invalid --jetstream-url 'jetstream.example'")]
    [InlineData(new[] { "--source", "jetstream", "--lang", "e1" }, "invalid --lang 'e1': a language tag is 1-8 letters")]
    [InlineData(new[] { "--source", "jetstream", "--instance", "https://mastodon.social" }, "--instance is for --source mastodon; the source here is jetstream")]
    [InlineData(new[] { "--poll", "30s" }, "--poll is for --source mastodon; the source here is demo")]
    [InlineData(new[] { "--source", "file" }, "--source file needs --file PATH")]
    [InlineData(new[] { "--source", "jetstream", "--file", "posts.txt" }, "--file is for --source file; --source jetstream does not read a file")]
    [InlineData(new[] { "--jetstream-url", "ws://127.0.0.1:5000/subscribe" }, "--jetstream-url is for --source jetstream; the source here is demo")]
    [InlineData(new[] { "--file", "posts.txt", "--lang", "en" }, "--lang is for a live feed (--source jetstream or mastodon); the source here is file")]
    public void ABadSourceOptionIsAUsageErrorThatNamesTheValueAndTheRule(string[] arguments, string expected)
    {
        var parse = Parse(arguments);

        Assert.Contains(expected, Errors(parse), StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultJetstreamIsBlueskysFirstPublicInstanceWithTheOthersAsFallbacks()
    {
        Assert.Equal(
            ["jetstream2.us-east.bsky.network", "jetstream1.us-east.bsky.network", "jetstream1.us-west.bsky.network", "jetstream2.us-west.bsky.network"],
            JetstreamSettings.PublicEndpoints.Select(endpoint => endpoint.Host));
        Assert.All(JetstreamSettings.PublicEndpoints, endpoint => Assert.Equal("wss://", $"{endpoint.Scheme}://"));
    }

    [Fact]
    public void JetstreamWithAUrlConnectsThereOnlyAndWithoutOneToTheFourPublicInstances()
    {
        var chosen = SourceOptions.Create(Parse("--source", "jetstream", "--jetstream-url", "ws://127.0.0.1:5000/subscribe", "--lang", "en"), "beer", resume: null, givesResume: false, NullLoggerFactory.Instance);
        var fallback = SourceOptions.Create(Parse("--source", "jetstream"), "beer", resume: null, givesResume: false, NullLoggerFactory.Instance);

        Assert.Equal("Bluesky Jetstream ws://127.0.0.1:5000/subscribe, posts tagged #beer in en", Assert.IsType<JetstreamSource>(chosen).Description);
        Assert.Equal("Bluesky Jetstream wss://jetstream2.us-east.bsky.network/subscribe (falling back to 3 more), posts tagged #beer", fallback.Description);
        Assert.Null(chosen.DefaultPace);
    }

    [Theory]
    [InlineData(new[] { "--source", "jetstream" }, "jetstream:bluesky public")]
    [InlineData(new[] { "--source", "jetstream", "--jetstream-url", "ws://127.0.0.1:5000/subscribe" }, "jetstream:ws://127.0.0.1:5000/subscribe")]
    [InlineData(new[] { "--source", "mastodon", "--instance", "https://b.example/", "--instance", "https://a.example" }, "mastodon:https://a.example https://b.example")]
    [InlineData(new[] { "--source", "mastodon" }, "mastodon:https://mastodon.social")]
    public void AStateFileNamesTheSourceItResumes(string[] arguments, string expected) =>
        Assert.Equal(expected, SourceOptions.StateKey(Parse(arguments)));

    [Theory]
    [InlineData("")]
    [InlineData("--file -")]
    [InlineData("--file posts.csv")]
    public void TheDemoFeedStandardInputAndCsvCannotResume(string arguments) =>
        Assert.Null(SourceOptions.StateKey(Parse(arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))));
}
