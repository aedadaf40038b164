using System.ComponentModel.DataAnnotations;

namespace Strata.Server.Gc;

/// <summary>Settings of CernVM-FS repository garbage collection (configuration section <c>Gc:Cvmfs</c>).</summary>
public sealed class CvmfsGcOptions
{
    public const string Section = "Gc:Cvmfs";

    /// <summary>Whether this process collects the repository in the background.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Revisions younger than this (and tagged ones) are preserved (cvmfs_server: 3 days).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan RevisionRetention { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Objects written within this span are never swept (a publication writes objects before its manifest).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan ObjectGrace { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the repository is collected (cvmfs_server's auto-GC lapse: 1 day).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);
}
