using System.Text;
using WordCloud.Client.Sources;

namespace WordCloud.Benchmarks.Produce;

/// <summary>
/// The `posts` command: writes a text file of demo posts about #beer, one per line, for <c>produce --file</c> and the
/// Python baseline to read (produce-local.sh). The same seed and count give the same file.
/// </summary>
public static class PostsFileCommand
{
    /// <summary>Writes COUNT posts to FILE through a temporary file, so a cut-short run leaves no half file behind.</summary>
    public static int Run(string[] arguments)
    {
        if (arguments is not [var path, var countText, ..] || !long.TryParse(countText, out var count) || count < 1)
        {
            Console.Error.WriteLine("usage: WordCloud.Benchmarks posts FILE COUNT [SEED]: writes COUNT demo posts (COUNT at least 1), one per line");
            return 1;
        }

        var seed = arguments is [_, _, var seedText, ..] && int.TryParse(seedText, out var given) ? given : 20261126;
        var feed = new DemoFeed(BenchmarkPosts.Topic, seed);
        var random = new Random(seed);
        var temporary = path + ".partial";
        using (var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(false), bufferSize: 1 << 16))
        {
            for (var index = 0L; index < count; index++)
            {
                writer.Write(feed.Compose(random));
                writer.Write('\n');
            }
        }

        File.Move(temporary, path, overwrite: true);
        return 0;
    }
}
