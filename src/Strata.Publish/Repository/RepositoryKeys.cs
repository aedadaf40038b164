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
/// error: silently making a new master key would lock every client out. The one file that may be
/// missing is <c>.masterkey</c>: a site that keeps its master key elsewhere (offline, a smart card)
/// gives Strata only <c>.pub</c> and imports whitelists it signs there
/// (<see cref="RepositoryPublisher.ImportWhitelistAsync"/>); Strata then never signs a whitelist.
/// </summary>
public sealed class RepositoryKeys : IDisposable
{
    private RepositoryKeys(string repositoryName, RSA? masterKey, RSA masterPublicKey, RSA repositoryKey, RepositoryCertificate certificate)
    {
        RepositoryName = repositoryName;
        MasterKey = masterKey;
        MasterPublicKey = masterPublicKey;
        RepositoryKey = repositoryKey;
        Certificate = certificate;
    }

    public string RepositoryName { get; }

    /// <summary>The master private key, or null when the master key is kept outside Strata.</summary>
    public RSA? MasterKey { get; }

    /// <summary>The master public key clients trust (<c>CVMFS_PUBLIC_KEY</c>).</summary>
    public RSA MasterPublicKey { get; }

    public RSA RepositoryKey { get; }

    public RepositoryCertificate Certificate { get; }

    /// <summary>True when Strata holds the master private key and can sign whitelists itself.</summary>
    public bool CanSignWhitelist => MasterKey is not null;

    /// <summary>The master public key in PEM, as clients need it.</summary>
    public string MasterPublicKeyPem => MasterPublicKey.ExportSubjectPublicKeyInfoPem() + "\n";

    /// <summary>Loads the keys from <paramref name="directory"/>, creating all of them on first use.</summary>
    public static RepositoryKeys LoadOrCreate(string directory, string repositoryName, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(repositoryName);
        var files = Files(directory, repositoryName);
        var present = files.All.Count(File.Exists);
        if (files.Required.All(File.Exists))
        {
            var masterKey = File.Exists(files.MasterKey) ? File.ReadAllText(files.MasterKey) : null;
            return Import(repositoryName, masterKey, File.ReadAllText(files.PublicKey), File.ReadAllText(files.RepositoryKey), File.ReadAllBytes(files.Certificate));
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
        WriteAtomically(files.MasterKey, master.ExportPkcs8PrivateKeyPem() + "\n", secret: true);

        // The public key last: its presence (with .key and .crt) marks a complete set.
        WriteAtomically(files.PublicKey, master.ExportSubjectPublicKeyInfoPem() + "\n", secret: false);
        var publicKey = RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(master.ExportSubjectPublicKeyInfo(), out _);
        return new RepositoryKeys(repositoryName, master, publicKey, repository, certificate);
    }

    /// <summary>Uses existing keys (PEM text; PKCS#1 or PKCS#8 private keys, as cvmfs_server writes them).</summary>
    public static RepositoryKeys Import(string repositoryName, string masterKeyPem, string repositoryKeyPem, ReadOnlySpan<byte> certificatePem) =>
        Import(repositoryName, masterKeyPem, masterPublicKeyPem: null, repositoryKeyPem, certificatePem);

    /// <summary>
    /// Uses existing keys. Either <paramref name="masterKeyPem"/> (the master private key) or
    /// <paramref name="masterPublicKeyPem"/> or both must be given; with the public key only, the
    /// master key stays elsewhere and whitelists are imported. Both given must be one key pair.
    /// </summary>
    public static RepositoryKeys Import(string repositoryName, string? masterKeyPem, string? masterPublicKeyPem, string repositoryKeyPem, ReadOnlySpan<byte> certificatePem)
    {
        ArgumentException.ThrowIfNullOrEmpty(repositoryName);
        if (masterKeyPem is null && masterPublicKeyPem is null)
        {
            throw new InvalidOperationException("Either the master private key or the master public key is needed.");
        }

        RSA? master = null;
        if (masterKeyPem is not null)
        {
            master = RSA.Create();
            master.ImportFromPem(masterKeyPem);
        }

        var masterPublic = RSA.Create();
        if (masterPublicKeyPem is not null)
        {
            masterPublic.ImportFromPem(masterPublicKeyPem);
            if (master is not null && !master.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(masterPublic.ExportSubjectPublicKeyInfo()))
            {
                throw new InvalidOperationException("The master public key does not belong to the master private key.");
            }
        }
        else
        {
            masterPublic.ImportSubjectPublicKeyInfo(master!.ExportSubjectPublicKeyInfo(), out _);
        }

        var repository = RSA.Create();
        repository.ImportFromPem(repositoryKeyPem);
        var certificate = RepositoryCertificate.Parse(certificatePem);
        using var certificateKey = certificate.GetPublicKey();
        if (!certificateKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(repository.ExportSubjectPublicKeyInfo()))
        {
            throw new InvalidOperationException("The repository certificate does not belong to the repository key.");
        }

        return new RepositoryKeys(repositoryName, master, masterPublic, repository, certificate);
    }

    /// <summary>Writes these keys into <paramref name="directory"/> (for an imported set).</summary>
    public void Save(string directory)
    {
        var files = Files(directory, RepositoryName);
        Directory.CreateDirectory(directory);
        WriteAtomically(files.RepositoryKey, RepositoryKey.ExportPkcs8PrivateKeyPem() + "\n", secret: true);
        WriteAtomically(files.Certificate, Encoding.ASCII.GetString(Certificate.Pem.Span), secret: false);
        if (MasterKey is not null)
        {
            WriteAtomically(files.MasterKey, MasterKey.ExportPkcs8PrivateKeyPem() + "\n", secret: true);
        }

        WriteAtomically(files.PublicKey, MasterPublicKeyPem, secret: false);
    }

    public void Dispose()
    {
        MasterKey?.Dispose();
        MasterPublicKey.Dispose();
        RepositoryKey.Dispose();
        Certificate.Dispose();
    }

    private static (string MasterKey, string PublicKey, string RepositoryKey, string Certificate, string[] All, string[] Required) Files(string directory, string name)
    {
        var master = Path.Combine(directory, name + ".masterkey");
        var pub = Path.Combine(directory, name + ".pub");
        var key = Path.Combine(directory, name + ".key");
        var crt = Path.Combine(directory, name + ".crt");
        return (master, pub, key, crt, [master, pub, key, crt], [pub, key, crt]);
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
