namespace WordCloud.Abstractions;

/// <summary>What makes a post acceptable. The grain is the authority; clients use the same rules to report early.</summary>
public static class PostRules
{
    /// <summary>Longest accepted post text, in UTF-16 code units.</summary>
    public const int MaxTextLength = 10_000;

    /// <summary>Longest accepted id, author or source.</summary>
    public const int MaxFieldLength = 256;

    /// <summary>Why a post without text is refused.</summary>
    public const string MissingText = "the post has no text; 'text' is required";

    /// <summary>Returns null for an acceptable post, else a sentence naming the value and the rule it breaks.</summary>
    public static string? Validate(Post? post)
    {
        if (post is null)
        {
            return "the post is null; a post is an object with at least a 'text'";
        }

        if (post.Text is null)
        {
            return MissingText;
        }

        return ValidateText(post.Text)
            ?? ValidateField("id", post.Id?.Length ?? 0)
            ?? ValidateField("author", post.Author?.Length ?? 0)
            ?? ValidateField("source", post.Source?.Length ?? 0);
    }

    /// <summary>Returns null for an acceptable post text, else why not.</summary>
    public static string? ValidateText(ReadOnlySpan<char> text)
    {
        if (text.IsWhiteSpace())
        {
            return "the post text is empty or whitespace only; 'text' must contain a visible character";
        }

        return text.Length > MaxTextLength
            ? $"the post text is {text.Length} characters long; the limit is {MaxTextLength}"
            : null;
    }

    /// <summary>Returns null for an id, author or source of <paramref name="length"/> UTF-16 code units, else why not.</summary>
    public static string? ValidateField(string name, int length) =>
        length > MaxFieldLength
            ? $"the post {name} is {length} characters long; the limit is {MaxFieldLength}"
            : null;
}
