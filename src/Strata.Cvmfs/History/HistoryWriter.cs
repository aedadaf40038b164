using Microsoft.Data.Sqlite;
using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.History;

/// <summary>
/// Writes a new tag database with the schema (1.0, revision 3) and default branch row of cvmfs 2.12's
/// <c>SqliteHistory</c>. A publisher copies the previous revision's tags, adds or moves tags
/// (including <c>trunk</c> and <c>trunk-previous</c>), and stores the file as object <c>H</c>.
/// </summary>
public sealed class HistoryWriter : IDisposable
{
    /// <summary>The statements creating an empty history database, as cvmfs writes them.</summary>
    public static IReadOnlyList<string> CreateStatements { get; } =
    [
        "CREATE TABLE properties (key TEXT, value TEXT, CONSTRAINT pk_properties PRIMARY KEY (key))",
        "CREATE TABLE branches (branch TEXT, parent TEXT, initial_revision INTEGER,  CONSTRAINT pk_branch PRIMARY KEY (branch),   FOREIGN KEY (parent) REFERENCES branches (branch),   CHECK ((branch <> '') OR (parent IS NULL)),   CHECK ((branch = '') OR (parent IS NOT NULL)))",
        "CREATE TABLE tags (name TEXT, hash TEXT, revision INTEGER,   timestamp INTEGER, channel INTEGER, description TEXT, size INTEGER,   branch TEXT, CONSTRAINT pk_tags PRIMARY KEY (name),   FOREIGN KEY (branch) REFERENCES branches (branch))",
        "CREATE TABLE recycle_bin (hash TEXT, flags INTEGER,   CONSTRAINT pk_hash PRIMARY KEY (hash))",
    ];

    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private bool _completed;

    private HistoryWriter(SqliteConnection connection, string repositoryName)
    {
        _connection = connection;
        _transaction = connection.BeginTransaction();
        foreach (var statement in CreateStatements)
        {
            Execute(statement);
        }

        Execute("INSERT INTO properties (key, value) VALUES ('schema', '1.0')");
        Execute("INSERT INTO properties (key, value) VALUES ('schema_revision', 3)");
        Execute("INSERT INTO properties (key, value) VALUES ('fqrn', $a)", repositoryName);
        Execute("INSERT INTO branches (branch, parent, initial_revision) VALUES ('', NULL, 0)");
    }

    /// <summary>Creates a new, empty history database at <paramref name="path"/>.</summary>
    public static HistoryWriter Create(string path, string repositoryName)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(repositoryName);
        if (File.Exists(path))
        {
            throw new IOException($"Refusing to overwrite an existing history database: {path}");
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        try
        {
            connection.Open();
            return new HistoryWriter(connection, repositoryName);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Adds a tag (names are unique).</summary>
    public void AddTag(HistoryTag tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        ObjectDisposedException.ThrowIf(_completed, this);
        Execute(
            "INSERT INTO tags (name, hash, revision, timestamp, channel, description, size, branch) VALUES ($a, $b, $c, $d, $e, $f, $g, $h)",
            tag.Name, tag.RootCatalogHash.ToString(), tag.Revision, tag.Timestamp, tag.Channel, tag.Description, tag.RootCatalogSize, tag.Branch);
    }

    /// <summary>
    /// Records the history object this database replaces (forty zeros for the first one), commits and
    /// closes the file.
    /// </summary>
    public void Complete(ContentHash? previousRevision)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        var previous = previousRevision is { IsEmpty: false } hash ? hash.ToString() : new string('0', 40);
        Execute("INSERT INTO properties (key, value) VALUES ('previous_revision', $a)", previous);
        _transaction.Commit();
        _completed = true;
        Close();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_completed)
        {
            _completed = true;
            Close();
        }
    }

    private void Close()
    {
        _transaction.Dispose();
        _connection.Dispose();
    }

    private void Execute(string sql, params object[] values)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        string[] names = ["$a", "$b", "$c", "$d", "$e", "$f", "$g", "$h"];
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue(names[i], values[i]);
        }

        command.ExecuteNonQuery();
    }
}
