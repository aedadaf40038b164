using System.Globalization;
using Microsoft.Data.Sqlite;
using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.History;

/// <summary>
/// The tag database (object <c>H</c>, manifest field <c>H</c>; cvmfs <c>history::SqliteHistory</c>,
/// schema 1.0): named revisions that a client can mount instead of the newest one.
/// </summary>
public sealed class HistoryDatabase : IDisposable
{
    private readonly SqliteConnection _connection;

    private HistoryDatabase(SqliteConnection connection)
    {
        _connection = connection;
        Properties = ReadProperties();
        Tags = ReadTags();
    }

    /// <summary>The <c>properties</c> table (<c>fqrn</c>, <c>schema</c>, <c>previous_revision</c>…).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; }

    /// <summary>The repository the database belongs to.</summary>
    public string RepositoryName => Properties.GetValueOrDefault("fqrn", string.Empty);

    /// <summary>All tags, newest revision first.</summary>
    public IReadOnlyList<HistoryTag> Tags { get; }

    /// <summary>Opens a decompressed history database read-only.</summary>
    public static HistoryDatabase Open(string databasePath)
    {
        if (!File.Exists(databasePath))
        {
            throw new FileNotFoundException("No history database here.", databasePath);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            connection.Open();
            return new HistoryDatabase(connection);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new CvmfsFormatException($"Not a history database: {e.Message}", e);
        }
    }

    /// <summary>The tag called <paramref name="name"/>, or null.</summary>
    public HistoryTag? FindTag(string name) => Tags.FirstOrDefault(t => t.Name == name);

    /// <summary>The newest tag published at or before <paramref name="timestamp"/> (cvmfs <c>CVMFS_REPOSITORY_DATE</c>).</summary>
    public HistoryTag? FindTagAt(long timestamp) =>
        Tags.Where(t => t.Timestamp <= timestamp).OrderByDescending(t => t.Timestamp).ThenByDescending(t => t.Revision).FirstOrDefault();

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    private Dictionary<string, string> ReadProperties()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT key, value FROM properties";
        using var reader = command.ExecuteReader();
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            properties[reader.GetString(0)] = reader.IsDBNull(1) ? string.Empty : Convert.ToString(reader.GetValue(1), CultureInfo.InvariantCulture)!;
        }

        return properties;
    }

    private List<HistoryTag> ReadTags()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT name, hash, revision, timestamp, channel, description, size, branch FROM tags ORDER BY revision DESC, name";
        using var reader = command.ExecuteReader();
        var tags = new List<HistoryTag>();
        while (reader.Read())
        {
            var name = reader.GetString(0);
            var hashText = reader.IsDBNull(1) ? string.Empty : reader.GetString(1);
            if (!ContentHash.TryParse(hashText, out var hash))
            {
                throw new CvmfsFormatException($"Tag '{name}' has no valid root catalog hash.");
            }

            tags.Add(new HistoryTag(
                name,
                hash,
                reader.IsDBNull(2) ? 0 : reader.GetInt64(2),
                reader.IsDBNull(3) ? 0 : reader.GetInt64(3),
                reader.IsDBNull(4) ? 0 : (int)reader.GetInt64(4),
                reader.IsDBNull(5) ? string.Empty : reader.GetString(5),
                reader.IsDBNull(6) ? 0 : reader.GetInt64(6),
                reader.IsDBNull(7) ? string.Empty : reader.GetString(7)));
        }

        return tags;
    }
}
