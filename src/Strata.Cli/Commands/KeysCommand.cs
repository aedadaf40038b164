using System.CommandLine;
using System.Text.Json;
using Strata.Publish.Repository;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata keys</c>: the CernVM-FS repository keys in the data folder (<c>&lt;data&gt;/keys/&lt;fqrn&gt;.*</c>,
/// the file names and formats of <c>cvmfs_server</c>). <c>show</c> prints what clients need;
/// <c>import</c> adopts keys of an existing repository (e.g. moved from a cvmfs_server host), with
/// or without the master private key; <c>import-whitelist</c> gives a running server a whitelist
/// signed elsewhere with the master key, which it verifies before use.
/// </summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var command = new Command("keys", "Show or import the CernVM-FS repository keys");
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Import());
        command.Subcommands.Add(ImportWhitelist());
        return command;
    }

    private static Option<string> DataOption() => new("--data") { Description = "Data directory", DefaultValueFactory = _ => "strata-data" };

    private static Command Show()
    {
        var data = DataOption();
        var repository = new Option<string?>("--repository") { Description = "Repository name (fqrn); needed only when the folder holds several" };
        var json = new Option<bool>("--json") { Description = "Print {\"repository\", \"masterPublicKey\"} as JSON" };
        var command = new Command("show", "Print the repository name and master public key clients configure") { data, repository, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var folder = Path.Combine(result.GetValue(data)!, "keys");
            var names = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.pub").Select(Path.GetFileNameWithoutExtension).ToList() : [];
            var name = result.GetValue(repository) ?? (names.Count == 1 ? names[0] : null);
            if (name is null || !names.Contains(name))
            {
                await Console.Error.WriteLineAsync(names.Count == 0
                    ? $"strata keys: no keys in {folder}; they are created when `strata serve --data {result.GetValue(data)}` starts"
                    : $"strata keys: choose one with --repository: {string.Join(", ", names)}");
                return 1;
            }

            var publicKey = await File.ReadAllTextAsync(Path.Combine(folder, name + ".pub"), cancellationToken);
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string> { ["repository"] = name!, ["masterPublicKey"] = publicKey }));
            }
            else
            {
                Console.WriteLine($"repository: {name}\nmaster public key (CVMFS_PUBLIC_KEY):\n{publicKey}");
            }

            return 0;
        });
        return command;
    }

    private static Command Import()
    {
        var data = DataOption();
        var repository = new Option<string>("--repository") { Description = "Repository name (fqrn)", Required = true };
        var master = new Option<FileInfo?>("--master-key") { Description = "Master private key (PEM, <fqrn>.masterkey)" };
        var masterPublic = new Option<FileInfo?>("--master-public-key") { Description = "Master public key (PEM, <fqrn>.pub); alone, the master key stays elsewhere and whitelists are imported" };
        var key = new Option<FileInfo>("--repository-key") { Description = "Repository private key (PEM, <fqrn>.key)", Required = true };
        var certificate = new Option<FileInfo>("--certificate") { Description = "Repository certificate (PEM, <fqrn>.crt)", Required = true };
        var command = new Command("import", "Adopt the keys of an existing repository (stop the server first)") { data, repository, master, masterPublic, key, certificate };
        command.SetAction(async (result, cancellationToken) =>
        {
            var folder = Path.Combine(result.GetValue(data)!, "keys");
            var name = result.GetValue(repository)!;
            if (result.GetValue(master) is null && result.GetValue(masterPublic) is null)
            {
                await Console.Error.WriteLineAsync("strata keys: give --master-key, or --master-public-key when the master key is kept elsewhere");
                return 2;
            }

            if (File.Exists(Path.Combine(folder, name + ".masterkey")) || File.Exists(Path.Combine(folder, name + ".pub")))
            {
                await Console.Error.WriteLineAsync($"strata keys: {folder} already holds keys for {name}; move them away first (clients trust the old master key)");
                return 1;
            }

            try
            {
                using var keys = RepositoryKeys.Import(
                    name,
                    result.GetValue(master) is { } masterFile ? await File.ReadAllTextAsync(masterFile.FullName, cancellationToken) : null,
                    result.GetValue(masterPublic) is { } publicFile ? await File.ReadAllTextAsync(publicFile.FullName, cancellationToken) : null,
                    await File.ReadAllTextAsync(result.GetValue(key)!.FullName, cancellationToken),
                    await File.ReadAllBytesAsync(result.GetValue(certificate)!.FullName, cancellationToken));
                keys.Save(folder);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                await Console.Error.WriteLineAsync($"strata keys: cannot import: {e.Message}");
                return 1;
            }

            Console.WriteLine($"imported the keys of {name} into {folder}");
            return 0;
        });
        return command;
    }

    private static Command ImportWhitelist()
    {
        var file = new Argument<FileInfo>("whitelist") { Description = "The signed .cvmfswhitelist file" };
        var server = new Option<string>("--server") { Description = "Strata server URL", DefaultValueFactory = _ => "http://127.0.0.1:5000" };
        var command = new Command("import-whitelist", "Install a whitelist signed elsewhere with the master key (verified by the server before use; never overwritten by renewal)") { file, server };
        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(file)!;
            if (!path.Exists || path.Length > 64 * 1024)
            {
                await Console.Error.WriteLineAsync($"strata keys: {path.FullName} is missing or too large to be a whitelist");
                return 1;
            }

            using var http = new HttpClient { BaseAddress = new Uri(result.GetValue(server)!.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
            try
            {
                using var content = new ByteArrayContent(await File.ReadAllBytesAsync(path.FullName, cancellationToken));
                using var response = await http.PutAsync("api/v1/publications/whitelist", content, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    await Console.Error.WriteLineAsync($"strata keys: the server refused the whitelist: {(int)response.StatusCode} {body}");
                    return 1;
                }

                Console.WriteLine(body);
                return 0;
            }
            catch (HttpRequestException e)
            {
                await Console.Error.WriteLineAsync($"strata keys: cannot reach {http.BaseAddress} ({e.Message}); is `strata serve` running there? Use --server URL.");
                return 1;
            }
        });
        return command;
    }
}
