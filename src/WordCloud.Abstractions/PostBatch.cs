using System.Buffers;

namespace WordCloud.Abstractions;

/// <summary>
/// The posts of one append call, as bytes (<see cref="PostBytes"/>) one after another in pooled buffers of at most
/// <see cref="BufferSize"/> bytes, a post never spanning two. A producer numbers its batches (<see cref="ProducerId"/>
/// and <see cref="Sequence"/>) so that a retry of a batch the window already applied is dropped instead of counted
/// twice; a batch without a producer id (the HTTP API's) is applied as it comes.
/// </summary>
/// <remarks>
/// A sender encodes its posts once (<see cref="Encode"/>); <see cref="PostBatchCodec"/> writes the bytes to the message
/// and reads them from it into a batch of the same form, so a window checks, counts and keeps the posts from these
/// bytes, with no <see cref="Post"/> or string made. Never changed once built; <see cref="Dispose"/> gives the buffers
/// back to the pool (the window that took the posts does so), after which the posts cannot be read. A batch never
/// disposed leaves its buffers to the garbage collector.
/// </remarks>
[Immutable, Alias("WordCloud.PostBatch")]
public sealed class PostBatch : IDisposable
{
    public const int MaxProducerIdLength = 128;

    /// <summary>The most bytes a buffer holds (below the large-object heap's 85,000), but for a post larger than that alone.</summary>
    public const int BufferSize = 1 << 16;

    // Positions count the bytes of the posts before, as if they lay end to end: a post starts where the one before it
    // ends. Buffer b holds the posts from position _starts[b] on, one after another from its first byte.
    private readonly int[] _ends;
    private readonly int[] _starts;
    private byte[][]? _buffers;

    internal PostBatch(string? producerId, long sequence, byte[][] buffers, int[] starts, int[] ends)
    {
        ProducerId = producerId;
        Sequence = sequence;
        _buffers = buffers;
        _starts = starts;
        _ends = ends;
    }

    /// <summary>Names one producer run, the same for all its batches (1 to 128 characters); null for an unnumbered batch.</summary>
    public string? ProducerId { get; }

    /// <summary>1 for the producer's first batch, then 2, 3, …; a retry sends the same number again. 0 when unnumbered.</summary>
    public long Sequence { get; }

    /// <summary>How many posts, null posts included.</summary>
    public int Count => _ends.Length;

    /// <summary>Encodes <paramref name="posts"/> (a null post is carried, for the window to reject by name).</summary>
    /// <param name="posts">The posts, in the order they are to be appended.</param>
    /// <param name="producerId">The producer's id, or null for a batch that is not numbered.</param>
    /// <param name="sequence">The batch's number for its producer; 0 when not numbered.</param>
    public static PostBatch Encode(IReadOnlyCollection<Post?> posts, string? producerId = null, long sequence = 0)
    {
        using var builder = new PostBatchBuilder(posts.Count);
        foreach (var post in posts)
        {
            builder.Add(post);
        }

        return builder.Build(producerId, sequence);
    }

    /// <summary>The bytes of post <paramref name="index"/>; empty for a null post.</summary>
    public ReadOnlySpan<byte> PostAt(int index)
    {
        var buffers = _buffers ?? throw new ObjectDisposedException(nameof(PostBatch), "the posts of this batch were given back once a window took them");
        var end = _ends[index];
        var start = index == 0 ? 0 : _ends[index - 1];
        if (end == start)
        {
            return [];
        }

        var buffer = buffers.Length == 1 ? 0 : BufferHolding(start);
        return buffers[buffer].AsSpan(start - _starts[buffer], end - start);
    }

    /// <summary>Gives the buffers back to the pool; reading a post afterwards throws.</summary>
    public void Dispose()
    {
        if (_buffers is { } buffers)
        {
            _buffers = null;
            foreach (var buffer in buffers)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Returns null for a well-formed batch, else why not (its posts are checked one by one later).</summary>
    public static string? Validate(PostBatch? batch) => batch switch
    {
        null => "the batch is null",
        { ProducerId: null, Sequence: not 0 } => $"the batch has sequence number {batch.Sequence} but no producer id; an unnumbered batch has sequence number 0",
        { ProducerId.Length: 0 } => "the batch's producer id is empty; it must be 1 to 128 characters, or null for an unnumbered batch",
        { ProducerId.Length: > MaxProducerIdLength } => $"the producer id is {batch.ProducerId.Length} characters long; the limit is {MaxProducerIdLength}",
        { ProducerId: not null, Sequence: < 1 } => $"the batch sequence number is {batch.Sequence}; it must be 1 or more",
        { Count: 0 } => $"the batch holds no posts; a batch holds 1 to {WindowLimits.MaxBatch}",
        { Count: > WindowLimits.MaxBatch } => $"the batch holds {batch.Count} posts; the limit is {WindowLimits.MaxBatch}",
        _ => null,
    };

    private int BufferHolding(int position)
    {
        var found = Array.BinarySearch(_starts, position);
        return found >= 0 ? found : ~found - 1;
    }
}
