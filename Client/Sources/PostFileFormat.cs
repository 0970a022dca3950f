namespace WordCloud.Client.Sources;

public enum PostFileFormat
{
    /// <summary>By extension: .jsonl and .ndjson are JSON lines, .csv is CSV, anything else (and standard input) is text.</summary>
    Auto,

    /// <summary>One post per line, the line being the post's text.</summary>
    Text,

    /// <summary>One JSON object per line: "text" (required), "id", "author", "created_at", "source".</summary>
    JsonLines,

    /// <summary>CSV with a header row; the post's text and other fields are in the columns named by the options.</summary>
    Csv,
}
