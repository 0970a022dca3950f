using WordCloud.AppHost;

var builder = DistributedApplication.CreateBuilder(args);
builder.AddWordCloud();
builder.Build().Run();
