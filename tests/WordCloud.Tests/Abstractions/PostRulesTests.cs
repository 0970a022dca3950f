using WordCloud.Abstractions;

namespace WordCloud.Tests.Abstractions;

public sealed class PostRulesTests
{
    [Fact]
    public void PostWithOnlyTextIsValid()
    {
        var reason = PostRules.Validate(new Post("hoppy stout"));

        Assert.Null(reason);
    }

    [Fact]
    public void PostWithEveryFieldAtItsLimitIsValid()
    {
        var field = new string('f', PostRules.MaxFieldLength);
        var post = new Post(new string('t', PostRules.MaxTextLength), Id: field, Author: field, CreatedAt: DateTimeOffset.UnixEpoch, Source: field);

        var reason = PostRules.Validate(post);

        Assert.Null(reason);
    }

    [Fact]
    public void NullPostIsInvalid()
    {
        var reason = PostRules.Validate(null);

        Assert.NotNull(reason);
        Assert.Contains("null", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void PostWithoutTextIsInvalid()
    {
        var reason = PostRules.Validate(new Post(null!));

        Assert.NotNull(reason);
        Assert.Contains("no text", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t\r\n\u00a0")]
    public void BlankTextIsInvalid(string text)
    {
        var reason = PostRules.Validate(new Post(text));

        Assert.NotNull(reason);
        Assert.Contains("empty or whitespace", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TextLongerThanTheLimitIsInvalidNamingBothLengths()
    {
        var reason = PostRules.Validate(new Post(new string('t', PostRules.MaxTextLength + 1)));

        Assert.NotNull(reason);
        Assert.Contains("10001 characters", reason, StringComparison.Ordinal);
        Assert.Contains("limit is 10000", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("author")]
    [InlineData("source")]
    public void FieldLongerThanTheLimitIsInvalidNamingTheField(string field)
    {
        var tooLong = new string('f', PostRules.MaxFieldLength + 1);
        var post = field switch
        {
            "id" => new Post("stout", Id: tooLong),
            "author" => new Post("stout", Author: tooLong),
            _ => new Post("stout", Source: tooLong),
        };

        var reason = PostRules.Validate(post);

        Assert.NotNull(reason);
        Assert.Contains($"the post {field} is 257 characters long", reason, StringComparison.Ordinal);
        Assert.Contains("limit is 256", reason, StringComparison.Ordinal);
    }
}
