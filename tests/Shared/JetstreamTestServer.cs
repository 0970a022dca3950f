using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WordCloud.Tests.Shared;

/// <summary>One WebSocket request the server saw: its query, and what the Jetstream protocol reads from it.</summary>
/// <param name="Query">The raw query string, with its leading '?', or empty.</param>
/// <param name="WantedCollections">Every <c>wantedCollections</c> value, in order.</param>
/// <param name="Cursor">The <c>cursor</c> (a time_us), or null for none.</param>
/// <param name="Refused">True when the server answered 503 instead of accepting it (<see cref="JetstreamTestServer.RefuseConnections"/>).</param>
public sealed record JetstreamTestConnection(string Query, IReadOnlyList<string> WantedCollections, long? Cursor, bool Refused);

/// <summary>
/// A local stand-in for Bluesky's Jetstream, for tests without the internet: Kestrel on 127.0.0.1 and a free port,
/// serving <c>/subscribe</c> as a WebSocket that plays a script.
/// </summary>
/// <remarks>
/// <para>
/// The script is a list of frames (any text, malformed JSON included) and of connection ends, appended with
/// <see cref="Send"/>, <see cref="DropConnection"/> and <see cref="CloseConnection"/> before or while clients are
/// connected. Each connection plays the script from its start, or, with <c>cursor=T</c>, from the first frame whose
/// <c>time_us</c> is at least T (inclusive, so the last event a client read comes again, as from Jetstream), then
/// waits for more. A drop (the TCP connection aborted without a close) or a clean close ends the connection that
/// reaches it and is then used up: a reconnect replaying past it goes on.
/// </para>
/// <para>
/// From an end-to-end test: <c>await using var jetstream = await JetstreamTestServer.StartAsync();</c>, append frames
/// made with <see cref="JetstreamFrames"/>, run the producer with <c>--source jetstream --jetstream-url
/// {jetstream.Url}</c>, and read <see cref="Connections"/> or wait with <see cref="WaitForConnectionsAsync"/>.
/// </para>
/// </remarks>
public sealed class JetstreamTestServer : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<Entry> _script = [];
    private readonly List<JetstreamTestConnection> _connections = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _listeners = [];
    private TaskCompletionSource _changed = NewSignal();
    private WebApplication? _app;
    private int _refuse;

    private JetstreamTestServer()
    {
    }

    /// <summary>The subscribe URL: <c>ws://127.0.0.1:{port}/subscribe</c>.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>When set, each frame goes out in WebSocket fragments of at most this many bytes.</summary>
    public int? FragmentSize { get; set; }

    /// <summary>Every request so far, in order, refused ones included.</summary>
    public IReadOnlyList<JetstreamTestConnection> Connections
    {
        get
        {
            lock (_gate)
            {
                return [.. _connections];
            }
        }
    }

    /// <summary>Starts the server on a free loopback port, with <paramref name="frames"/> as the start of its script.</summary>
    public static async Task<JetstreamTestServer> StartAsync(params string[] frames)
    {
        var server = new JetstreamTestServer();
        server.Send(frames);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        app.UseWebSockets();
        app.Map("/subscribe", server.SubscribeAsync);
        await app.StartAsync();
        server._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new UriBuilder(address) { Scheme = "ws", Path = "/subscribe" }.Uri;
        return server;
    }

    /// <summary>Appends frames to the script; connected clients get them at once.</summary>
    public void Send(params string[] frames)
    {
        foreach (var frame in frames)
        {
            Append(new Entry(EntryKind.Frame, frame, TimeUsOf(frame)));
        }
    }

    /// <summary>Appends a drop: the connection that reaches it is aborted, without a close handshake. Used once.</summary>
    public void DropConnection() => Append(new Entry(EntryKind.Drop, null, null));

    /// <summary>Appends a clean close (1000, normal closure): the connection that reaches it is closed. Used once.</summary>
    public void CloseConnection() => Append(new Entry(EntryKind.Close, null, null));

    /// <summary>Answers the next <paramref name="count"/> requests with 503, as a host that is down.</summary>
    public void RefuseConnections(int count)
    {
        lock (_gate)
        {
            _refuse += count;
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> requests (refused ones included) have come.</summary>
    /// <exception cref="TimeoutException">They did not come within <paramref name="timeout"/>; the message lists those that did.</exception>
    public async Task<IReadOnlyList<JetstreamTestConnection>> WaitForConnectionsAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_connections.Count >= count)
                {
                    return [.. _connections];
                }

                changed = _changed.Task;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || await Task.WhenAny(changed, Task.Delay(left)) != changed)
            {
                throw new TimeoutException($"expected {count} Jetstream connections within {timeout}; came: [{string.Join(", ", Connections.Select(c => $"'{c.Query}'"))}]");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _stopping.CancelAsync();
        }
        catch (AggregateException late) when (late.InnerExceptions.All(inner => inner is ObjectDisposedException))
        {
            // A socket whose request Kestrel has already ended (a scripted drop) throws from its cancellation callback:
            // that connection is gone, which is all the cancellation was for.
            System.Diagnostics.Debug.WriteLine($"Jetstream test server: {late.InnerExceptions.Count} connections had ended before the stop");
        }

        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Task[] listeners;
        lock (_gate)
        {
            listeners = [.. _listeners];
        }

        await Task.WhenAll(listeners);

        _stopping.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static long? TimeUsOf(string frame)
    {
        try
        {
            using var document = JsonDocument.Parse(frame);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("time_us", out var time) && time.TryGetInt64(out var timeUs)
                    ? timeUs
                    : null;
        }
        catch (JsonException)
        {
            // A malformed frame on purpose: it has no time, and plays by its place in the script.
            return null;
        }
    }

    private void Append(Entry entry)
    {
        lock (_gate)
        {
            _script.Add(entry);
            Pulse();
        }
    }

    /// <summary>Wakes every waiter; called under the lock.</summary>
    private void Pulse()
    {
        var changed = _changed;
        _changed = NewSignal();
        changed.TrySetResult();
    }

    private async Task SubscribeAsync(HttpContext context)
    {
        var query = context.Request.Query;
        long? cursor = long.TryParse(query["cursor"], out var value) ? value : null;
        bool refused;
        int next;
        lock (_gate)
        {
            refused = _refuse > 0;
            _refuse -= refused ? 1 : 0;
            _connections.Add(new JetstreamTestConnection(context.Request.QueryString.Value ?? string.Empty, [.. query["wantedCollections"].OfType<string>()], cursor, refused));
            next = cursor is { } from ? FirstAtOrAfter(from) : 0;
            Pulse();
        }

        if (refused || !context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = refused ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status400BadRequest;
            return;
        }

        // Not disposed here: after a scripted drop or close the handler returns while the client may still be reading,
        // and Kestrel, not an abort, must end the connection so that the frames before it get out.
        var socket = await context.WebSockets.AcceptWebSocketAsync();
        var clientLeft = NewSignal();
        var listening = ListenAsync(socket, clientLeft);
        lock (_gate)
        {
            _listeners.Add(listening);
        }

        try
        {
            await PlayAsync(socket, next, clientLeft.Task);
        }
        catch (Exception gone) when (gone is OperationCanceledException or WebSocketException or IOException)
        {
            // The client left, or the server is stopping: the end of this connection either way.
            context.Abort();
        }
    }

    private async Task PlayAsync(WebSocket socket, int next, Task clientLeft)
    {
        while (!clientLeft.IsCompleted)
        {
            Entry? entry = null;
            Task changed;
            lock (_gate)
            {
                if (next < _script.Count)
                {
                    entry = _script[next++];
                }

                changed = _changed.Task;
            }

            if (entry is null)
            {
                await Task.WhenAny(changed, clientLeft).WaitAsync(_stopping.Token);
                continue;
            }

            switch (entry.Kind)
            {
                case EntryKind.Frame:
                    await SendFrameAsync(socket, Encoding.UTF8.GetBytes(entry.Text!), _stopping.Token);
                    break;
                case EntryKind.Drop when entry.TryUse():
                    // Returning without a close frame: Kestrel sends what is written, then ends the TCP connection.
                    return;
                case EntryKind.Close when entry.TryUse():
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "scripted close", _stopping.Token);
                    return;
            }
        }
    }

    private async Task SendFrameAsync(WebSocket socket, byte[] bytes, CancellationToken ended)
    {
        var size = FragmentSize is > 0 and var fragment ? fragment : bytes.Length;
        var sent = 0;
        do
        {
            var length = Math.Min(size, bytes.Length - sent);
            sent += length;
            await socket.SendAsync(bytes.AsMemory(sent - length, length), WebSocketMessageType.Text, endOfMessage: sent == bytes.Length, ended);
        }
        while (sent < bytes.Length);
    }

    /// <summary>
    /// Reads what the client sends (its close, and the pongs of its keep-alive pings, which a socket answers only while
    /// reading), and says when it left, so that a play waiting for frames ends at once.
    /// </summary>
    private async Task ListenAsync(WebSocket socket, TaskCompletionSource clientLeft)
    {
        var buffer = new byte[1024];
        try
        {
            while ((await socket.ReceiveAsync(buffer, _stopping.Token)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception gone) when (gone is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // The connection ended under the read: the client left, the script ended it, or the server is stopping.
            System.Diagnostics.Debug.WriteLine($"Jetstream test server: a connection ended: {gone.GetType().Name}");
        }
        finally
        {
            clientLeft.TrySetResult();
        }
    }

    private int FirstAtOrAfter(long cursor)
    {
        var index = _script.FindIndex(entry => entry.TimeUs >= cursor);
        return index < 0 ? _script.Count : index;
    }

    private enum EntryKind
    {
        Frame,
        Drop,
        Close,
    }

    private sealed class Entry(EntryKind kind, string? text, long? timeUs)
    {
        private int _used;

        public EntryKind Kind { get; } = kind;

        public string? Text { get; } = text;

        public long? TimeUs { get; } = timeUs;

        /// <summary>True the first time only: a drop or close ends one connection, not every replay.</summary>
        public bool TryUse() => Interlocked.Exchange(ref _used, 1) == 0;
    }
}
