using System.Globalization;
using Strata.Metadata.Tests.Postgres;
using Strata.Storage.Tests.S3;

namespace Strata.ScaleOut.Tests.S3Postgres;

/// <summary>
/// A fresh PostgreSQL database and S3 key folder on the project's shared servers (started by the
/// existing fixtures through scripts/services), as the settings of one Strata on S3 + PostgreSQL.
/// Both are removed on dispose.
/// </summary>
public sealed class S3PostgresBackend : IAsyncDisposable
{
    private const string Parent = "s3-postgres";
    private readonly PostgresTestDatabase _database;
    private readonly string _folder;

    private S3PostgresBackend(PostgresTestDatabase database, string folder)
    {
        _database = database;
        _folder = folder;
    }

    public static async Task<S3PostgresBackend> CreateAsync() =>
        new(await PostgresTestDatabase.CreateMigratedAsync(), Guid.NewGuid().ToString("N")[..12]);

    /// <summary>
    /// <c>Storage:*</c> and <c>Metadata:*</c> for this backend. Publication is off: these hosts run
    /// the registry's conformance and client tests, and publication on S3 + PostgreSQL has its own
    /// (Replicas/PublicationOnceTests). The SDK keeps its default retries: the shared S3 server also
    /// serves every other test and benchmark on the machine, and these tests are not about outages.
    /// </summary>
    public Dictionary<string, string?> Settings()
    {
        var s3 = S3TestServer.Instance.Options($"{Parent}/{_folder}");
        return new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Storage:Driver"] = "s3",
            ["Storage:S3:ServiceUrl"] = s3.ServiceUrl,
            ["Storage:S3:Region"] = s3.Region,
            ["Storage:S3:Bucket"] = s3.Bucket,
            ["Storage:S3:Prefix"] = s3.Prefix,
            ["Storage:S3:AccessKey"] = s3.AccessKey,
            ["Storage:S3:SecretKey"] = s3.SecretKey,
            ["Storage:S3:PartSize"] = s3.PartSize.ToString(CultureInfo.InvariantCulture),
            ["Metadata:Provider"] = "postgres",
            ["Metadata:ConnectionString"] = _database.ConnectionString,
            ["Publish:Enabled"] = "false",
        };
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await S3TestServer.Instance.CleanAsync(Parent, _folder);
        }
        finally
        {
            await _database.DisposeAsync();
        }
    }
}
