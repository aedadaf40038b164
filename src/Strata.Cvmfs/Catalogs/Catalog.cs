using System.Globalization;
using Microsoft.Data.Sqlite;
using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Catalogs;

/// <summary>
/// A decompressed file catalog (SQLite, schema 2.5), opened read-only. Queries are the ones the cvmfs
/// client uses: by path key (<c>md5path_1/2</c>) and by parent key for listings. Safe for concurrent
/// callers: one connection, serialized.
/// </summary>
public sealed partial class Catalog : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();
    private readonly string _entryColumns;
    private readonly bool _hasMtimeNs;
    private readonly bool _hasXattr;
    private IReadOnlyList<NestedCatalogReference>? _nested;

    private Catalog(SqliteConnection connection, string path)
    {
        _connection = connection;
        DatabasePath = path;
        var columns = ReadColumns("catalog");
        _hasMtimeNs = columns.Contains("mtimens");
        _hasXattr = columns.Contains("xattr");
        _entryColumns = "md5path_1, md5path_2, parent_1, parent_2, hardlinks, hash, size, mode, mtime, flags, name, symlink, uid, gid"
            + (_hasMtimeNs ? ", mtimens" : ", NULL") + (_hasXattr ? ", xattr" : ", NULL");
        Properties = ReadPairs("SELECT key, value FROM properties", r => r.IsDBNull(1) ? string.Empty : Convert.ToString(r.GetValue(1), CultureInfo.InvariantCulture)!);
        Statistics = CatalogStatistics.FromTable(ReadPairs("SELECT counter, value FROM statistics", r => r.GetInt64(1)));
    }

    /// <summary>The SQLite file.</summary>
    public string DatabasePath { get; }

    /// <summary>The <c>properties</c> table.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; }

    /// <summary>The <c>statistics</c> table.</summary>
    public CatalogStatistics Statistics { get; }

    /// <summary><c>schema</c> property, e.g. <c>2.5</c>.</summary>
    public string SchemaVersion => Properties.GetValueOrDefault("schema", string.Empty);

    /// <summary><c>schema_revision</c> property.</summary>
    public int SchemaRevision => (int)Number("schema_revision");

    /// <summary><c>revision</c> property.</summary>
    public long Revision => Number("revision");

    /// <summary><c>TTL</c> property in seconds (root catalogs only; 0 when absent).</summary>
    public long TtlSeconds => Number("TTL");

    /// <summary><c>last_modified</c> property, seconds since the epoch.</summary>
    public long LastModified => Number("last_modified");

    /// <summary><c>root_prefix</c>: the mount point of a nested catalog (empty for a root catalog).</summary>
    public string RootPrefix => Properties.GetValueOrDefault("root_prefix", string.Empty);

    /// <summary><c>previous_revision</c>: the catalog this one replaced (null when absent or all zeros).</summary>
    public ContentHash? PreviousRevision =>
        Properties.TryGetValue("previous_revision", out var text) && ContentHash.TryParse(text, out var hash) && hash.Digest.ContainsAnyExcept((byte)0)
            ? hash
            : null;

    /// <summary>Opens a decompressed catalog file read-only.</summary>
    public static Catalog Open(string databasePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        if (!File.Exists(databasePath))
        {
            throw new FileNotFoundException("No catalog database here.", databasePath);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadOnly,

            // Catalog files are deleted when a reader is done; pooled handles would keep them open.
            Pooling = false,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            return new Catalog(connection, databasePath);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new CvmfsFormatException($"Not a catalog database: {e.Message}", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The <c>nested_catalogs</c> rows (loaded once).</summary>
    public IReadOnlyList<NestedCatalogReference> NestedCatalogs =>
        _nested ??= ReadReferences("SELECT path, sha1, size FROM nested_catalogs");

    /// <summary>The <c>bind_mountpoints</c> rows.</summary>
    public IReadOnlyList<NestedCatalogReference> BindMountpoints => ReadReferences("SELECT path, sha1, size FROM bind_mountpoints");

    /// <summary>The row for a path key, or null.</summary>
    public CatalogEntry? Lookup(PathKey key)
    {
        lock (_gate)
        {
            using var command = Command($"SELECT {_entryColumns} FROM catalog WHERE md5path_1 = $a AND md5path_2 = $b", key);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadEntry(reader) : null;
        }
    }

    /// <summary>The rows whose parent is <paramref name="parent"/> (a directory listing).</summary>
    public IReadOnlyList<CatalogEntry> List(PathKey parent)
    {
        lock (_gate)
        {
            using var command = Command($"SELECT {_entryColumns} FROM catalog WHERE parent_1 = $a AND parent_2 = $b", parent);
            return ReadEntries(command);
        }
    }

    /// <summary>Every row, in storage order, all in memory (fine for tests and small catalogs).</summary>
    public IReadOnlyList<CatalogEntry> ListAll() => EnumerateEntries().ToList();

    /// <summary>
    /// Every row, in storage order, read in pages so that memory stays bounded on catalogs with
    /// hundreds of thousands of rows; other calls on this catalog may interleave between pages.
    /// </summary>
    public IEnumerable<CatalogEntry> EnumerateEntries(int pageSize = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        long after = long.MinValue;
        while (true)
        {
            List<CatalogEntry> page;
            lock (_gate)
            {
                using var command = _connection.CreateCommand();
                command.CommandText = $"SELECT {_entryColumns}, rowid FROM catalog WHERE rowid > $after ORDER BY rowid LIMIT $limit";
                command.Parameters.AddWithValue("$after", after);
                command.Parameters.AddWithValue("$limit", pageSize);
                using var reader = command.ExecuteReader();
                page = new List<CatalogEntry>(pageSize);
                while (reader.Read())
                {
                    page.Add(ReadEntry(reader));
                    after = reader.GetInt64(16);
                }
            }

            foreach (var entry in page)
            {
                yield return entry;
            }

            if (page.Count < pageSize)
            {
                yield break;
            }
        }
    }

    /// <summary>The chunks of a chunked file, by offset; their hashes use <paramref name="algorithm"/> (from the file's flags).</summary>
    public IReadOnlyList<ChunkRecord> ListChunks(PathKey key, ContentHashAlgorithm algorithm)
    {
        lock (_gate)
        {
            using var command = Command("SELECT offset, size, hash FROM chunks WHERE md5path_1 = $a AND md5path_2 = $b ORDER BY offset", key);
            using var reader = command.ExecuteReader();
            var chunks = new List<ChunkRecord>();
            while (reader.Read())
            {
                var hash = ReadBlob(reader, 2) ?? throw new CvmfsFormatException("A chunk row has no hash.");
                chunks.Add(new ChunkRecord(reader.GetInt64(0), reader.GetInt64(1), ContentHash.FromDigest(algorithm, hash)));
            }

            return chunks;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    private long Number(string property) =>
        Properties.TryGetValue(property, out var text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : 0;

    private SqliteCommand Command(string sql, PathKey key)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$a", key.Part1);
        command.Parameters.AddWithValue("$b", key.Part2);
        return command;
    }

    private List<CatalogEntry> ReadEntries(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var entries = new List<CatalogEntry>();
        while (reader.Read())
        {
            entries.Add(ReadEntry(reader));
        }

        return entries;
    }
}
