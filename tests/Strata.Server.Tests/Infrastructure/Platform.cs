namespace Strata.Server.Tests.Infrastructure;

public sealed record Platform(string Os, string Architecture);
