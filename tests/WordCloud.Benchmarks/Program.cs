using BenchmarkDotNet.Running;
using WordCloud.Benchmarks.Load;

// `micro …`: BenchmarkDotNet (its own arguments follow); `load …`: the load command against a running cluster.
return args is ["micro", .. var rest]
    ? RunMicro(rest)
    : await LoadCommand.Create().Parse(args is ["load", .. var options] ? options : args).InvokeAsync();

static int RunMicro(string[] arguments)
{
    BenchmarkSwitcher.FromAssembly(typeof(LoadCommand).Assembly).Run(arguments);
    return 0;
}
