namespace WordCloud.Client.Sources;

/// <summary>Which columns of a CSV posts file hold what, by their header names; only the text column is required.</summary>
/// <param name="Text">The post's text (<c>--text-column</c>, default "text").</param>
/// <param name="Id">The post's id, or null for none.</param>
/// <param name="Author">The post's author, or null for none.</param>
/// <param name="Time">When the post was written, ISO 8601 / RFC 3339, or null for none.</param>
/// <param name="Source">Where the post comes from, or null for "file".</param>
public sealed record CsvColumns(string Text = CsvColumns.DefaultText, string? Id = null, string? Author = null, string? Time = null, string? Source = null)
{
    public const string DefaultText = "text";
}
