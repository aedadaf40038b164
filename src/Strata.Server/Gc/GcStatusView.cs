using Strata.Metadata.Contracts.Gc;

namespace Strata.Server.Gc;

/// <summary><c>GET /api/v1/gc/status</c>: the review backlog and the settings in force.</summary>
internal sealed record GcStatusView(GcBacklog Backlog, bool Enabled, TimeSpan GracePeriod, TimeSpan UploadExpiry, bool DeleteUntagged, TimeSpan Interval, TimeSpan StorageSweepInterval);
