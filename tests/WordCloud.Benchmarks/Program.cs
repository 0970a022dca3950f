using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using WordCloud.Benchmarks.Load;
using WordCloud.Benchmarks.Produce;

// `micro …`: BenchmarkDotNet (its own arguments follow); `posts FILE COUNT`: a file of demo posts for `produce --file`;
// `load …`: the load command against a running cluster.
return args switch
{
    ["micro", .. var rest] => RunMicro(rest),
    ["posts", .. var rest] => PostsFileCommand.Run(rest),
    _ => await LoadCommand.Create().Parse(args is ["load", .. var options] ? options : args).InvokeAsync(),
};

static int RunMicro(string[] arguments)
{
    // The tests' smoke run uses whatever configuration the tests were built in; real measurements need Release.
    var config = Environment.GetEnvironmentVariable("WORDCLOUD_BENCH_SMOKE") == "1"
        ? DefaultConfig.Instance.WithOptions(ConfigOptions.DisableOptimizationsValidator)
        : DefaultConfig.Instance;
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(LoadCommand).Assembly).Run(arguments, config);
    return summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success)) ? 1 : 0;
}
