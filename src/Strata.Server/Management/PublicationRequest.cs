namespace Strata.Server.Management;

/// <summary>Body of <c>POST /api/v1/publications</c>.</summary>
public sealed record PublicationRequest(string? Image);
