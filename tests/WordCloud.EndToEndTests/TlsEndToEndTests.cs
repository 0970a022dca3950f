using System.Text.Json;
using WordCloud.EndToEndTests.Infrastructure;

namespace WordCloud.EndToEndTests;

/// <summary>Two real silos with TLS between them and to their gateways, and real clients with and without the right certificate.</summary>
public sealed class TlsEndToEndTests(TlsClusterFixture fixture) : IClassFixture<TlsClusterFixture>
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(30);

    private readonly LocalCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task AClientWithTheClusterCertificateProducesAndScansThroughBothGateways()
    {
        // Arrange: the second silo is up, so it joined the first over TLS; each client run goes through one gateway.
        var topic = NewTopic();

        // Act
        var produce = await RunClientAsync(["produce", "--topic", topic, "--count", "5", "--every", "0", "--seed", "3", .. Gateway(0), .. TrustedClient()], WithPassword(fixture.Trusted));
        var scan = await RunClientAsync(["scan", "--topic", topic, "--once", "--json", .. Gateway(1), .. TrustedClient()], WithPassword(fixture.Trusted));

        // Assert
        Assert.True(produce.ExitCode == 0, produce.AllOutput);
        Assert.Contains($"TLS to the gateways: presenting certificate {fixture.Trusted.Thumbprint}", produce.AllOutput, StringComparison.Ordinal);
        Assert.True(scan.ExitCode == 0, scan.AllOutput);
        Assert.Equal(5, CountOf(scan));
        Assert.Contains("Orleans traffic between silos and from clients: TLS", _cluster.AllSiloOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClientWithoutTlsSettingsCannotConnectAndAppendsNothing()
    {
        // Arrange
        var topic = NewTopic();

        // Act
        var plain = await RunClientAsync(["produce", "--topic", topic, "--count", "3", "--every", "0", "--connect-timeout", "2s", .. Gateway(0)]);

        // Assert
        Assert.True(plain.ExitCode == 3, plain.AllOutput);
        Assert.Contains("Cannot reach the cluster", plain.AllOutput, StringComparison.Ordinal);
        Assert.Equal(0, await CountWithTrustedClientAsync(topic));
    }

    [Fact]
    public async Task AClientPresentingACertificateTheSilosDoNotTrustCannotConnectAndAppendsNothing()
    {
        // Arrange: the client trusts the cluster, so only the silos' check of the client's certificate can refuse it.
        var topic = NewTopic();

        // Act
        var stranger = await RunClientAsync(
            ["produce", "--topic", topic, "--count", "3", "--every", "0", "--connect-timeout", "2s", .. Gateway(0),
             "--tls-certificate", fixture.Stranger.Path, "--tls-thumbprint", fixture.Trusted.Thumbprint],
            WithPassword(fixture.Stranger));

        // Assert
        Assert.True(stranger.ExitCode == 3, stranger.AllOutput);
        Assert.Equal(0, await CountWithTrustedClientAsync(topic));
    }

    [Fact]
    public async Task AClientThatTrustsAnotherCertificateRefusesTheGatewaysAndAppendsNothing()
    {
        // Arrange: the client presents the cluster's certificate, so only its own check of the gateway's can refuse.
        var topic = NewTopic();

        // Act
        var run = await RunClientAsync(
            ["produce", "--topic", topic, "--count", "3", "--every", "0", "--connect-timeout", "2s", .. Gateway(0),
             "--tls-certificate", fixture.Trusted.Path, "--tls-thumbprint", fixture.Stranger.Thumbprint],
            WithPassword(fixture.Trusted));

        // Assert
        Assert.True(run.ExitCode == 3, run.AllOutput);
        Assert.Equal(0, await CountWithTrustedClientAsync(topic));
    }

    [Fact]
    public async Task AClientWithAWrongCertificatePasswordExitsWithOneLineNamingTheKey()
    {
        // Act
        var run = await RunClientAsync(
            ["scan", "--topic", NewTopic(), "--once", .. Gateway(0), "--tls-certificate", fixture.Trusted.Path],
            new Dictionary<string, string> { ["ORLEANSCLOUD_Tls__CertificatePassword"] = "not-the-password" });

        // Assert
        Assert.Equal(1, run.ExitCode);
        var error = run.StandardError.Trim();
        Assert.StartsWith("error: invalid configuration: Tls:CertificatePassword does not open Tls:CertificatePath", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Theory]
    [InlineData("missing.pfx", null, "Tls:CertificatePath '{directory}/missing.pfx' does not exist")]
    [InlineData("wordcloud-cluster.pfx", "not-the-password", "Tls:CertificatePassword does not open Tls:CertificatePath")]
    public async Task ASiloWithABadCertificateSettingExitsWithOneLineNamingTheKey(string file, string? password, string expected)
    {
        // Arrange: free ports, so that only the certificate can stop the silo.
        var directory = Path.GetDirectoryName(fixture.Trusted.Path)!;
        var ports = FreePorts.Take(3);
        string[] arguments =
        [
            "--Silo:SiloPort", $"{ports[0]}", "--Silo:GatewayPort", $"{ports[1]}", "--Silo:HttpPort", $"{ports[2]}", "--Silo:PrimarySiloPort", $"{ports[0]}",
            "--Tls:CertificatePath", Path.Combine(directory, file), "--Tls:CertificatePassword", password ?? fixture.Trusted.Password,
        ];

        // Act
        await using var silo = RunningProcess.Start("silo", RepoPaths.SiloDll, arguments);
        var exitCode = await silo.WaitForExitAsync(ClientTimeout);

        // Assert
        Assert.Equal(2, exitCode);
        var error = silo.StandardError.Trim();
        Assert.StartsWith("error: invalid configuration: ", error, StringComparison.Ordinal);
        Assert.Contains(expected.Replace("{directory}", directory, StringComparison.Ordinal), error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    private string[] TrustedClient() => ["--tls-certificate", fixture.Trusted.Path, "--tls-thumbprint", fixture.Trusted.Thumbprint];

    private string[] Gateway(int instance) => ["--gateway", $"127.0.0.1:{_cluster.GatewayPorts[instance]}"];

    private static Dictionary<string, string> WithPassword(TestCertificate certificate) =>
        new() { ["ORLEANSCLOUD_Tls__CertificatePassword"] = certificate.Password };

    private async Task<int> CountWithTrustedClientAsync(string topic)
    {
        var scan = await RunClientAsync(["scan", "--topic", topic, "--once", "--json", .. Gateway(1), .. TrustedClient()], WithPassword(fixture.Trusted));
        Assert.True(scan.ExitCode == 0, scan.AllOutput);
        return CountOf(scan);
    }

    private static int CountOf(ClientRun scan)
    {
        using var json = JsonDocument.Parse(scan.StandardOutput.Trim());
        return json.RootElement.GetProperty("count").GetInt32();
    }

    private static Task<ClientRun> RunClientAsync(string[] arguments, IDictionary<string, string>? environment = null) =>
        ClientRun.RunAsync(arguments, ClientTimeout, environment: environment);

    private static string NewTopic() => $"tls{Guid.NewGuid():N}"[..20];
}
