using System.Security.Cryptography;
using System.Text;
using Strata.Cvmfs.Signing;

namespace Strata.Publish.Repository;

/// <summary>
/// The three keys of a CernVM-FS repository, in the files and formats <c>cvmfs_server</c> uses
/// (<c>/etc/cvmfs/keys/&lt;fqrn&gt;.*</c>), so they can be moved in either direction:
/// <list type="bullet">
/// <item><c>&lt;fqrn&gt;.masterkey</c>: master private key; signs the whitelist (keep it offline if you can).</item>
/// <item><c>&lt;fqrn&gt;.pub</c>: master public key; what clients configure as <c>CVMFS_PUBLIC_KEY</c>.</item>
/// <item><c>&lt;fqrn&gt;.key</c> + <c>&lt;fqrn&gt;.crt</c>: repository key and its self-signed certificate
/// (stored as the <c>X</c> object); the key signs every manifest.</item>
/// </list>
/// Private keys are PKCS#8 PEM with mode 0600. A folder with some but not all of the files is an
/// error: silently making a new master key would lock every client out.
/// </summary>
public sealed class RepositoryKeys : IDisposable
{
    private RepositoryKeys(string repositoryName, RSA masterKey, RSA repositoryKey, RepositoryCertificate certificate)
    {
        RepositoryName = repositoryName;
        MasterKey = masterKey;
        RepositoryKey = repositoryKey;
        Certificate = certificate;
    }

    public string RepositoryName { get; }

    public RSA MasterKey { get; }

    public RSA RepositoryKey { get; }

    public RepositoryCertificate Certificate { get; }

    /// <summary>The master public key in PEM, as clients need it.</summary>
    public string MasterPublicKeyPem => MasterKey.ExportSubjectPublicKeyInfoPem() + "\n";

    /// <summary>Loads the keys from <paramref name="directory"/>, creating all of them on first use.</summary>
    public static RepositoryKeys LoadOrCreate(string directory, string repositoryName, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(repositoryName);
        var files = Files(directory, repositoryName);
        var present = files.All.Count(File.Exists);
        if (present == files.All.Length)
        {
            return Import(repositoryName, File.ReadAllText(files.MasterKey), File.ReadAllText(files.RepositoryKey), File.ReadAllBytes(files.Certificate));
        }

        if (present != 0)
        {
            throw new InvalidOperationException($"The key folder '{directory}' holds only some of the keys of {repositoryName} ({string.Join(", ", files.All.Where(File.Exists).Select(Path.GetFileName))}); restore the missing ones, or remove all to start a new repository.");
        }

        Directory.CreateDirectory(directory);
        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();
        var master = RSA.Create(2048);
        var repository = RSA.Create(2048);
        var certificate = RepositoryCertificate.Create(repositoryName, repository, now.AddDays(-1), TimeSpan.FromDays(3650));
        WriteAtomically(files.RepositoryKey, repository.ExportPkcs8PrivateKeyPem() + "\n", secret: true);
        WriteAtomically(files.Certificate, Encoding.ASCII.GetString(certificate.Pem.Span), secret: false);
        WriteAtomically(files.PublicKey, master.ExportSubjectPublicKeyInfoPem() + "\n", secret: false);

        // The master key last: its presence marks a complete set.
        WriteAtomically(files.MasterKey, master.ExportPkcs8PrivateKeyPem() + "\n", secret: true);
        return new RepositoryKeys(repositoryName, master, repository, certificate);
    }

    /// <summary>Uses existing keys (PEM text; PKCS#1 or PKCS#8 private keys, as cvmfs_server writes them).</summary>
    public static RepositoryKeys Import(string repositoryName, string masterKeyPem, string repositoryKeyPem, ReadOnlySpan<byte> certificatePem)
    {
        var master = RSA.Create();
        master.ImportFromPem(masterKeyPem);
        var repository = RSA.Create();
        repository.ImportFromPem(repositoryKeyPem);
        var certificate = RepositoryCertificate.Parse(certificatePem);
        using var certificateKey = certificate.GetPublicKey();
        if (!certificateKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(repository.ExportSubjectPublicKeyInfo()))
        {
            throw new InvalidOperationException("The repository certificate does not belong to the repository key.");
        }

        return new RepositoryKeys(repositoryName, master, repository, certificate);
    }

    /// <summary>Writes these keys into <paramref name="directory"/> (for an imported set).</summary>
    public void Save(string directory)
    {
        var files = Files(directory, RepositoryName);
        Directory.CreateDirectory(directory);
        WriteAtomically(files.RepositoryKey, RepositoryKey.ExportPkcs8PrivateKeyPem() + "\n", secret: true);
        WriteAtomically(files.Certificate, Encoding.ASCII.GetString(Certificate.Pem.Span), secret: false);
        WriteAtomically(files.PublicKey, MasterPublicKeyPem, secret: false);
        WriteAtomically(files.MasterKey, MasterKey.ExportPkcs8PrivateKeyPem() + "\n", secret: true);
    }

    public void Dispose()
    {
        MasterKey.Dispose();
        RepositoryKey.Dispose();
        Certificate.Dispose();
    }

    private static (string MasterKey, string PublicKey, string RepositoryKey, string Certificate, string[] All) Files(string directory, string name)
    {
        var master = Path.Combine(directory, name + ".masterkey");
        var pub = Path.Combine(directory, name + ".pub");
        var key = Path.Combine(directory, name + ".key");
        var crt = Path.Combine(directory, name + ".crt");
        return (master, pub, key, crt, [master, pub, key, crt]);
    }

    private static void WriteAtomically(string path, string content, bool secret)
    {
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = secret
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(Encoding.ASCII.GetBytes(content));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
