namespace Strata.Client.Checkout;

/// <summary>What a checkout wrote.</summary>
public sealed record CheckoutResult(long Directories, long Files, long Symlinks, long Hardlinks, long Bytes, long Skipped);
