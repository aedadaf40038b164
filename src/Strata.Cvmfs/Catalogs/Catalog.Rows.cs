using System.Globalization;
using Microsoft.Data.Sqlite;
using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Catalogs;

/// <summary>Row decoding for <see cref="Catalog"/>.</summary>
public sealed partial class Catalog
{
    private static CatalogEntry ReadEntry(SqliteDataReader reader)
    {
        var flags = (EntryFlags)reader.GetInt64(9);
        var hash = ReadBlob(reader, 5);
        var xattr = ReadBlob(reader, 15);
        return new CatalogEntry
        {
            Key = new PathKey(reader.GetInt64(0), reader.GetInt64(1)),
            ParentKey = new PathKey(reader.GetInt64(2), reader.GetInt64(3)),
            Hardlinks = reader.IsDBNull(4) ? 1 : reader.GetInt64(4),

            // Directories, symlinks and chunked files store NULL (or an empty BLOB in old catalogs).
            ContentHash = hash is { Length: > 0 } ? ContentHash.FromDigest(flags.HashAlgorithm(), hash) : null,
            Size = reader.IsDBNull(6) ? 0 : reader.GetInt64(6),
            Mode = reader.IsDBNull(7) ? 0 : (uint)reader.GetInt64(7),
            Mtime = reader.IsDBNull(8) ? 0 : reader.GetInt64(8),
            Flags = flags,
            Name = reader.IsDBNull(10) ? string.Empty : reader.GetString(10),
            Symlink = reader.IsDBNull(11) ? string.Empty : reader.GetString(11),
            Uid = reader.IsDBNull(12) ? 0 : reader.GetInt64(12),
            Gid = reader.IsDBNull(13) ? 0 : reader.GetInt64(13),
            MtimeNanoseconds = reader.IsDBNull(14) ? null : (int)reader.GetInt64(14),
            Xattrs = xattr is { Length: > 0 } ? ExtendedAttributes.Parse(xattr) : null,
        };
    }

    private static byte[]? ReadBlob(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : (byte[])reader.GetValue(ordinal);

    private HashSet<string> ReadColumns(string table)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"PRAGMA table_info({table})";
        using var reader = command.ExecuteReader();
        var columns = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            columns.Add(reader.GetString(1));
        }

        if (columns.Count == 0)
        {
            throw new CvmfsFormatException($"The database has no '{table}' table.");
        }

        return columns;
    }

    private Dictionary<string, T> ReadPairs<T>(string sql, Func<SqliteDataReader, T> value)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var pairs = new Dictionary<string, T>(StringComparer.Ordinal);
        while (reader.Read())
        {
            pairs[reader.GetString(0)] = value(reader);
        }

        return pairs;
    }

    private List<NestedCatalogReference> ReadReferences(string sql)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            var references = new List<NestedCatalogReference>();
            while (reader.Read())
            {
                var path = reader.GetString(0);
                var hashText = reader.IsDBNull(1) ? string.Empty : reader.GetString(1);
                if (!ContentHash.TryParse(hashText, out var hash))
                {
                    throw new CvmfsFormatException($"Nested catalog '{path}' has no valid hash ('{hashText}').");
                }

                var size = reader.IsDBNull(2) ? 0 : Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture);
                references.Add(new NestedCatalogReference(path, hash, size));
            }

            return references;
        }
    }
}
