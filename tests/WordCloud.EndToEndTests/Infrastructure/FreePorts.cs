using System.Net;
using System.Net.Sockets;

namespace WordCloud.EndToEndTests.Infrastructure;

public static class FreePorts
{
    private static readonly object Gate = new();
    private static readonly HashSet<int> Handed = [];

    /// <summary>
    /// Loopback ports nobody listens on now. All are held open until all are chosen, so one call never returns the
    /// same port twice, and ports handed out earlier in this test run are never handed out again.
    /// </summary>
    public static int[] Take(int count)
    {
        lock (Gate)
        {
            var listeners = new List<TcpListener>();
            try
            {
                var ports = new List<int>();
                while (ports.Count < count)
                {
                    var listener = new TcpListener(IPAddress.Loopback, 0);
                    listener.Start();
                    listeners.Add(listener);
                    var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                    if (Handed.Add(port))
                    {
                        ports.Add(port);
                    }
                }

                return [.. ports];
            }
            finally
            {
                listeners.ForEach(listener => listener.Stop());
            }
        }
    }
}
