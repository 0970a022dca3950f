using System.Security.Cryptography.X509Certificates;
using Orleans.Configuration;
using Orleans.Connections.Security;
using WordCloud.ServiceDefaults;

namespace WordCloud.Silo.Security;

/// <summary>TLS on the silo's two Orleans listeners (silo port and gateway) and on its connections to other silos.</summary>
public static class SiloTls
{
    /// <summary>
    /// Silos always authenticate each other (each presents its certificate, each checks the other's); clients are asked
    /// for one only with Tls:RequireClientCertificate. Orleans' own UseTls applies one setting to both listeners, so
    /// the connections are configured here one kind at a time.
    /// </summary>
    public static ISiloBuilder UseWordCloudTls(this ISiloBuilder orleans, TlsSettings tls, X509Certificate2 certificate)
    {
        var betweenSilos = Options(tls, certificate, RemoteCertificateMode.RequireCertificate);
        var fromClients = Options(tls, certificate, tls.RequireClientCertificate ? RemoteCertificateMode.RequireCertificate : RemoteCertificateMode.NoCertificate);
        return orleans.Configure<SiloConnectionOptions>(connections =>
        {
            connections.ConfigureSiloInboundConnection(connection => connection.UseServerTls(betweenSilos));
            connections.ConfigureSiloOutboundConnection(connection => connection.UseClientTls(betweenSilos));
            connections.ConfigureGatewayInboundConnection(connection => connection.UseServerTls(fromClients));
        });
    }

    private static TlsOptions Options(TlsSettings tls, X509Certificate2 certificate, RemoteCertificateMode remote)
    {
        return new TlsOptions
        {
            LocalCertificate = certificate,
            RemoteCertificateMode = remote,
            ClientCertificateMode = remote,
            // Replaces the default check (no chain errors at all) with the settings' own: pinned, or chained to a trusted root.
            RemoteCertificateValidation = (remoteCertificate, _, errors) => tls.Accepts(remoteCertificate, errors),
        };
    }
}
