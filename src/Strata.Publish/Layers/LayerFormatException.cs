namespace Strata.Publish.Layers;

/// <summary>
/// A layer that cannot be published as it is: malformed, truncated, hostile or over a limit.
/// The message is the reason shown in the image's publication status.
/// </summary>
public sealed class LayerFormatException(string message) : Exception(message);
