namespace WordCloud.Abstractions;

/// <summary>What makes a post acceptable. The grain is the authority; clients use the same rules to report early.</summary>
public static class PostRules
{
    /// <summary>Longest accepted post text, in UTF-16 code units.</summary>
    public const int MaxTextLength = 10_000;

    /// <summary>Longest accepted id, author or source.</summary>
    public const int MaxFieldLength = 256;

    /// <summary>Returns null for an acceptable post, else a sentence naming the value and the rule it breaks.</summary>
    public static string? Validate(Post? post)
    {
        if (post is null)
        {
            return "the post is null; a post is an object with at least a 'text'";
        }

        if (string.IsNullOrWhiteSpace(post.Text))
        {
            return post.Text is null
                ? "the post has no text; 'text' is required"
                : "the post text is empty or whitespace only; 'text' must contain a visible character";
        }

        if (post.Text.Length > MaxTextLength)
        {
            return $"the post text is {post.Text.Length} characters long; the limit is {MaxTextLength}";
        }

        return CheckField("id", post.Id) ?? CheckField("author", post.Author) ?? CheckField("source", post.Source);
    }

    private static string? CheckField(string name, string? value) =>
        value is { Length: > MaxFieldLength }
            ? $"the post {name} is {value.Length} characters long; the limit is {MaxFieldLength}"
            : null;
}
