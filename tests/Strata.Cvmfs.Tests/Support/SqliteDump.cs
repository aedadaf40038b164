using Microsoft.Data.Sqlite;

namespace Strata.Cvmfs.Tests.Support;

/// <summary>
/// Dumps SQLite tables as text with SQL <c>quote()</c>, which shows each value's storage class
/// (NULL, integer, 'text', X'blob'), so two databases can be compared value and type exactly.
/// </summary>
internal static class SqliteDump
{
    public static List<string> Query(string databasePath, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return rows;
    }

    public static List<string> Schema(string databasePath) =>
        Query(databasePath, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid");

    public static List<string> CatalogRows(string databasePath) =>
        Query(databasePath, "SELECT quote(md5path_1), quote(md5path_2), quote(parent_1), quote(parent_2), quote(hardlinks), quote(hash), quote(size), quote(mode), quote(mtime), quote(mtimens), quote(flags), quote(name), quote(symlink), quote(uid), quote(gid), quote(xattr) FROM catalog ORDER BY md5path_1, md5path_2");

    public static List<string> ChunkRows(string databasePath) =>
        Query(databasePath, "SELECT quote(md5path_1), quote(md5path_2), quote(offset), quote(size), quote(hash) FROM chunks ORDER BY md5path_1, md5path_2, offset");

    public static List<string> NestedRows(string databasePath) =>
        Query(databasePath, "SELECT quote(path), quote(sha1), quote(size) FROM nested_catalogs ORDER BY path");

    public static List<string> Properties(string databasePath) =>
        Query(databasePath, "SELECT quote(key), quote(value) FROM properties ORDER BY rowid");

    public static List<string> Statistics(string databasePath) =>
        Query(databasePath, "SELECT quote(counter), quote(value) FROM statistics ORDER BY rowid");
}
