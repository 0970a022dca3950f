namespace WordCloud.Client.Sources;

public enum PostFileFormat
{
    /// <summary>By extension: .jsonl and .ndjson are JSON lines, anything else (and standard input) is text.</summary>
    Auto,

    /// <summary>One post per line, the line being the post's text.</summary>
    Text,

    /// <summary>One JSON object per line: "text" (required), "id", "author", "created_at", "source".</summary>
    JsonLines,
}
