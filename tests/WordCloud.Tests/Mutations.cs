using CsCheck;

namespace WordCloud.Tests;

/// <summary>Inputs for fuzz tests: a valid message or file, damaged at random.</summary>
public static class Mutations
{
    /// <summary>Copies of <paramref name="valid"/> with 1 to 6 of its bytes set to random values.</summary>
    public static Gen<byte[]> Of(byte[] valid) =>
        Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte).Array[1, 6].Select(changes =>
        {
            var bytes = (byte[])valid.Clone();
            foreach (var (at, value) in changes)
            {
                bytes[at] = value;
            }

            return bytes;
        });
}
