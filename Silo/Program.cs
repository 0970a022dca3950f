using WordCloud.Silo;

try
{
    // Settings files sit beside the binary, so the silo reads them from whatever directory it is started in.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddWordCloudSilo(args);
    var app = builder.Build();
    app.MapWordCloudSilo();
    await app.RunAsync();
    return 0;
}
catch (Exception failure) when (SiloStartupFailure.TryDescribe(failure, out var exitCode, out var message))
{
    await Console.Error.WriteLineAsync($"error: {message}");
    return exitCode;
}
