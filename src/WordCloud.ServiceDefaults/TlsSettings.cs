using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace WordCloud.ServiceDefaults;

/// <summary>
/// TLS between silos and from clients to gateways, from the configuration section "Tls" (ORLEANSCLOUD_Tls__*
/// environment variables; the client also takes --tls-certificate and --tls-thumbprint). With none of it set, traffic
/// is plain TCP.
/// </summary>
public sealed class TlsSettings
{
    public const string SectionName = "Tls";

    /// <summary>A PKCS#12 (.pfx) file holding this process's certificate and its private key.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of <see cref="CertificatePath"/>; best given as ORLEANSCLOUD_Tls__CertificatePassword.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Instead of a file: the subject of a certificate in the OS store <see cref="CertificateStore"/>.</summary>
    public string? CertificateSubject { get; set; }

    /// <summary>The store <see cref="CertificateSubject"/> is looked up in, such as My.</summary>
    public StoreName CertificateStore { get; set; } = StoreName.My;

    public StoreLocation CertificateStoreLocation { get; set; } = StoreLocation.CurrentUser;

    /// <summary>
    /// SHA-1 thumbprints of the certificates a remote end may present. Empty: a remote certificate must chain to a
    /// root this machine trusts instead (its host name is not checked: silos are reached by address).
    /// </summary>
    public List<string> AllowedThumbprints { get; set; } = [];

    /// <summary>Silos only: clients must present a certificate that passes the same check. Silos always check each other's.</summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>TLS is on once a certificate or a thumbprint to trust is given.</summary>
    public bool Enabled =>
        !string.IsNullOrWhiteSpace(CertificatePath) || !string.IsNullOrWhiteSpace(CertificateSubject) || AllowedThumbprints.Count > 0;

    public bool HasCertificate => !string.IsNullOrWhiteSpace(CertificatePath) || !string.IsNullOrWhiteSpace(CertificateSubject);

    /// <summary>The thumbprints in the form .NET prints them: upper case hex, without the colons or spaces openssl and Windows add.</summary>
    public IReadOnlySet<string> Pins =>
        AllowedThumbprints.Select(Normalize).ToHashSet(StringComparer.Ordinal);

    /// <summary>Whether a remote end's certificate is trusted: pinned, or else valid up to a trusted root.</summary>
    public bool Accepts(X509Certificate2 remote, SslPolicyErrors errors) =>
        AllowedThumbprints.Count > 0
            ? Pins.Contains(remote.Thumbprint)
            : (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None;

    /// <summary>This process's certificate, or null when none is set; throws what <see cref="TlsSettingsValidator"/> reports.</summary>
    /// <exception cref="CryptographicException">The file is not a PKCS#12 file, or the password does not open it.</exception>
    /// <exception cref="InvalidOperationException">The store holds no such certificate with a private key.</exception>
    public X509Certificate2? LoadCertificate()
    {
        if (!string.IsNullOrWhiteSpace(CertificatePath))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(CertificatePath, CertificatePassword);
        }

        if (string.IsNullOrWhiteSpace(CertificateSubject))
        {
            return null;
        }

        using var store = new X509Store(CertificateStore, CertificateStoreLocation);
        store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        return store.Certificates.Find(X509FindType.FindBySubjectName, CertificateSubject, validOnly: false)
            .Where(certificate => certificate.HasPrivateKey)
            .OrderByDescending(certificate => certificate.NotAfter)
            .FirstOrDefault()
            ?? throw new InvalidOperationException($"no certificate with subject '{CertificateSubject}' and a private key in {CertificateStoreLocation}/{CertificateStore}");
    }

    internal static string Normalize(string thumbprint) =>
        new([.. thumbprint.Where(character => character is not (':' or ' ' or '-')).Select(char.ToUpperInvariant)]);
}

/// <summary>Checks the "Tls" settings, opening the certificate, so a bad file or password stops the process at start.</summary>
/// <param name="certificateRequired">A silo needs its own certificate; a client may go without one.</param>
public sealed class TlsSettingsValidator(bool certificateRequired) : IValidateOptions<TlsSettings>
{
    public ValidateOptionsResult Validate(string? name, TlsSettings options)
    {
        if (!options.Enabled)
        {
            return options.RequireClientCertificate
                ? ValidateOptionsResult.Fail("Tls:RequireClientCertificate is true but TLS is off; set Tls:CertificatePath (or Tls:CertificateSubject) too")
                : ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.CertificatePath) && !string.IsNullOrWhiteSpace(options.CertificateSubject))
        {
            failures.Add("Tls:CertificatePath and Tls:CertificateSubject are both set; name the certificate one way only");
        }
        else if (!options.HasCertificate && certificateRequired)
        {
            failures.Add("Tls:CertificatePath is empty; with TLS on a silo needs its own certificate: a PKCS#12 (.pfx) file, or Tls:CertificateSubject in the OS store");
        }
        else if (!string.IsNullOrWhiteSpace(options.CertificatePath) && !File.Exists(options.CertificatePath))
        {
            failures.Add($"Tls:CertificatePath '{options.CertificatePath}' does not exist; it must be a PKCS#12 (.pfx) file");
        }
        else if (options.HasCertificate)
        {
            CheckCertificate(options, failures);
        }

        foreach (var thumbprint in options.AllowedThumbprints)
        {
            var normalized = TlsSettings.Normalize(thumbprint);
            if (normalized.Length != 40 || !normalized.All(char.IsAsciiHexDigit))
            {
                failures.Add($"Tls:AllowedThumbprints has '{thumbprint}'; a thumbprint is the certificate's SHA-1 hash, 40 hex digits");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckCertificate(TlsSettings options, List<string> failures)
    {
        try
        {
            using var certificate = options.LoadCertificate();
            if (certificate is { HasPrivateKey: false })
            {
                failures.Add($"Tls:CertificatePath '{options.CertificatePath}' holds no private key; export the certificate with its key (openssl pkcs12 -export -inkey ...)");
            }
        }
        catch (CryptographicException failure) when (!string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            failures.Add($"Tls:CertificatePassword does not open Tls:CertificatePath '{options.CertificatePath}', or it is not a PKCS#12 (.pfx) file ({failure.Message})");
        }
        catch (Exception failure) when (failure is CryptographicException or InvalidOperationException)
        {
            failures.Add($"Tls:CertificateSubject cannot be used: {failure.Message}");
        }
    }
}
