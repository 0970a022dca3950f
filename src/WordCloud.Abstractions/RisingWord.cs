namespace WordCloud.Abstractions;

/// <summary>
/// A word that occurs more in the newer half of a window's posts than its share of the older half predicts (see
/// docs/rising.md for the formula).
/// </summary>
/// <param name="Word">The word.</param>
/// <param name="Count">How many times it occurs in the newer half.</param>
/// <param name="Baseline">How many times it occurs in the older half, scaled to the newer half's number of posts: what it would have in the newer half had nothing changed.</param>
/// <param name="Score">How far <paramref name="Count"/> rose above <paramref name="Baseline"/>: (count − baseline) / √(baseline + prior); the list is by this, highest first.</param>
[GenerateSerializer, Immutable, Alias("WordCloud.RisingWord")]
public sealed record class RisingWord(
    [property: Id(0)] string Word,
    [property: Id(1)] int Count,
    [property: Id(2)] double Baseline,
    [property: Id(3)] double Score);
