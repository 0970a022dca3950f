namespace WordCloud.Grains.Windows;

/// <summary>Arrays used as rings (first in, first out): a head index, a count, and positions that wrap.</summary>
internal static class Rings
{
    /// <summary>
    /// A new array of <paramref name="length"/> holding the <paramref name="count"/> items of <paramref name="ring"/>
    /// from <paramref name="head"/> on, in order, at index 0: how a full ring grows.
    /// </summary>
    public static T[] Unwrapped<T>(T[] ring, int head, int count, int length)
    {
        var unwrapped = new T[length];
        var firstPart = Math.Min(count, ring.Length - head);
        ring.AsSpan(head, firstPart).CopyTo(unwrapped);
        ring.AsSpan(0, count - firstPart).CopyTo(unwrapped.AsSpan(firstPart));
        return unwrapped;
    }
}
