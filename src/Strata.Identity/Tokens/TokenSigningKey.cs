using System.Security.Cryptography;

namespace Strata.Identity.Tokens;

/// <summary>
/// The ECDSA P-256 key that signs registry tokens (ES256), kept as PKCS#8 PEM in one file, created
/// on first start with owner-only permissions. Replicas share it through configuration
/// (<c>Auth:SigningKeyFile</c>). The key id (<c>kid</c>) is derived from the public key, so a
/// token signed by another key is recognised before its signature is even checked.
/// </summary>
public sealed class TokenSigningKey : IDisposable
{
    private TokenSigningKey(ECDsa key)
    {
        Key = key;
        KeyId = Passwords.Base64Url.Encode(SHA256.HashData(key.ExportSubjectPublicKeyInfo()).AsSpan(0, 15));
    }

    public ECDsa Key { get; }

    public string KeyId { get; }

    public static TokenSigningKey Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Loads the key from <paramref name="path"/>, or creates it there (atomically: temp file, then rename).</summary>
    public static TokenSigningKey LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            var key = ECDsa.Create();
            key.ImportFromPem(File.ReadAllText(path));
            if (key.KeySize != 256)
            {
                key.Dispose();
                throw new InvalidOperationException($"{path} holds a {key.KeySize}-bit key; registry tokens are signed with ECDSA P-256 (ES256).");
            }

            return new TokenSigningKey(key);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var created = Create();
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(created.Key.ExportPkcs8PrivateKeyPem());
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: false);
        return created;
    }

    public void Dispose() => Key.Dispose();
}
