using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WordCloud.Abstractions;
using WordCloud.Grains.Text;
using WordCloud.Grains.Windows;

namespace WordCloud.Tests.Windows;

/// <summary>
/// A persisted window against a model, over random sequences of appends (texts with emoji, combining marks, bidi
/// marks, lone surrogates, huge and empty posts, repeated ids), deletions, and reloads from storage with another
/// capacity: the window always shows the last `capacity` accepted posts it holds but the deleted ones, its counts
/// are a recount of those, and its rising words a recomputation from them (<see cref="RisingRecount"/>). Lowering the
/// capacity evicts at once in memory, and in storage at the next save.
/// </summary>
public sealed class WindowModelTests
{
    private static readonly string[] Pieces =
        ["stout", "porter", "Café", "cafe\u0301", "🍺", "#beer", "@ana", "שלום", "\u202Eevil", "\u200F", "\ud800", "x\u0308", "ipa", "the", "IPA", "  ", "\t"];

    private static readonly Gen<Operation> Operations = Gen.Frequency(
        (6, Gen.Select(Gen.Int[0, 30], Gen.Int[0, 6], Gen.Int[0, Pieces.Length - 1].Array[0, 8], (id, kind, pieces) => (Operation)new Append($"id{id}", Text(kind, pieces)))),
        (2, Gen.Int[0, 30].Select(id => (Operation)new Delete($"id{id}"))),
        (1, Gen.Int[1, 12].Select(capacity => (Operation)new Reload(capacity))));

    [Fact]
    public void AnySequenceOfAppendsDeletionsAndReloadsWithOtherCapacitiesMatchesTheModel() =>
        Gen.Select(Gen.Int[1, 12], Operations.Array[1, 40]).Sample((capacity, operations) => RunAsync(capacity, operations).GetAwaiter().GetResult(), iter: 300);

    private static string Text(int kind, int[] pieces) => kind switch
    {
        0 => string.Empty,
        1 => new string('a', PostRules.MaxTextLength + 1),
        _ => string.Join(' ', pieces.Select(piece => Pieces[piece])),
    };

    private static async Task RunAsync(int capacity, Operation[] operations)
    {
        var store = new MemoryWindowStore();
        var turns = new OneAtATime();
        var window = await LoadAsync(store, turns, capacity);

        // What the window holds (deleted posts too, as they keep their places), and what storage holds: a reload with a
        // lower capacity evicts in memory, and storage follows at the next save.
        var held = new List<(string Id, string Text, bool Deleted)>();
        var stored = new List<(string Id, string Text, bool Deleted)>();
        foreach (var operation in operations)
        {
            var saved = false;
            switch (operation)
            {
                case Append(var id, var text):
                    await turns.Run(() => window.AppendAsync(Batch(builder => builder.Add(new Post(text, Id: id)))));
                    if (PostRules.Validate(new Post(text, Id: id)) is null)
                    {
                        // Accepted, or dropped as a duplicate: either way the window saves.
                        saved = true;
                        if (!held.Exists(post => post.Id == id))
                        {
                            held.Add((id, text, false));
                        }
                    }

                    break;
                case Delete(var id):
                    await turns.Run(() => window.AppendAsync(Batch(builder => builder.AddDeletion(id))));
                    var at = held.FindIndex(post => post.Id == id && !post.Deleted);
                    if (at >= 0)
                    {
                        held[at] = held[at] with { Deleted = true };
                        saved = true;
                    }

                    break;
                case Reload(var newCapacity):
                    capacity = newCapacity;
                    window = await LoadAsync(store, turns, capacity);
                    held = [.. stored];
                    break;
            }

            if (held.Count > capacity)
            {
                held.RemoveRange(0, held.Count - capacity);
            }

            if (saved)
            {
                stored = [.. held];
            }

            var shown = held.Where(post => !post.Deleted).ToList();
            var cloud = await turns.Run(window.ReadCloudAsync);
            var recount = shown.SelectMany(post => Tokenizer.English.Tokenize(post.Text)).GroupBy(word => word, StringComparer.Ordinal)
                .Select(group => new WordCount(group.Key, group.Count()))
                .OrderByDescending(word => word.Count).ThenBy(word => word.Word, StringComparer.Ordinal);
            Assert.Equal(shown.Select(post => post.Text), cloud.NewestPosts.Select(post => post.Text));
            Assert.Equal(recount, cloud.Words);
            Assert.Equal(RisingRecount.Of([.. held.Select(post => (post.Text, post.Deleted))], WindowLimits.MaxRising), cloud.Rising);
            Assert.Equal(shown.Count, cloud.Stats.Count);
        }
    }

    private static PostBatch Batch(Action<PostBatchBuilder> write)
    {
        var builder = new PostBatchBuilder(1);
        write(builder);
        return builder.Build(null, 0);
    }

    private static Task<PersistentWindow> LoadAsync(MemoryWindowStore store, OneAtATime turns, int capacity) =>
        turns.Run(() => PersistentWindow.LoadAsync("beer", new WordWindowOptions
        {
            Capacity = capacity,
            SegmentSize = 4,
            InlinePosts = 2,
            ExcludeTopicWord = false,
        }, Tokenizer.English, store, new FakeTimeProvider(), NullLogger.Instance, CancellationToken.None));

    private abstract record Operation;

    private sealed record Append(string Id, string Text) : Operation;

    private sealed record Delete(string Id) : Operation;

    private sealed record Reload(int Capacity) : Operation;
}
