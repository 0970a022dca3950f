using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace WordCloud.Silo.Api;

/// <summary>
/// The <c>Idempotency-Key</c> of a POST: it names the batch, so that a retry is not counted twice.
/// </summary>
/// <remarks>
/// The key becomes the batch's producer id, numbered 1: the topic's window records every (producer, sequence) it
/// applied and answers a second batch of the same producer and number with <c>AlreadyApplied</c>, whichever silo it
/// came through. On top of that, each silo remembers the answer it gave (the last <see cref="ApiOptions.IdempotencyKeys"/>
/// keys, for <see cref="ApiOptions.IdempotencyWindow"/>), so a retry through the same silo gets the first answer back.
/// </remarks>
public sealed class IdempotencyKeys(IOptions<ApiOptions> options, TimeProvider time)
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaxLength = 128;

    private const string ProducerPrefix = "http:";

    private readonly Dictionary<string, Remembered> _answers = new(StringComparer.Ordinal);
    private readonly Queue<Remembered> _oldestFirst = new();
    private readonly Lock _lock = new();
    private readonly TimeSpan _window = options.Value.IdempotencyWindow;
    private readonly int _capacity = options.Value.IdempotencyKeys;

    /// <summary>Null when <paramref name="key"/> is a valid key, else why not.</summary>
    public static string? Validate(string key)
    {
        if (key.Length is 0 or > MaxLength)
        {
            return $"the {HeaderName} header is {key.Length} characters long; it must be 1 to {MaxLength} visible ASCII characters";
        }

        var bad = key.AsSpan().IndexOfAnyExceptInRange('!', '~');
        return bad < 0
            ? null
            : $"the {HeaderName} header has character U+{(int)key[bad]:X4} at position {bad}; it must be 1 to {MaxLength} visible ASCII characters (! to ~)";
    }

    /// <summary>
    /// The producer id of the batch a key names: a hash, so that any key fits the window's 128-character limit on a
    /// producer id and the same key gives the same id on every silo.
    /// </summary>
    public static string ProducerId(string key) =>
        ProducerPrefix + Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(key)));

    /// <summary>The answer this silo gave to the key's first POST on <paramref name="topic"/>, if it still remembers it.</summary>
    public AppendResponse? Find(string topic, string key)
    {
        lock (_lock)
        {
            Forget(time.GetUtcNow());
            return _answers.TryGetValue(Entry(topic, key), out var remembered) ? remembered.Answer : null;
        }
    }

    public void Remember(string topic, string key, AppendResponse answer)
    {
        if (_capacity == 0)
        {
            return;
        }

        var remembered = new Remembered(Entry(topic, key), answer, time.GetUtcNow());
        lock (_lock)
        {
            Forget(remembered.At);
            if (_answers.TryAdd(remembered.Entry, remembered))
            {
                _oldestFirst.Enqueue(remembered);
                while (_answers.Count > _capacity)
                {
                    _answers.Remove(_oldestFirst.Dequeue().Entry);
                }
            }
        }
    }

    private static string Entry(string topic, string key) => $"{topic}\n{key}";

    private void Forget(DateTimeOffset now)
    {
        while (_oldestFirst.TryPeek(out var oldest) && now - oldest.At > _window)
        {
            _answers.Remove(_oldestFirst.Dequeue().Entry);
        }
    }

    private sealed record Remembered(string Entry, AppendResponse Answer, DateTimeOffset At);
}
