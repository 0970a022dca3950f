using WordCloud.Client.Sources;

namespace WordCloud.Tests.Client;

public sealed class MastodonRateLimitTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    private static HttpResponseMessage Response(params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    [Fact]
    public void RetryAfterInSecondsIsTheWait()
    {
        using var response = Response(("Retry-After", "30"));

        Assert.Equal(TimeSpan.FromSeconds(30), MastodonRateLimit.RetryAfter(response.Headers, Now));
    }

    [Fact]
    public void RetryAfterAsAnHttpDateIsTheTimeUntilThen()
    {
        using var response = Response(("Retry-After", "Thu, 26 Nov 2026 10:01:30 GMT"));

        Assert.Equal(TimeSpan.FromSeconds(90), MastodonRateLimit.RetryAfter(response.Headers, Now));
    }

    [Fact]
    public void TooManyRequestsWithoutRetryAfterWaitsForTheReset()
    {
        using var response = Response(("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "2026-11-26T10:05:00.000Z"));

        Assert.Equal(TimeSpan.FromMinutes(5), MastodonRateLimit.RetryAfter(response.Headers, Now));
    }

    [Fact]
    public void TooManyRequestsNamingNoTimeLeavesTheWaitToTheBackoff()
    {
        using var response = Response(("Retry-After", "soon"));

        Assert.Null(MastodonRateLimit.RetryAfter(response.Headers, Now));
    }

    [Fact]
    public void UsedUpAllowanceWaitsUntilTheReset()
    {
        using var response = Response(("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "2026-11-26T10:00:42Z"));

        Assert.Equal(TimeSpan.FromSeconds(42), MastodonRateLimit.UntilReset(response.Headers, Now));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("299")]
    public void AllowanceLeftMeansNoWait(string remaining)
    {
        using var response = Response(("X-RateLimit-Remaining", remaining), ("X-RateLimit-Reset", "2026-11-26T10:00:42Z"));

        Assert.Null(MastodonRateLimit.UntilReset(response.Headers, Now));
    }

    [Fact]
    public void ResetInThePastMeansNoWait()
    {
        using var response = Response(("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "2026-11-26T09:59:00Z"));

        Assert.Equal(TimeSpan.Zero, MastodonRateLimit.UntilReset(response.Headers, Now));
    }

    [Fact]
    public void WaitsAreCappedSoAFarOffClockCannotStopTheFeedForHours()
    {
        using var response = Response(("Retry-After", "86400"));

        Assert.Equal(MastodonRateLimit.MaxWait, MastodonRateLimit.RetryAfter(response.Headers, Now));
    }
}
