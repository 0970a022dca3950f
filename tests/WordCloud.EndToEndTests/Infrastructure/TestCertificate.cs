using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WordCloud.EndToEndTests.Infrastructure;

/// <summary>A self-signed certificate for TLS between silos and clients, written to a password-protected PKCS#12 file.</summary>
public sealed record TestCertificate(string Path, string Password, string Thumbprint)
{
    /// <summary>Made like the openssl commands in docs/operations.md: RSA 2048, usable by servers and clients alike.</summary>
    public static TestCertificate Create(string directory, string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var password = $"pw-{Guid.NewGuid():N}";
        var path = System.IO.Path.Combine(directory, $"{name}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return new TestCertificate(path, password, certificate.Thumbprint);
    }
}
