using System.CommandLine;
using WordCloud.Client.Sources;

namespace WordCloud.Client.Commands;

/// <summary>The options of <c>produce --file posts.csv</c>: which columns hold the text and the other fields.</summary>
public static class CsvOptions
{
    public static readonly Option<string> TextColumn = new("--text-column")
    {
        Description = "The CSV column (by header name) that holds each post's text.",
        DefaultValueFactory = _ => CsvColumns.DefaultText,
    };

    public static readonly Option<string?> IdColumn = new("--id-column")
    {
        Description = "The CSV column that holds each post's id. Default: none.",
    };

    public static readonly Option<string?> AuthorColumn = new("--author-column")
    {
        Description = "The CSV column that holds each post's author. Default: none.",
    };

    public static readonly Option<string?> TimeColumn = new("--time-column")
    {
        Description = "The CSV column that holds when each post was written, ISO 8601 such as 2026-11-26T10:00:00Z. Default: none.",
    };

    public static readonly Option<string?> SourceColumn = new("--source-column")
    {
        Description = "The CSV column that holds where each post comes from. Default: none (the source is \"file\").",
    };

    private static readonly Option[] Columns = [TextColumn, IdColumn, AuthorColumn, TimeColumn, SourceColumn];

    public static void AddTo(Command command)
    {
        foreach (var option in Columns)
        {
            command.Options.Add(option);
            option.Validators.Add(result =>
            {
                if (result.Tokens.Count > 0 && string.IsNullOrWhiteSpace(result.Tokens[0].Value))
                {
                    result.AddError($"invalid {option.Name} '{result.Tokens[0].Value}': a column is named by its header, which is not blank");
                }
            });
        }
    }

    /// <summary>True when a column option was given, which only a CSV file can use.</summary>
    public static bool AnyGiven(ParseResult parse) => Columns.Any(option => parse.GetResult(option) is { Implicit: false });

    public static CsvColumns ColumnsFrom(ParseResult parse) => new(
        parse.GetValue(TextColumn) ?? CsvColumns.DefaultText,
        parse.GetValue(IdColumn),
        parse.GetValue(AuthorColumn),
        parse.GetValue(TimeColumn),
        parse.GetValue(SourceColumn));
}
