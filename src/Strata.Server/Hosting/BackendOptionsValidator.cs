using Npgsql;

namespace Strata.Server.Hosting;

/// <summary>
/// Checks the backend choice (<see cref="StorageOptions"/>, <see cref="MetadataOptions"/>) before the
/// host is built and reports every problem at once. Messages name settings, never their secret
/// values (S3 secret key, the connection string's password).
/// </summary>
internal static class BackendOptionsValidator
{
    public static IReadOnlyList<string> Validate(StorageOptions storage, MetadataOptions metadata, bool publishing, string? registryHost)
    {
        var problems = new List<string>();
        if (storage.IsS3)
        {
            // S3DriverOptions names its settings "S3: X"; here they live under Storage:S3:X.
            problems.AddRange(storage.S3.Validate().Select(SectionQualified));
        }
        else if (!string.Equals(storage.Driver, StorageOptions.FileSystemDriver, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"Storage:Driver: '{storage.Driver}' is not a storage driver; use '{StorageOptions.FileSystemDriver}' (default) or '{StorageOptions.S3Driver}'");
        }

        if (metadata.IsPostgres)
        {
            ValidateConnectionString(metadata.ConnectionString, problems);
            if (publishing && string.IsNullOrWhiteSpace(registryHost))
            {
                problems.Add("Publish:RegistryHost: with Metadata:Provider=postgres (replicas), set the host name clients pull from (the load balancer's), so that every replica publishes images under the same paths; or set Publish:Enabled=false");
            }
        }
        else if (!string.Equals(metadata.Provider, MetadataOptions.SqliteProvider, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"Metadata:Provider: '{metadata.Provider}' is not a metadata store; use '{MetadataOptions.SqliteProvider}' (default) or '{MetadataOptions.PostgresProvider}'");
        }

        return problems;
    }

    /// <summary>"S3: Bucket is required" → "Storage:S3:Bucket is required"; "S3: set both …" → "Storage:S3: set both …".</summary>
    private static string SectionQualified(string problem)
    {
        var text = problem.StartsWith("S3: ", StringComparison.Ordinal) ? problem[4..] : problem;
        return text.Length > 0 && char.IsUpper(text[0]) ? "Storage:S3:" + text : "Storage:S3: " + text;
    }

    private static void ValidateConnectionString(string? connectionString, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            problems.Add("Metadata:ConnectionString: required with Metadata:Provider=postgres, e.g. Host=db.example.org;Database=strata;Username=strata;Password=… (or STRATA__Metadata__ConnectionString)");
            return;
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            // The parser's messages name keywords and positions, not values.
            problems.Add($"Metadata:ConnectionString: not a valid Npgsql connection string ({e.Message})");
            return;
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            problems.Add("Metadata:ConnectionString: names no Host");
        }
    }
}
