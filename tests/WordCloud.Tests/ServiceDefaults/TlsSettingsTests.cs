using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WordCloud.ServiceDefaults;

namespace WordCloud.Tests.ServiceDefaults;

public sealed class TlsSettingsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wordcloud-tls-settings-").FullName;

    [Fact]
    public void WithNoTlsSettingTlsIsOffAndValid()
    {
        var settings = new TlsSettings();

        var result = new TlsSettingsValidator(certificateRequired: true).Validate(null, settings);

        Assert.False(settings.Enabled);
        Assert.True(result.Succeeded);
    }

    [Fact]
    public void ASiloWithOnlyAThumbprintIsToldItNeedsACertificate()
    {
        var settings = new TlsSettings { AllowedThumbprints = [new string('A', 40)] };

        var result = new TlsSettingsValidator(certificateRequired: true).Validate(null, settings);

        Assert.StartsWith("Tls:CertificatePath is empty", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void AClientMayTrustAThumbprintWithoutACertificateOfItsOwn()
    {
        var settings = new TlsSettings { AllowedThumbprints = [new string('a', 40)] };

        var result = new TlsSettingsValidator(certificateRequired: false).Validate(null, settings);

        Assert.True(settings.Enabled);
        Assert.True(result.Succeeded);
    }

    [Fact]
    public void AMissingCertificateFileIsNamedByItsKey()
    {
        var missing = Path.Combine(_directory, "missing.pfx");

        var result = new TlsSettingsValidator(certificateRequired: true).Validate(null, new TlsSettings { CertificatePath = missing });

        Assert.Equal($"Tls:CertificatePath '{missing}' does not exist; it must be a PKCS#12 (.pfx) file", Assert.Single(result.Failures!));
    }

    [Fact]
    public void AWrongPasswordIsNamedByItsKey()
    {
        var (path, _) = WriteCertificate("right-password");

        var result = new TlsSettingsValidator(certificateRequired: true).Validate(null, new TlsSettings { CertificatePath = path, CertificatePassword = "wrong" });

        Assert.StartsWith("Tls:CertificatePassword does not open Tls:CertificatePath", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void ACertificateThatOpensWithItsPasswordIsValidAndLoads()
    {
        var (path, thumbprint) = WriteCertificate("right-password");
        var settings = new TlsSettings { CertificatePath = path, CertificatePassword = "right-password" };

        var result = new TlsSettingsValidator(certificateRequired: true).Validate(null, settings);
        using var certificate = settings.LoadCertificate();

        Assert.True(result.Succeeded);
        Assert.Equal(thumbprint, certificate?.Thumbprint);
        Assert.True(certificate?.HasPrivateKey);
    }

    [Theory]
    [InlineData("not-hex")]
    [InlineData("ABCDEF")]
    public void AThumbprintThatIsNotFortyHexDigitsIsRefused(string thumbprint)
    {
        var result = new TlsSettingsValidator(certificateRequired: false).Validate(null, new TlsSettings { AllowedThumbprints = [thumbprint] });

        Assert.Equal($"Tls:AllowedThumbprints has '{thumbprint}'; a thumbprint is the certificate's SHA-1 hash, 40 hex digits", Assert.Single(result.Failures!));
    }

    [Fact]
    public void APinnedCertificateIsAcceptedWhateverItsChainAndAnotherIsNot()
    {
        using var pinned = SelfSigned("pinned");
        using var other = SelfSigned("other");
        // As openssl prints it: lower case is fine too, with colons.
        var printed = string.Join(':', pinned.Thumbprint.ToLowerInvariant().Chunk(2).Select(pair => new string(pair)));
        var settings = new TlsSettings { AllowedThumbprints = [printed] };

        Assert.True(settings.Accepts(pinned, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(settings.Accepts(other, SslPolicyErrors.None));
    }

    [Fact]
    public void WithoutPinsOnlyAChainToATrustedRootIsAcceptedWhateverTheHostName()
    {
        using var certificate = SelfSigned("chained");
        var settings = new TlsSettings { CertificatePath = "cluster.pfx" };

        Assert.True(settings.Accepts(certificate, SslPolicyErrors.None));
        Assert.True(settings.Accepts(certificate, SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.False(settings.Accepts(certificate, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private (string Path, string Thumbprint) WriteCertificate(string password)
    {
        using var certificate = SelfSigned("cluster");
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return (path, certificate.Thumbprint);
    }

    private static X509Certificate2 SelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }
}
