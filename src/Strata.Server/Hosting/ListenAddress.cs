using System.Net;

namespace Strata.Server.Hosting;

/// <summary>Parses <c>HOST:PORT</c>; HOST is an IP address or <c>localhost</c>.</summary>
internal static class ListenAddress
{
    public static bool TryParse(string? text, out IPEndPoint endpoint)
    {
        endpoint = new IPEndPoint(IPAddress.Loopback, 0);
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase))
        {
            text = "127.0.0.1" + text[9..];
        }

        if (!IPEndPoint.TryParse(text, out var parsed) || !text.Contains(':'))
        {
            return false;
        }

        endpoint = parsed;
        return true;
    }
}
