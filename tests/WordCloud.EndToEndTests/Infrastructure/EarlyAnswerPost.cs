using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WordCloud.EndToEndTests.Infrastructure;

/// <summary>
/// A POST over a plain socket whose answer is read while its body is still being sent. A server may answer a body it
/// refuses before taking all of it, and close the connection; HttpClient, which sends the whole body before it reads
/// the answer, then reports a failed send instead of the answer.
/// </summary>
public static class EarlyAnswerPost
{
    /// <summary>Sends <paramref name="content"/> chunked and returns the status of the answer.</summary>
    public static async Task<HttpStatusCode> SendChunkedAsync(int port, string path, RepeatedJsonContent content)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var answered = new CancellationTokenSource();
        var sending = SendChunksAsync(stream, content, answered.Token);
        var status = await ReadStatusAsync(stream);
        await answered.CancelAsync();
        try
        {
            await sending;
        }
        catch (Exception stopped) when (stopped is IOException or OperationCanceledException)
        {
            // Expected: the body was cut short, by the answer or by the server closing the connection after it.
        }

        return status;
    }

    private static async Task SendChunksAsync(NetworkStream stream, RepeatedJsonContent content, CancellationToken cancellationToken)
    {
        await content.WriteAsync(async bytes =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"{bytes.Length:X}\r\n"), cancellationToken);
            await stream.WriteAsync(bytes, cancellationToken);
            await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
        });
        await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), cancellationToken);
    }

    /// <summary>The status code of the answer's first line, "HTTP/1.1 413 Payload Too Large".</summary>
    private static async Task<HttpStatusCode> ReadStatusAsync(NetworkStream stream)
    {
        var line = new StringBuilder();
        var buffer = new byte[1];
        while (!line.ToString().EndsWith("\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(buffer) == 0)
            {
                throw new IOException($"the connection closed before an answer: '{line}'");
            }

            line.Append((char)buffer[0]);
        }

        return (HttpStatusCode)int.Parse(line.ToString().Split(' ')[1], CultureInfo.InvariantCulture);
    }
}
