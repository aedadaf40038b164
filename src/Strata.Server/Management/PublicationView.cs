using System.Text.Json;
using Strata.Metadata.Contracts;

namespace Strata.Server.Management;

/// <summary>One image's publication as the API shows it.</summary>
public sealed record PublicationView(
    long Id,
    string Image,
    string State,
    int Attempts,
    string? Error,
    JsonElement? Result,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static PublicationView From(JobRecord job) => new(
        job.Id,
        job.Key,
        job.State.ToString().ToLowerInvariant(),
        job.Attempts,
        job.Error,
        job.Result is null ? null : JsonDocument.Parse(job.Result).RootElement.Clone(),
        job.CreatedAt,
        job.UpdatedAt);
}
