using System.Reflection;

namespace WordCloud.EndToEndTests.Infrastructure;

/// <summary>Where the built silo and client are: the same configuration as this test assembly.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Configuration { get; } =
        typeof(RepoPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string SiloDll => Output("Silo", "WordCloud.Silo.dll");

    public static string ClientDll => Output("Client", "WordCloud.Client.dll");

    public static string BenchmarksDll => Output(Path.Combine("tests", "WordCloud.Benchmarks"), "WordCloud.Benchmarks.dll");

    private static string Output(string project, string assembly)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", assembly);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{assembly} is not built at {path}; build the solution first (dotnet build OrleansCloud.sln -c {Configuration}).", path);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OrleansCloud.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No OrleansCloud.sln above {AppContext.BaseDirectory}.");
    }
}
