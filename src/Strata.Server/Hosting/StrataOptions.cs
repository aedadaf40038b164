namespace Strata.Server.Hosting;

/// <summary>
/// Top-level settings, bound from the configuration root: <c>Data</c> and <c>Listen</c>
/// (also <c>--data</c>/<c>--listen</c> on <c>strata serve</c>, or <c>STRATA__Data</c>/<c>STRATA__Listen</c>).
/// </summary>
public sealed class StrataOptions
{
    /// <summary>Folder holding everything of an embedded deployment: <c>storage/</c> (blobs) and <c>strata.db</c>.</summary>
    public string Data { get; set; } = "strata-data";

    /// <summary><c>HOST:PORT</c> to listen on; port 0 picks a free one (tests).</summary>
    public string Listen { get; set; } = "127.0.0.1:5000";
}
