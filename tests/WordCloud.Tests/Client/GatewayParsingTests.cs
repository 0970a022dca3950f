using System.Net;
using WordCloud.Client.Commands;

namespace WordCloud.Tests.Client;

public sealed class GatewayParsingTests
{
    [Theory]
    [InlineData("127.0.0.1:30000", "127.0.0.1", 30000)]
    [InlineData("10.1.2.3:1", "10.1.2.3", 1)]
    [InlineData("127.0.0.1:65535", "127.0.0.1", 65535)]
    [InlineData("[::1]:30000", "::1", 30000)]
    [InlineData("[fe80::1]:30002", "fe80::1", 30002)]
    public void AddressAndPortParse(string text, string address, int port)
    {
        var ok = CommonOptions.TryParseEndpoint(text, out var endpoint, out var error);

        Assert.True(ok, error);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), endpoint);
    }

    [Fact]
    public void HostNameIsResolved()
    {
        var ok = CommonOptions.TryParseEndpoint("localhost:30001", out var endpoint, out var error);

        Assert.True(ok, error);
        Assert.True(IPAddress.IsLoopback(endpoint.Address), $"localhost resolved to {endpoint.Address}");
        Assert.Equal(30001, endpoint.Port);
    }

    [Theory]
    [InlineData("nohost")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:-1")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("127.0.0.1:99999999999")]
    [InlineData("x:y")]
    [InlineData(":30000")]
    [InlineData("")]
    public void MalformedGatewayIsRejectedWithAMessageNamingIt(string text)
    {
        var ok = CommonOptions.TryParseEndpoint(text, out _, out var error);

        Assert.False(ok);
        Assert.Contains($"invalid --gateway '{text}'", error, StringComparison.Ordinal);
        Assert.Contains("host:port", error, StringComparison.Ordinal);
        Assert.Contains("1 to 65535", error, StringComparison.Ordinal);
    }

    [Fact]
    public void LocalClusterGatewaysAreTheTenLoopbackPortsFrom30000()
    {
        var gateways = CommonOptions.LocalClusterGateways;

        Assert.Equal(Enumerable.Range(30000, 10).Select(port => new IPEndPoint(IPAddress.Loopback, port)), gateways);
    }
}
