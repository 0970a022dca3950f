namespace WordCloud.Client.Sources;

/// <summary>Where a <see cref="JetstreamSource"/> connects, what it keeps, and how it waits between attempts.</summary>
/// <param name="Endpoints">
/// The subscribe URLs to try, in order: after a failure the source moves on to the next, wrapping around. One URL when
/// the user chose it (<c>--jetstream-url</c>); <see cref="PublicEndpoints"/> otherwise.
/// </param>
/// <param name="Topic">The topic, as a normalized topic name; a post belongs to it when it carries the tag (see <see cref="Hashtags"/>).</param>
/// <param name="Languages">The languages to keep (<c>--lang</c>).</param>
public sealed record JetstreamSettings(IReadOnlyList<Uri> Endpoints, string Topic, LanguageFilter Languages)
{
    /// <summary>Bluesky's public Jetstream instances; the first is the default, the others its fallbacks.</summary>
    public static readonly IReadOnlyList<Uri> PublicEndpoints =
    [
        new("wss://jetstream2.us-east.bsky.network/subscribe"),
        new("wss://jetstream1.us-east.bsky.network/subscribe"),
        new("wss://jetstream1.us-west.bsky.network/subscribe"),
        new("wss://jetstream2.us-west.bsky.network/subscribe"),
    ];

    /// <summary>The delay after the first failure; it doubles with each failure in a row, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one attempt to open the WebSocket may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How often the socket pings the server, and how long it waits for the pong: a connection that went dead without a
    /// close (a NAT or a proxy dropping it) would otherwise keep the source waiting for a frame forever.
    /// </summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(20);
}
