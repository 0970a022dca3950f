namespace WordCloud.ServiceDefaults.Memory;

/// <summary>
/// Decides, from readings taken every second or so, when a process has gone quiet long enough to hand memory back:
/// once per quiet stretch, and only when enough of what the garbage collector holds is not live data.
/// </summary>
/// <remarks>
/// Quiet means allocating less than <paramref name="quietBytesPerSecond"/> between two readings: an idle silo still
/// allocates a little (timers, membership, statistics: about 80 KB/s measured), a working one megabytes per second.
/// Any busier interval starts a new stretch, so a process that wakes up, grows and goes quiet again trims again.
/// Not thread-safe: one caller takes the readings.
/// </remarks>
/// <param name="idleAfter">How long the process must have been quiet.</param>
/// <param name="minimumReturnBytes">The least that must be held beyond live data (committed minus live) to trim.</param>
/// <param name="quietBytesPerSecond">An allocation rate at or below which the process counts as quiet.</param>
public sealed class IdleTrimPolicy(TimeSpan idleAfter, long minimumReturnBytes, long quietBytesPerSecond)
{
    private TimeSpan? _lastReading;
    private long _lastAllocated;
    private TimeSpan _quietSince;
    private bool _trimmed;

    /// <summary>Takes one reading; true when a trim should run now.</summary>
    /// <param name="now">Time since any fixed point; readings must not go back in time.</param>
    /// <param name="totalAllocatedBytes">Bytes allocated by the process so far (<see cref="GC.GetTotalAllocatedBytes"/>).</param>
    /// <param name="committedBytes">Memory the collector has committed.</param>
    /// <param name="liveBytes">What survived the last collection.</param>
    public bool ShouldTrim(TimeSpan now, long totalAllocatedBytes, long committedBytes, long liveBytes)
    {
        if (_lastReading is { } last)
        {
            if (now < last)
            {
                throw new ArgumentOutOfRangeException(nameof(now), now, $"reading at {now} is before the previous one at {last}");
            }

            var seconds = (now - last).TotalSeconds;
            if (seconds > 0 && (totalAllocatedBytes - _lastAllocated) / seconds > quietBytesPerSecond)
            {
                _quietSince = now;
                _trimmed = false;
            }
        }
        else
        {
            _quietSince = now;
        }

        _lastReading = now;
        _lastAllocated = totalAllocatedBytes;
        return !_trimmed && now - _quietSince >= idleAfter && committedBytes - liveBytes >= minimumReturnBytes;
    }

    /// <summary>Says a trim ran: none again until the process has been busy and gone quiet once more.</summary>
    public void Trimmed() => _trimmed = true;
}
