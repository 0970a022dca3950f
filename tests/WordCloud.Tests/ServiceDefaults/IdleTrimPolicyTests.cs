using WordCloud.ServiceDefaults.Memory;

namespace WordCloud.Tests.ServiceDefaults;

public sealed class IdleTrimPolicyTests
{
    private const long Megabyte = 1024 * 1024;

    private static readonly TimeSpan IdleAfter = TimeSpan.FromSeconds(5);

    // 512 MB committed over 128 MB live: plenty to give back.
    private const long Committed = 512 * Megabyte;
    private const long Live = 128 * Megabyte;

    private static IdleTrimPolicy NewPolicy(long minimumReturn = 64 * Megabyte) => new(IdleAfter, minimumReturn, quietBytesPerSecond: Megabyte);

    /// <summary>Takes one reading a second from <paramref name="fromSecond"/> on, allocating <paramref name="bytesPerSecond"/>; returns the seconds at which it said to trim.</summary>
    private static List<int> Readings(IdleTrimPolicy policy, ref long allocated, int fromSecond, int seconds, long bytesPerSecond, bool trimWhenTold = true, long committed = Committed)
    {
        var trims = new List<int>();
        for (var second = fromSecond; second < fromSecond + seconds; second++)
        {
            allocated += bytesPerSecond;
            if (policy.ShouldTrim(TimeSpan.FromSeconds(second), allocated, committed, Live))
            {
                trims.Add(second);
                if (trimWhenTold)
                {
                    policy.Trimmed();
                }
            }
        }

        return trims;
    }

    [Fact]
    public void AProcessThatTurnsQuietIsTrimmedOnceItHasBeenQuietForTheIdleTime()
    {
        var policy = NewPolicy();
        long allocated = 0;

        var whileBusy = Readings(policy, ref allocated, 0, 10, bytesPerSecond: 50 * Megabyte);
        var whileQuiet = Readings(policy, ref allocated, 10, 20, bytesPerSecond: 80 * 1024);

        // The last busy interval ends at second 9; quiet readings from 10 on, so 5 s of quiet are reached at 14.
        Assert.Empty(whileBusy);
        Assert.Equal([14], whileQuiet);
    }

    [Fact]
    public void AProcessThatKeepsAllocatingIsNeverTrimmed()
    {
        var policy = NewPolicy();
        long allocated = 0;

        var trims = Readings(policy, ref allocated, 0, 60, bytesPerSecond: 2 * Megabyte);

        Assert.Empty(trims);
    }

    [Fact]
    public void OneBusyIntervalStartsTheQuietTimeAgain()
    {
        var policy = NewPolicy();
        long allocated = 0;

        var quiet = Readings(policy, ref allocated, 0, 4, bytesPerSecond: 0);
        var busy = Readings(policy, ref allocated, 4, 1, bytesPerSecond: 10 * Megabyte);
        var quietAgain = Readings(policy, ref allocated, 5, 10, bytesPerSecond: 0);

        Assert.Empty(quiet);
        Assert.Empty(busy);
        Assert.Equal([9], quietAgain);
    }

    [Fact]
    public void AQuietStretchIsTrimmedOnlyOnceButTheNextOneIsTrimmedAgain()
    {
        var policy = NewPolicy();
        long allocated = 0;

        var first = Readings(policy, ref allocated, 0, 30, bytesPerSecond: 0);
        var busy = Readings(policy, ref allocated, 30, 3, bytesPerSecond: 100 * Megabyte);
        var second = Readings(policy, ref allocated, 33, 30, bytesPerSecond: 0);

        Assert.Equal([5], first);
        Assert.Empty(busy);
        Assert.Equal([37], second);
    }

    [Fact]
    public void AQuietProcessHoldingLittleBeyondItsLiveDataIsNotTrimmed()
    {
        var policy = NewPolicy(minimumReturn: 64 * Megabyte);
        long allocated = 0;

        // 63 MB beyond live: one short of the minimum.
        var trims = Readings(policy, ref allocated, 0, 30, bytesPerSecond: 0, committed: Live + (63 * Megabyte));

        Assert.Empty(trims);
    }

    [Fact]
    public void UntilATrimIsReportedThePolicyKeepsAskingForOne()
    {
        var policy = NewPolicy();
        long allocated = 0;

        var trims = Readings(policy, ref allocated, 0, 8, bytesPerSecond: 0, trimWhenTold: false);

        Assert.Equal([5, 6, 7], trims);
    }

    [Fact]
    public void AReadingBeforeThePreviousOneIsRefused()
    {
        var policy = NewPolicy();
        policy.ShouldTrim(TimeSpan.FromSeconds(10), 0, Committed, Live);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => policy.ShouldTrim(TimeSpan.FromSeconds(9), 0, Committed, Live));

        Assert.Contains("before the previous one", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 64, "Memory:IdleSeconds is 0; it must be between 1 and 86400")]
    [InlineData(86_401, 64, "Memory:IdleSeconds is 86401; it must be between 1 and 86400")]
    [InlineData(30, -1, "Memory:TrimMinimumMegabytes is -1; it must be between 0 and 1000000")]
    public void AnInvalidSettingIsRefusedWithItsKeyAndRule(int idleSeconds, int minimumMegabytes, string expected)
    {
        var options = new MemoryTrimOptions { IdleSeconds = idleSeconds, TrimMinimumMegabytes = minimumMegabytes };

        var result = new MemoryTrimOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal([expected], result.Failures);
    }

    [Fact]
    public void TheDefaultSettingsAreValid()
    {
        var result = new MemoryTrimOptionsValidator().Validate(null, new MemoryTrimOptions());

        Assert.True(result.Succeeded);
    }
}
