namespace WordCloud.Abstractions;

/// <summary>
/// Posts a producer sends in one call, numbered so that a retry of a batch the window already applied is dropped
/// instead of counted twice.
/// </summary>
/// <param name="ProducerId">Names one producer run; the same for all its batches (1 to 128 characters).</param>
/// <param name="Sequence">1 for the producer's first batch, then 2, 3, …; a retry sends the same number again.</param>
/// <param name="Posts">The posts, in the order the producer read them.</param>
/// <remarks>Sent, never stored; <see cref="PostBatchCodec"/> writes it (not a generated codec).</remarks>
[Immutable, Alias("WordCloud.PostBatch")]
public sealed record class PostBatch(string ProducerId, long Sequence, IReadOnlyList<Post> Posts)
{
    public const int MaxProducerIdLength = 128;

    /// <summary>Returns null for a well-formed batch, else why not (its posts are checked one by one later).</summary>
    public static string? Validate(PostBatch? batch) => batch switch
    {
        null => "the batch is null",
        { ProducerId: null or { Length: 0 } } => "the batch has no producer id",
        { ProducerId.Length: > MaxProducerIdLength } => $"the producer id is {batch.ProducerId.Length} characters long; the limit is {MaxProducerIdLength}",
        { Sequence: < 1 } => $"the batch sequence number is {batch.Sequence}; it must be 1 or more",
        { Posts: null } => "the batch has no post list",
        { Posts.Count: > WindowLimits.MaxBatch } => $"the batch holds {batch.Posts.Count} posts; the limit is {WindowLimits.MaxBatch}",
        _ => null,
    };
}
