namespace WordCloud.EndToEndTests.Infrastructure;

/// <summary>
/// Two real silos talking TLS to each other and to clients, with a self-signed certificate pinned by its thumbprint
/// and client certificates required; and a second certificate nobody trusts.
/// </summary>
public sealed class TlsClusterFixture : IAsyncLifetime
{
    public const int Capacity = 20;

    private readonly string _directory = Directory.CreateTempSubdirectory("wordcloud-tls-").FullName;
    private LocalCluster? _cluster;

    public TlsClusterFixture()
    {
        Trusted = TestCertificate.Create(_directory, "wordcloud-cluster");
        Stranger = TestCertificate.Create(_directory, "stranger");
    }

    /// <summary>The certificate every silo presents and trusts.</summary>
    public TestCertificate Trusted { get; }

    /// <summary>A certificate of the same kind that no silo trusts.</summary>
    public TestCertificate Stranger { get; }

    public LocalCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public async Task InitializeAsync() =>
        _cluster = await LocalCluster.StartAsync(silos: 2, Capacity, redis: null, settings:
        [
            "--Tls:CertificatePath", Trusted.Path,
            "--Tls:CertificatePassword", Trusted.Password,
            "--Tls:AllowedThumbprints:0", Trusted.Thumbprint,
            "--Tls:RequireClientCertificate", "true",
        ]);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }
}
