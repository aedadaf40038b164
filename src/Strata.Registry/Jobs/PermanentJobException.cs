namespace Strata.Registry.Jobs;

/// <summary>A job failure that retrying cannot fix (hostile input, a manifest that no longer exists…).</summary>
public sealed class PermanentJobException(string message, Exception? inner = null) : Exception(message, inner);
