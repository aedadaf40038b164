using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Strata.Cvmfs.Catalogs;

/// <summary>
/// Writes a new schema 2.5 catalog file with the same tables, columns, properties and statistics as
/// cvmfs 2.12. Rows go into one transaction; counters are kept while adding, so
/// <see cref="Complete"/> writes the <c>statistics</c> table without re-reading anything.
/// </summary>
/// <remarks>
/// Column conventions copied from the real catalogs: <c>hash</c> is NULL for directories, symlinks
/// and chunked files; <c>symlink</c> is the empty string for non-links; <c>xattr</c> and
/// <c>mtimens</c> are NULL when absent; <c>nested_catalogs.sha1</c> is hex with algorithm suffix and
/// <c>size</c> the child's uncompressed size.
/// </remarks>
public sealed class CatalogWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly SqliteCommand _insertEntry;
    private readonly SqliteCommand _insertChunk;
    private readonly string _rootPrefix;
    private CatalogCounters _self = CatalogCounters.Zero;
    private CatalogCounters _subtree = CatalogCounters.Zero;
    private bool _completed;

    private CatalogWriter(SqliteConnection connection, string path, string rootPrefix)
    {
        _connection = connection;
        DatabasePath = path;
        _rootPrefix = rootPrefix;
        using (var pragma = connection.CreateCommand())
        {
            // The file is written once and then compressed into the object store; durability comes
            // from the object store, so skip the journal fsyncs.
            pragma.CommandText = "PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY;";
            pragma.ExecuteNonQuery();
        }

        _transaction = connection.BeginTransaction();
        foreach (var statement in CatalogSchema.CreateStatements)
        {
            Execute(statement);
        }

        _insertEntry = Prepare(
            "INSERT INTO catalog (md5path_1, md5path_2, parent_1, parent_2, hardlinks, hash, size, mode, mtime, mtimens, flags, name, symlink, uid, gid, xattr) " +
            "VALUES ($p1, $p2, $q1, $q2, $hardlinks, $hash, $size, $mode, $mtime, $mtimens, $flags, $name, $symlink, $uid, $gid, $xattr)",
            "$p1", "$p2", "$q1", "$q2", "$hardlinks", "$hash", "$size", "$mode", "$mtime", "$mtimens", "$flags", "$name", "$symlink", "$uid", "$gid", "$xattr");
        _insertChunk = Prepare(
            "INSERT INTO chunks (md5path_1, md5path_2, offset, size, hash) VALUES ($p1, $p2, $offset, $size, $hash)",
            "$p1", "$p2", "$offset", "$size", "$hash");
    }

    /// <summary>The catalog file being written.</summary>
    public string DatabasePath { get; }

    /// <summary>
    /// Creates a new, empty catalog at <paramref name="path"/> (which must not exist).
    /// <paramref name="rootPrefix"/> is the mount point of a nested catalog, empty for a root catalog.
    /// </summary>
    public static CatalogWriter Create(string path, string rootPrefix = "")
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(rootPrefix);
        if (File.Exists(path))
        {
            throw new IOException($"Refusing to overwrite an existing catalog: {path}");
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        try
        {
            connection.Open();
            return new CatalogWriter(connection, path, rootPrefix);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Adds a row. The caller supplies keys, flags and the content hash (null for directories, links, chunked files).</summary>
    public void Add(CatalogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ObjectDisposedException.ThrowIf(_completed, this);
        var p = _insertEntry.Parameters;
        p[0].Value = entry.Key.Part1;
        p[1].Value = entry.Key.Part2;
        p[2].Value = entry.ParentKey.Part1;
        p[3].Value = entry.ParentKey.Part2;
        p[4].Value = entry.Hardlinks;
        p[5].Value = entry.ContentHash is { IsEmpty: false } hash ? hash.Digest.ToArray() : DBNull.Value;
        p[6].Value = entry.Size;
        p[7].Value = (long)entry.Mode;
        p[8].Value = entry.Mtime;
        p[9].Value = entry.MtimeNanoseconds is int ns ? ns : DBNull.Value;
        p[10].Value = (long)entry.Flags;
        p[11].Value = entry.Name;
        p[12].Value = entry.Symlink;
        p[13].Value = entry.Uid;
        p[14].Value = entry.Gid;
        p[15].Value = entry.Xattrs is { Count: > 0 } xattrs ? xattrs.ToBlob() : DBNull.Value;
        _insertEntry.ExecuteNonQuery();
        _self += CatalogCounters.ForEntry(entry);
    }

    /// <summary>Adds the chunk rows of a chunked file (whose row has <see cref="EntryFlags.Chunked"/>).</summary>
    public void AddChunks(PathKey file, IEnumerable<ChunkRecord> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        ObjectDisposedException.ThrowIf(_completed, this);
        var count = 0;
        foreach (var chunk in chunks)
        {
            var p = _insertChunk.Parameters;
            p[0].Value = file.Part1;
            p[1].Value = file.Part2;
            p[2].Value = chunk.Offset;
            p[3].Value = chunk.Size;
            p[4].Value = chunk.Hash.Digest.ToArray();
            _insertChunk.ExecuteNonQuery();
            count++;
        }

        _self += new CatalogCounters { Chunks = count };
    }

    /// <summary>
    /// Registers a nested catalog (its mount point row, flagged <see cref="EntryFlags.NestedMountpoint"/>,
    /// is added with <see cref="Add"/>). The child's counters roll up into this catalog's subtree.
    /// </summary>
    public void AddNestedCatalog(NestedCatalogReference nested, CatalogStatistics childStatistics)
    {
        ArgumentNullException.ThrowIfNull(nested);
        ArgumentNullException.ThrowIfNull(childStatistics);
        ObjectDisposedException.ThrowIf(_completed, this);
        if (!nested.Path.StartsWith(_rootPrefix + "/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Nested catalog '{nested.Path}' is not below '{_rootPrefix}'.", nameof(nested));
        }

        Execute("INSERT INTO nested_catalogs (path, sha1, size) VALUES ($a, $b, $c)", nested.Path, nested.Hash.ToString(), nested.Size);
        _self += new CatalogCounters { Nested = 1 };
        _subtree += childStatistics.Total;
    }

    /// <summary>Writes properties and statistics, commits and closes the file. Returns the statistics (for the parent catalog).</summary>
    public CatalogStatistics Complete(CatalogProperties properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        ObjectDisposedException.ThrowIf(_completed, this);

        // Same keys, and same insertion order, as cvmfs 2.12 catalogs.
        SetProperty("schema", CatalogSchema.Version);
        SetProperty("schema_revision", CatalogSchema.Revision.ToString(CultureInfo.InvariantCulture));
        if (properties.TtlSeconds is long ttl)
        {
            SetProperty("TTL", ttl.ToString(CultureInfo.InvariantCulture));
        }

        if (_rootPrefix.Length > 0)
        {
            SetProperty("root_prefix", _rootPrefix);
        }

        SetProperty("last_modified", properties.LastModified.ToString(CultureInfo.InvariantCulture));
        SetProperty("revision", properties.Revision.ToString(CultureInfo.InvariantCulture));
        if (properties.PreviousRevision is { IsEmpty: false } previous)
        {
            SetProperty("previous_revision", previous.ToString());
        }

        var statistics = new CatalogStatistics(_self, _subtree);
        foreach (var (counter, value) in statistics.ToRows())
        {
            Execute("INSERT INTO statistics (counter, value) VALUES ($a, $b)", counter, value);
        }

        _transaction.Commit();
        _completed = true;
        Close();
        return statistics;
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
        _insertEntry.Dispose();
        _insertChunk.Dispose();
        _transaction.Dispose();
        _connection.Dispose();
    }

    private void SetProperty(string key, string value) => Execute("INSERT INTO properties (key, value) VALUES ($a, $b)", key, value);

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }

        command.Prepare();
        return command;
    }

    private void Execute(string sql, params object[] values)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        var names = new[] { "$a", "$b", "$c" };
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue(names[i], values[i]);
        }

        command.ExecuteNonQuery();
    }
}
