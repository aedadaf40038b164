using System.Globalization;
using System.IO.Compression;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Strata.Publish.Tests.Verification;

/// <summary>
/// A CernVM-FS repository checker written from the format description only (the structures of
/// /work/shared/testdata/cvmfs), sharing no code with Strata.Cvmfs's reader or writer: if the
/// publisher and the reader agreed on a mistake, this still catches it. It checks what a stock
/// client checks, and more:
/// <list type="number">
/// <item><c>.cvmfswhitelist</c>: SHA-1 hash line of its text, raw PKCS#1 v1.5 (type 1) RSA signature
/// of that line by the master public key, repository name, expiry.</item>
/// <item>The certificate object <c>X</c>: stored bytes hash to its name; the SHA-1 fingerprint of its
/// DER is listed in the whitelist.</item>
/// <item><c>.cvmfspublished</c>: hash line, RSASSA-PKCS1-v1_5/SHA-1 signature of the hash line by the
/// certificate's key, repository name, and the fields a client needs (C, R, D, S).</item>
/// <item>Every catalog reached from the root (nested catalogs included): object hash, decompressed
/// size (root: the manifest's B), SQLite schema 2.5 properties and revision, MD5 path keys of every
/// row recomputed from the reconstructed path, no orphan rows, nested catalog mount points.</item>
/// <item>Every file object and chunk: stored bytes hash to the name, inflated length equals the
/// row's (chunk's) size, chunks contiguous from offset 0 up to the file size.</item>
/// <item>The history database <c>H</c>: its <c>trunk</c> tag names the root catalog.</item>
/// </list>
/// Throws <see cref="RepositoryVerificationException"/> naming the first problem.
/// </summary>
internal static class IndependentVerifier
{
    private const int FlagDirectory = 1;
    private const int FlagNestedMountpoint = 2;
    private const int FlagFile = 4;
    private const int FlagLink = 8;
    private const int FlagSpecial = 16;
    private const int FlagNestedRoot = 32;
    private const int FlagChunked = 64;

    public static async Task<VerifiedRepository> VerifyAsync(IRepositoryFiles files, string repositoryName, string masterPublicKeyPem, DateTimeOffset? now = null, CancellationToken cancellationToken = default)
    {
        var state = new State(files, Directory.CreateTempSubdirectory("strata-verify-").FullName, cancellationToken);
        try
        {
            using var master = RSA.Create();
            master.ImportFromPem(masterPublicKeyPem);

            var whitelistBytes = await files.GetAsync(".cvmfswhitelist", cancellationToken) ?? throw Fail(".cvmfswhitelist is missing");
            var whitelist = SplitSigned(whitelistBytes, ".cvmfswhitelist");
            var recovered = RawRsaRecover(master, whitelist.Signature) ?? throw Fail(".cvmfswhitelist: the signature is not a PKCS#1 type 1 block under the master public key");
            if (!recovered.AsSpan().SequenceEqual(Encoding.ASCII.GetBytes(whitelist.HashLine)))
            {
                throw Fail(".cvmfswhitelist: the master key signed something else than this whitelist");
            }

            var whitelistLines = Lines(whitelist.Text);
            if (whitelistLines.Count < 3 || !IsTimestamp(whitelistLines[0]))
            {
                throw Fail(".cvmfswhitelist: the first line is not a timestamp");
            }

            var expiry = whitelistLines.FirstOrDefault(l => l.StartsWith('E')) is { } e && IsTimestamp(e[1..])
                ? DateTimeOffset.ParseExact(e[1..], "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                : throw Fail(".cvmfswhitelist: no E (expiry) line");
            if (expiry <= (now ?? DateTimeOffset.UtcNow))
            {
                throw Fail($".cvmfswhitelist expired at {expiry:O}");
            }

            if (whitelistLines.FirstOrDefault(l => l.StartsWith('N')) != "N" + repositoryName)
            {
                throw Fail($".cvmfswhitelist is not for {repositoryName}");
            }

            var fingerprints = whitelistLines.Where(l => l.Length == 59 && l[2] == ':').Select(l => l.ToUpperInvariant()).ToHashSet();

            var manifestBytes = await files.GetAsync(".cvmfspublished", cancellationToken) ?? throw Fail(".cvmfspublished is missing");
            var manifest = SplitSigned(manifestBytes, ".cvmfspublished");
            var fields = Lines(manifest.Text).Where(l => l.Length > 0).GroupBy(l => l[0]).ToDictionary(g => g.Key, g => g.First()[1..]);
            foreach (var required in "CRDSX")
            {
                if (!fields.ContainsKey(required))
                {
                    throw Fail($".cvmfspublished has no {required} line");
                }
            }

            if (fields.GetValueOrDefault('N') != repositoryName)
            {
                throw Fail($".cvmfspublished names '{fields.GetValueOrDefault('N')}', not {repositoryName}");
            }

            if (fields['R'] != "d41d8cd98f00b204e9800998ecf8427e")
            {
                throw Fail(".cvmfspublished: R is not the MD5 of the root path");
            }

            var certificatePem = Inflate(await state.ObjectAsync(fields['X'], "X"), fields['X'] + "X");
            using var certificate = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(certificatePem));
            var fingerprint = string.Join(':', SHA1.HashData(certificate.RawData).Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));
            if (!fingerprints.Contains(fingerprint))
            {
                throw Fail($"the certificate {fingerprint} is not in the whitelist");
            }

            using (var certificateKey = certificate.GetRSAPublicKey() ?? throw Fail("the certificate has no RSA key"))
            {
                if (!certificateKey.VerifyData(Encoding.ASCII.GetBytes(manifest.HashLine), manifest.Signature, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1))
                {
                    throw Fail(".cvmfspublished: the signature does not verify with the certificate's key");
                }
            }

            var revision = long.Parse(fields['S'], CultureInfo.InvariantCulture);
            long? rootSize = fields.TryGetValue('B', out var b) ? long.Parse(b, CultureInfo.InvariantCulture) : null;
            await state.WalkCatalogAsync(fields['C'], rootSize, string.Empty, revision, isRoot: true);

            if (fields.TryGetValue('H', out var history))
            {
                var database = state.Temporary("history");
                await File.WriteAllBytesAsync(database, Inflate(await state.ObjectAsync(history, "H"), history + "H"), cancellationToken);
                using var connection = Open(database);
                var trunk = Scalar(connection, "SELECT hash FROM tags WHERE name = 'trunk'");
                if (trunk is not null && !string.Equals(trunk, fields['C'], StringComparison.Ordinal))
                {
                    throw Fail($"history: trunk names {trunk}, the manifest {fields['C']}");
                }
            }

            return new VerifiedRepository(revision, fields['C'], expiry, state.CatalogCount, state.DataObjects.Count, state.Entries);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(state.WorkDirectory, recursive: true);
        }
    }

    private sealed class State(IRepositoryFiles files, string workDirectory, CancellationToken cancellationToken)
    {
        private int _temporaries;

        public string WorkDirectory => workDirectory;

        public int CatalogCount { get; private set; }

        /// <summary>Whole-file objects already verified: name → (inflated length, SHA-256 of the content).</summary>
        public Dictionary<string, (long Length, string Sha256)> DataObjects { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, VerifiedEntry> Entries { get; } = new(StringComparer.Ordinal);

        public string Temporary(string name) => Path.Combine(workDirectory, $"{name}-{++_temporaries}.db");

        /// <summary>Fetches <c>data/xx/rest+suffix</c> and checks that the stored bytes hash (SHA-1) to the name.</summary>
        public async Task<byte[]> ObjectAsync(string hex, string suffix)
        {
            if (hex.Length != 40 || !hex.All(Uri.IsHexDigit) || hex.Any(char.IsUpper))
            {
                throw Fail($"'{hex}' is not a lowercase SHA-1 object name");
            }

            var path = $"data/{hex[..2]}/{hex[2..]}{suffix}";
            var bytes = await files.GetAsync(path, cancellationToken) ?? throw Fail($"{path} is missing");
            if (Convert.ToHexStringLower(SHA1.HashData(bytes)) != hex)
            {
                throw Fail($"{path}: the stored bytes do not hash to the name");
            }

            return bytes;
        }

        public async Task WalkCatalogAsync(string hex, long? expectedSize, string mountPath, long revision, bool isRoot)
        {
            CatalogCount++;
            var content = Inflate(await ObjectAsync(hex, "C"), hex + "C");
            if (expectedSize is { } announced && content.Length != announced)
            {
                throw Fail($"catalog {hex}: {content.Length} bytes inflated, {announced} announced");
            }

            var database = Temporary("catalog");
            await File.WriteAllBytesAsync(database, content, cancellationToken);
            var nested = new List<(string Path, string Hash, long Size)>();
            using (var connection = Open(database))
            {
                var properties = Rows(connection, "SELECT key, value FROM properties", r => (r.GetString(0), r.GetValue(1)?.ToString() ?? string.Empty)).ToDictionary();
                if (properties.GetValueOrDefault("schema") is not ("2.5" or "2.50"))
                {
                    throw Fail($"catalog {hex}: schema {properties.GetValueOrDefault("schema")}, not 2.5");
                }

                if (isRoot && properties.GetValueOrDefault("revision") != revision.ToString(CultureInfo.InvariantCulture))
                {
                    throw Fail($"root catalog revision {properties.GetValueOrDefault("revision")}, manifest S{revision}");
                }

                var rows = Rows(connection, "SELECT md5path_1, md5path_2, parent_1, parent_2, hash, size, mode, flags, name, symlink, uid, gid FROM catalog", r => new Row(
                    r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.IsDBNull(4) ? null : (byte[])r.GetValue(4),
                    r.GetInt64(5), r.GetInt64(6), r.GetInt32(7), r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9), r.GetInt64(10), r.GetInt64(11)));
                var chunks = Rows(connection, "SELECT md5path_1, md5path_2, offset, size, hash FROM chunks", r => (Key: (r.GetInt64(0), r.GetInt64(1)), Offset: r.GetInt64(2), Size: r.GetInt64(3), Hash: (byte[])r.GetValue(4)))
                    .ToLookup(c => c.Key);
                nested.AddRange(Rows(connection, "SELECT path, sha1, size FROM nested_catalogs", r => (r.GetString(0), r.GetString(1), r.GetInt64(2))));

                var children = rows.ToLookup(r => (r.Parent1, r.Parent2));
                var rootKey = PathKey(mountPath);
                var top = rows.SingleOrDefault(r => (r.Md5Path1, r.Md5Path2) == rootKey) ?? throw Fail($"catalog {hex}: no row for its root '{mountPath}'");
                if (!isRoot && (top.Flags & FlagNestedRoot) == 0)
                {
                    throw Fail($"catalog {hex}: its root '{mountPath}' is not flagged as a nested root");
                }

                var reached = 0;
                var queue = new Queue<(Row Row, string Path)>();
                queue.Enqueue((top, mountPath));
                while (queue.Count > 0)
                {
                    var (row, path) = queue.Dequeue();
                    reached++;
                    if (PathKey(path) != (row.Md5Path1, row.Md5Path2))
                    {
                        throw Fail($"catalog {hex}: the path key of '{path}' is not MD5 of the path");
                    }

                    var isNestedMountpoint = (row.Flags & FlagNestedMountpoint) != 0;
                    if (!isNestedMountpoint || !Entries.ContainsKey(path))
                    {
                        Entries[path] = await EntryAsync(row, path, chunks[(row.Md5Path1, row.Md5Path2)]);
                    }

                    if ((row.Flags & FlagDirectory) != 0 && (path == mountPath || !isNestedMountpoint))
                    {
                        foreach (var child in children[(row.Md5Path1, row.Md5Path2)])
                        {
                            if (child.Name.Length == 0 || child.Name.Contains('/') || child.Name is "." or "..")
                            {
                                throw Fail($"catalog {hex}: bad name '{child.Name}' below '{path}'");
                            }

                            queue.Enqueue((child, path + "/" + child.Name));
                        }
                    }
                }

                // The root row's parent key is its own parent's: not a child of anything here.
                if (reached != rows.Count)
                {
                    throw Fail($"catalog {hex}: {rows.Count - reached} rows are not reachable from '{mountPath}'");
                }

                foreach (var (path, _, _) in nested)
                {
                    if (!rows.Any(r => (r.Md5Path1, r.Md5Path2) == PathKey(path) && (r.Flags & FlagNestedMountpoint) != 0))
                    {
                        throw Fail($"catalog {hex}: nested catalog '{path}' has no mount point row");
                    }
                }
            }

            foreach (var (path, hash, size) in nested)
            {
                await WalkCatalogAsync(hash, size, path, revision, isRoot: false);
            }
        }

        private async Task<VerifiedEntry> EntryAsync(Row row, string path, IEnumerable<((long, long) Key, long Offset, long Size, byte[] Hash)> chunks)
        {
            var permissions = (int)(row.Mode & 0xFFF);
            if ((row.Flags & FlagDirectory) != 0)
            {
                return new VerifiedEntry(path, "dir", permissions, row.Uid, row.Gid, row.Size, null, null, 0);
            }

            if ((row.Flags & FlagLink) != 0)
            {
                return new VerifiedEntry(path, "symlink", permissions, row.Uid, row.Gid, row.Size, row.Symlink ?? throw Fail($"'{path}': symlink without target"), null, 0);
            }

            if ((row.Flags & FlagSpecial) != 0)
            {
                return new VerifiedEntry(path, "special", permissions, row.Uid, row.Gid, row.Size, null, null, 0);
            }

            if ((row.Flags & FlagFile) == 0)
            {
                throw Fail($"'{path}': flags {row.Flags} name no entry type");
            }

            if (((row.Flags >> 8) & 7) != 0)
            {
                throw Fail($"'{path}': hash algorithm {(row.Flags >> 8) & 7}, this verifier reads SHA-1 repositories");
            }

            var zlib = ((row.Flags >> 11) & 7) switch
            {
                0 => true,
                1 => false,
                var other => throw Fail($"'{path}': unknown compression {other}"),
            };
            if ((row.Flags & FlagChunked) == 0)
            {
                var hex = Convert.ToHexStringLower(row.Hash ?? throw Fail($"'{path}': a file without content hash"));
                if (!DataObjects.TryGetValue(hex, out var known))
                {
                    var stored = await ObjectAsync(hex, string.Empty);
                    var content = zlib ? Inflate(stored, hex) : stored;
                    known = (content.Length, Convert.ToHexStringLower(SHA256.HashData(content)));
                    DataObjects[hex] = known;
                }

                if (known.Length != row.Size)
                {
                    throw Fail($"'{path}': content is {known.Length} bytes, the catalog says {row.Size}");
                }

                return new VerifiedEntry(path, "file", permissions, row.Uid, row.Gid, row.Size, null, known.Sha256, 0);
            }

            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long next = 0;
            var count = 0;
            foreach (var chunk in chunks.OrderBy(c => c.Offset))
            {
                if (chunk.Offset != next)
                {
                    throw Fail($"'{path}': chunk at {chunk.Offset}, expected {next}");
                }

                var hex = Convert.ToHexStringLower(chunk.Hash);
                var stored = await ObjectAsync(hex, "P");
                var content = zlib ? Inflate(stored, hex + "P") : stored;
                if (content.Length != chunk.Size)
                {
                    throw Fail($"'{path}': chunk {hex} is {content.Length} bytes, the catalog says {chunk.Size}");
                }

                DataObjects[hex + "P"] = (content.Length, string.Empty);
                sha.AppendData(content);
                next += chunk.Size;
                count++;
            }

            if (count == 0 || next != row.Size)
            {
                throw Fail($"'{path}': chunks cover {next} of {row.Size} bytes");
            }

            return new VerifiedEntry(path, "file", permissions, row.Uid, row.Gid, row.Size, null, Convert.ToHexStringLower(sha.GetHashAndReset()), count);
        }
    }

    private sealed record Row(long Md5Path1, long Md5Path2, long Parent1, long Parent2, byte[]? Hash, long Size, long Mode, int Flags, string Name, string? Symlink, long Uid, long Gid);

    private sealed record Signed(byte[] Text, string HashLine, byte[] Signature);

    /// <summary>
    /// text part (ends with "\n"), "--\n", 40 hex (SHA-1 of the text part), "\n", signature bytes.
    /// </summary>
    private static Signed SplitSigned(byte[] file, string name)
    {
        var at = file.AsSpan().IndexOf("\n--\n"u8);
        if (at < 0)
        {
            throw Fail($"{name}: no signature block");
        }

        var text = file[..(at + 1)];
        var hashStart = at + 4;
        if (file.Length < hashStart + 41 || file[hashStart + 40] != (byte)'\n')
        {
            throw Fail($"{name}: no hash line");
        }

        var hashLine = Encoding.ASCII.GetString(file, hashStart, 40);
        if (Convert.ToHexStringLower(SHA1.HashData(text)) != hashLine)
        {
            throw Fail($"{name}: the hash line is not the SHA-1 of the text");
        }

        return new Signed(text, hashLine, file[(hashStart + 41)..]);
    }

    /// <summary>RSA public operation + PKCS#1 v1.5 block type 1 unpadding (what RSA_public_decrypt does).</summary>
    private static byte[]? RawRsaRecover(RSA key, byte[] signature)
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        var k = parameters.Modulus!.Length;
        if (signature.Length != k)
        {
            return null;
        }

        var n = new BigInteger(parameters.Modulus, isUnsigned: true, isBigEndian: true);
        var s = new BigInteger(signature, isUnsigned: true, isBigEndian: true);
        if (s >= n)
        {
            return null;
        }

        var m = BigInteger.ModPow(s, new BigInteger(parameters.Exponent!, isUnsigned: true, isBigEndian: true), n).ToByteArray(isUnsigned: true, isBigEndian: true);
        var block = new byte[k];
        m.CopyTo(block, k - m.Length);
        if (block[0] != 0 || block[1] != 1)
        {
            return null;
        }

        var i = 2;
        while (i < k && block[i] == 0xFF)
        {
            i++;
        }

        return i - 2 >= 8 && i < k && block[i] == 0 ? block[(i + 1)..] : null;
    }

    private static byte[] Inflate(byte[] stored, string name)
    {
        try
        {
            using var input = new ZLibStream(new MemoryStream(stored), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw Fail($"{name}: not a zlib stream ({e.Message})");
        }
    }

    /// <summary>MD5 of the path's UTF-8 bytes, as two little-endian signed 64-bit integers.</summary>
    private static (long, long) PathKey(string path)
    {
        var md5 = MD5.HashData(Encoding.UTF8.GetBytes(path));
        return (BitConverter.ToInt64(md5, 0), BitConverter.ToInt64(md5, 8));
    }

    private static List<string> Lines(byte[] text) => [.. Encoding.UTF8.GetString(text).Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    private static bool IsTimestamp(string value) => value.Length == 14 && value.All(char.IsAsciiDigit);

    private static SqliteConnection Open(string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static List<T> Rows<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> map)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var result = new List<T>();
        while (reader.Read())
        {
            result.Add(map(reader));
        }

        return result;
    }

    private static string? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()?.ToString();
    }

    private static RepositoryVerificationException Fail(string message) => new(message);
}
