using System.CommandLine;
using WordCloud.Client.Commands;

var root = new RootCommand("OrleansCloud client: push posts into a topic's window and watch its top words.")
{
    new ProduceCommand(),
    new ScanCommand(),
};

// Ctrl-C and SIGTERM cancel the running command, which then finishes its work and says what it did.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(15) });
