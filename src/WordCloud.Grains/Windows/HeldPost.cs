namespace WordCloud.Grains.Windows;

/// <summary>Where a post a window holds lies in its <see cref="HeldPostLog"/>: its chunk (kept alive by this reference), offset and length.</summary>
public readonly record struct HeldPost(byte[] Chunk, int Offset, int Length)
{
    public ReadOnlySpan<byte> Bytes => Chunk.AsSpan(Offset, Length);
}
