using Strata.Publish.Gc;

namespace Strata.Server.Gc;

/// <summary>One CernVM-FS collection: flat images and layers taken out of the tree (in <see cref="PrunedRevision"/>), then the object sweep.</summary>
public sealed record CvmfsGcReport(int FlatImagesRemoved, int LayersRemoved, long? PrunedRevision, RepositoryGcResult Objects);
