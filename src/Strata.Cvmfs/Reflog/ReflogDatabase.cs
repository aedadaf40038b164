using Microsoft.Data.Sqlite;
using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Reflog;

/// <summary>
/// <c>.cvmfsreflog</c>: the server-side log of every root-level object ever published (root
/// catalogs, certificates, history databases, meta-info), which garbage collection uses to find
/// what to keep. Clients never fetch it; the manifest's <c>Y</c> is the SHA-1 of the raw file.
/// Schema 1.0 revision 0, as cvmfs 2.12 writes it.
/// </summary>
public sealed class ReflogDatabase : IDisposable
{
    /// <summary>The statements creating an empty reflog.</summary>
    public static IReadOnlyList<string> CreateStatements { get; } =
    [
        "CREATE TABLE properties (key TEXT, value TEXT, CONSTRAINT pk_properties PRIMARY KEY (key))",
        "CREATE TABLE refs (hash TEXT, type INTEGER, timestamp INTEGER, CONSTRAINT pk_refs PRIMARY KEY (hash))",
    ];

    private readonly SqliteConnection _connection;

    private ReflogDatabase(SqliteConnection connection, string path)
    {
        _connection = connection;
        DatabasePath = path;
    }

    /// <summary>The reflog file.</summary>
    public string DatabasePath { get; }

    /// <summary>Creates an empty reflog for <paramref name="repositoryName"/>.</summary>
    public static ReflogDatabase Create(string path, string repositoryName)
    {
        ArgumentException.ThrowIfNullOrEmpty(repositoryName);
        if (File.Exists(path))
        {
            throw new IOException($"Refusing to overwrite an existing reflog: {path}");
        }

        var reflog = Open(path, SqliteOpenMode.ReadWriteCreate);
        using var transaction = reflog._connection.BeginTransaction();
        foreach (var statement in CreateStatements)
        {
            reflog.Execute(statement);
        }

        reflog.Execute("INSERT INTO properties (key, value) VALUES ('schema', '1.0')");
        reflog.Execute("INSERT INTO properties (key, value) VALUES ('schema_revision', 0)");
        reflog.Execute("INSERT INTO properties (key, value) VALUES ('fqrn', $a)", repositoryName);
        transaction.Commit();
        return reflog;
    }

    /// <summary>Opens an existing reflog for reading and appending.</summary>
    public static ReflogDatabase Open(string path) =>
        File.Exists(path) ? Open(path, SqliteOpenMode.ReadWrite) : throw new FileNotFoundException("No reflog here.", path);

    /// <summary>Records a published object (a second record of the same hash updates kind and time).</summary>
    public void Add(ReflogReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        Execute("INSERT OR REPLACE INTO refs (hash, type, timestamp) VALUES ($a, $b, $c)", reference.Hash.ToString(), (long)reference.Kind, reference.Timestamp);
    }

    /// <summary>All references, oldest first.</summary>
    public IReadOnlyList<ReflogReference> List()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT hash, type, timestamp FROM refs ORDER BY timestamp, rowid";
        using var reader = command.ExecuteReader();
        var references = new List<ReflogReference>();
        while (reader.Read())
        {
            references.Add(new ReflogReference(ContentHash.Parse(reader.GetString(0)), (ReflogReferenceKind)reader.GetInt64(1), reader.GetInt64(2)));
        }

        return references;
    }

    /// <summary>
    /// The manifest's <c>Y</c> value: SHA-1 of the raw file. Call after <see cref="Dispose"/> or
    /// between writes (SQLite has flushed by then).
    /// </summary>
    public static ContentHash Checksum(string path) => ContentHasher.Compute(ContentHashAlgorithm.Sha1, File.ReadAllBytes(path));

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    private static ReflogDatabase Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        try
        {
            connection.Open();
            return new ReflogDatabase(connection, path);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Execute(string sql, params object[] values)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        string[] names = ["$a", "$b", "$c"];
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue(names[i], values[i]);
        }

        command.ExecuteNonQuery();
    }
}
