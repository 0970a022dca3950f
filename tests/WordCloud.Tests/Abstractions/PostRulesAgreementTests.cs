using System.Text;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using WordCloud.Abstractions;

namespace WordCloud.Tests.Abstractions;

/// <summary>
/// A window checks each post from its bytes (<see cref="PostBytes.Check"/>), without making a <see cref="Post"/>; clients
/// check the same post as an object (<see cref="PostRules.Validate"/>). Both must give the same answer, the same
/// sentence or none, for any post: random posts whose texts and fields sit around the limits in UTF-16 code units and
/// in UTF-8 bytes, blank or not, with characters of one to four UTF-8 bytes and lone surrogates.
/// </summary>
/// <remarks>
/// Every run starts from its own fixed seed, so the posts are the same every time. A failure names the seed of its
/// batch: pass it to <c>Sample</c> with a larger <c>iter</c> and CsCheck shrinks the batch from there. A null post has
/// no bytes to check: the window answers <see cref="PostRules.Validate"/> for it itself.
/// </remarks>
public sealed class PostRulesAgreementTests
{
    /// <summary>Batches of one to six posts per test: about 1,400 posts, in well under a second.</summary>
    private const int Runs = 400;

    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    /// <summary>
    /// Strings of one kind of character, by length in UTF-16 code units, and how many UTF-8 bytes each code unit takes:
    /// ASCII, two-byte and three-byte characters (blanks among them, and U+200B, which looks blank but is not white
    /// space), blanks only of one and of three bytes, surrogate pairs, and a mix of them all with lone surrogates.
    /// </summary>
    private static readonly (Func<int, Gen<string>> OfLength, int BytesPerUnit)[] Alphabets =
    [
        (Units("abcxyzABC019.,#@'-_ "), 1),
        (Units("éßпñ\u00a0\u0085"), 2),
        (Units("€日本語\u3000\u2003\u200b"), 3),
        (Units(" \t\r\n"), 1),
        (Units("\u3000\u2003\u2028\u2029"), 3),
        (Pieces("🍺", "😀", "👍", "𝄞"), 2),
        (Pieces("a", "b", "c", "x", "y", "z", "0", "1", " ", " ", "é", "ß", "п", "\u00a0", "€", "日", "\u3000", "\u200b", "🍺", "😀", "\ud83c", "\udc00", "\udbff"), 2),
    ];

    /// <summary>A text: null, or of an alphabet and a length around a limit in code units or in UTF-8 bytes.</summary>
    private static readonly Gen<string?> Text = Gen.Frequency(
        (1, Gen.Const((string?)null)),
        (20, StringAround(PostRules.MaxTextLength, 3 * PostRules.MaxTextLength, smallest: 40)));

    /// <summary>An id, author or source: null, or of an alphabet and a length around the limit in code units or in UTF-8 bytes.</summary>
    private static readonly Gen<string?> Field = Gen.Frequency(
        (2, Gen.Const((string?)null)),
        (5, StringAround(PostRules.MaxFieldLength, PostRules.MaxFieldLength, smallest: 20)));

    private static readonly Gen<DateTimeOffset?> CreatedAt = Gen.Frequency(
        (1, Gen.Const((DateTimeOffset?)null)),
        (1, Gen.Select(Gen.Long[new DateTime(2000, 1, 1).Ticks, new DateTime(2100, 1, 1).Ticks], Gen.Int[-14 * 60, 14 * 60],
            (ticks, minutes) => (DateTimeOffset?)new DateTimeOffset(ticks, TimeSpan.FromMinutes(minutes)))));

    private static readonly Gen<Post> OnePost = Gen.Select(Text, Field, Field, CreatedAt, Field,
        (text, id, author, createdAt, source) => new Post(text!, id, author, createdAt, source));

    private static readonly Gen<Post[]> Batch = OnePost.Array[1, 6];

    [Fact]
    public void CheckingTheBytesOfAnEncodedPostAnswersAsValidatingThePost() =>
        SampleBatches(stream: 1, posts =>
        {
            using var batch = PostBatch.Encode(posts);
            var buffer = new char[16];

            for (var index = 0; index < posts.Length; index++)
            {
                Assert.Equal(PostRules.Validate(posts[index]), PostBytes.Check(batch.PostAt(index), ref buffer, out _));
            }
        });

    [Fact]
    public void CheckingAPostReceivedOverTheWireAnswersAsValidatingThePostSent() =>
        SampleBatches(stream: 2, posts =>
        {
            using var sent = PostBatch.Encode(posts, "producer", 1);
            using var received = Serializer.Deserialize<PostBatch>(Serializer.SerializeToArray(sent))!;
            var buffer = new char[16];

            // The wire replaces a lone surrogate with U+FFFD, one code unit for one, which no rule tells apart.
            Assert.Equal(posts.Length, received.Count);
            for (var index = 0; index < posts.Length; index++)
            {
                Assert.Equal(PostRules.Validate(posts[index]), PostBytes.Check(received.PostAt(index), ref buffer, out _));
            }
        });

    private static void SampleBatches(uint stream, Action<Post[]> assert)
    {
        for (var run = 0UL; run < Runs; run++)
        {
            Batch.Sample(assert, seed: new PCG(stream, run * 0x9E37_79B9_7F4A_7C15UL).ToString(), iter: 1, threads: 1, print: Describe);
        }
    }

    private static Func<int, Gen<string>> Units(string units) => length => Gen.Char[units].Array[length].Select(chars => new string(chars));

    /// <summary>Pieces of one or two code units one after another, cut to the length (which may cut a pair in half).</summary>
    private static Func<int, Gen<string>> Pieces(params string[] pieces) => length => Gen.OneOf(pieces).Array[length].Select(chosen => string.Concat(chosen)[..length]);

    /// <summary>
    /// Strings of one alphabet: short, or within a few code units of <paramref name="units"/>, or of the length at which
    /// their UTF-8 reaches <paramref name="bytes"/> bytes. A length cut through a surrogate pair leaves half of it.
    /// </summary>
    private static Gen<string> StringAround(int units, int bytes, int smallest) =>
        from alphabet in Gen.OneOf(Alphabets)
        from length in Gen.Frequency(
            (3, Gen.Int[0, smallest]),
            (3, Gen.Int[units - 3, units + 3]),
            (2, Gen.Int[(bytes / alphabet.BytesPerUnit) - 3, (bytes / alphabet.BytesPerUnit) + 3]))
        from text in alphabet.OfLength(length)
        select text;

    private static string Describe(Post[] posts) => string.Join(Environment.NewLine, posts.Select(post =>
        $"text {Shape(post.Text)}; id {Shape(post.Id)}; author {Shape(post.Author)}; created {post.CreatedAt?.ToString("O") ?? "none"}; source {Shape(post.Source)}"));

    private static string Shape(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        var lone = Enumerable.Range(0, value.Length).Count(index => char.IsSurrogate(value[index])
            && !(index + 1 < value.Length && char.IsSurrogatePair(value[index], value[index + 1]))
            && !(index > 0 && char.IsSurrogatePair(value[index - 1], value[index])));
        var start = string.Concat(value.Take(12).Select(unit => unit is >= ' ' and <= '~' ? unit.ToString() : $"\\u{(int)unit:x4}"));
        return $"{value.Length} units, {Encoding.UTF8.GetByteCount(value)} UTF-8 bytes, {lone} lone surrogates, \"{start}{(value.Length > 12 ? "…" : "")}\"";
    }
}
