namespace Strata.Metadata.Sqlite;

/// <summary>Timestamps are stored as UTC unix milliseconds (see <see cref="SqliteSchema"/>).</summary>
internal static class UnixMilliseconds
{
    public static long From(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static DateTimeOffset ToDateTimeOffset(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);
}
