using Microsoft.Extensions.Options;

namespace WordCloud.Silo.Api;

/// <summary>
/// Limits of the HTTP API, from the configuration section "Api": how large a body may be, how fast one address may
/// post, how many event streams it may hold open, and how long an <c>Idempotency-Key</c> is remembered.
/// </summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    public const long MinBodyBytes = 1024;
    public const long MaxBodyBytesLimit = 1L << 30;
    public const int MaxIdempotencyKeys = 1_000_000;
    public const int MaxEventStreamsLimit = 100_000;

    /// <summary>
    /// The largest body a POST may have. 4 MB holds 10,000 posts of a few hundred bytes each, the most one request
    /// takes; a body is read as it arrives and refused as soon as it passes this.
    /// </summary>
    public long MaxBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Event streams one client address may hold open at once; each holds a connection for as long as the page is open.</summary>
    public int MaxEventStreamsPerAddress { get; set; } = 20;

    public ApiRateLimitOptions RateLimit { get; set; } = new();

    /// <summary>How long this silo remembers the answer to a POST that carried an <c>Idempotency-Key</c>.</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The most such answers this silo remembers; the oldest are forgotten first. A retry whose answer is forgotten is
    /// still dropped by the topic's window, which remembers the key's batch as applied.
    /// </summary>
    public int IdempotencyKeys { get; set; } = 10_000;
}

/// <summary>
/// A token bucket per client address for <c>POST …/posts</c>: it holds <see cref="Burst"/> requests and refills at
/// <see cref="PermitsPerSecond"/>, so a client may post in bursts but not faster than that on average.
/// </summary>
public sealed class ApiRateLimitOptions
{
    public const int MaxPermits = 1_000_000;

    public int PermitsPerSecond { get; set; } = 100;

    public int Burst { get; set; } = 200;
}

public sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var failures = new List<string>();
        if (options.MaxBodyBytes is < ApiOptions.MinBodyBytes or > ApiOptions.MaxBodyBytesLimit)
        {
            failures.Add($"Api:MaxBodyBytes is {options.MaxBodyBytes}; it must be between {ApiOptions.MinBodyBytes} and {ApiOptions.MaxBodyBytesLimit}");
        }

        if (options.MaxEventStreamsPerAddress is < 1 or > ApiOptions.MaxEventStreamsLimit)
        {
            failures.Add($"Api:MaxEventStreamsPerAddress is {options.MaxEventStreamsPerAddress}; it must be between 1 and {ApiOptions.MaxEventStreamsLimit}");
        }

        var rate = options.RateLimit;
        if (rate.PermitsPerSecond is < 1 or > ApiRateLimitOptions.MaxPermits)
        {
            failures.Add($"Api:RateLimit:PermitsPerSecond is {rate.PermitsPerSecond}; it must be between 1 and {ApiRateLimitOptions.MaxPermits}");
        }

        if (rate.Burst < rate.PermitsPerSecond || rate.Burst > ApiRateLimitOptions.MaxPermits)
        {
            failures.Add($"Api:RateLimit:Burst is {rate.Burst}; it must be between Api:RateLimit:PermitsPerSecond ({rate.PermitsPerSecond}) and {ApiRateLimitOptions.MaxPermits}");
        }

        if (options.IdempotencyWindow < TimeSpan.FromSeconds(1) || options.IdempotencyWindow > TimeSpan.FromDays(1))
        {
            failures.Add($"Api:IdempotencyWindow is {options.IdempotencyWindow}; it must be between 00:00:01 and 1.00:00:00");
        }

        if (options.IdempotencyKeys is < 0 or > ApiOptions.MaxIdempotencyKeys)
        {
            failures.Add($"Api:IdempotencyKeys is {options.IdempotencyKeys}; it must be between 0 and {ApiOptions.MaxIdempotencyKeys}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
