using System.Diagnostics.Metrics;

namespace WordCloud.Grains;

/// <summary>The project's own counters, on the meter "WordCloud" (exported beside Orleans' "Microsoft.Orleans").</summary>
public sealed class WordCloudMetrics
{
    public const string MeterName = "WordCloud";

    private readonly Counter<long> _appended;
    private readonly Counter<long> _evicted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _segmentPostsWritten;

    public WordCloudMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _appended = meter.CreateCounter<long>("wordcloud.posts.appended", "{post}", "Posts accepted into a window.");
        _evicted = meter.CreateCounter<long>("wordcloud.posts.evicted", "{post}", "Posts that left a window to make room.");
        _rejected = meter.CreateCounter<long>("wordcloud.posts.rejected", "{post}", "Posts refused as invalid.");
        _segmentPostsWritten = meter.CreateCounter<long>("wordcloud.segments.posts.written", "{post}",
            "Posts serialised into stored segments, merges and whole-segment rewrites included; over posts appended, the write amplification.");
    }

    public void Record(int appended, int evicted, int rejected)
    {
        _appended.Add(appended);
        _evicted.Add(evicted);
        _rejected.Add(rejected);
    }

    public void RecordSegmentPostsWritten(long posts) => _segmentPostsWritten.Add(posts);
}
