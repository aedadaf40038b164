using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Strata.Client.Hosting;

/// <summary>Loads trusted master public keys (<c>CVMFS_PUBLIC_KEY</c>): PEM files, several separated by <c>:</c>, several keys per file allowed.</summary>
public static partial class MasterKeys
{
    public static IReadOnlyList<RSA> Load(string files)
    {
        ArgumentException.ThrowIfNullOrEmpty(files);
        var keys = new List<RSA>();
        foreach (var file in files.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var text = File.ReadAllText(file);
            foreach (Match block in PemBlock().Matches(text))
            {
                var rsa = RSA.Create();
                rsa.ImportFromPem(block.Value);
                keys.Add(rsa);
            }
        }

        if (keys.Count == 0)
        {
            throw new FormatException($"No RSA public key in {files}.");
        }

        return keys;
    }

    [GeneratedRegex("-----BEGIN (RSA )?PUBLIC KEY-----.*?-----END (RSA )?PUBLIC KEY-----", RegexOptions.Singleline)]
    private static partial Regex PemBlock();
}
