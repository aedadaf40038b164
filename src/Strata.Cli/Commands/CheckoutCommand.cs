using System.CommandLine;
using Strata.Client.Cache;
using Strata.Client.Checkout;
using Strata.Client.Hosting;
using Strata.Client.Network;
using Strata.Client.Repository;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata checkout URL --key K --cache C PATH DIR</c>: materializes one tree of a repository (e.g.
/// an image) into a plain directory, with content from the shared cache, safe against path tricks.
/// </summary>
internal static class CheckoutCommand
{
    public static Command Create()
    {
        var urls = new Argument<string>("urls") { Description = "Repository URL ending in /cvmfs/<fqrn>, then mirrors, comma-separated" };
        var path = new Argument<string>("path") { Description = "Path inside the repository (symlinks inside the repository are followed)" };
        var directory = new Argument<string>("directory") { Description = "Destination directory (created; must be empty)" };
        var key = new Option<string>("--key") { Description = "Master public key file(s), ':'-separated", Required = true };
        var cache = new Option<string>("--cache") { Description = "Cache directory, shared with mounts", Required = true };
        var proxy = new Option<string?>("--proxy") { Description = "HTTP proxies in CernVM-FS syntax" };
        var tag = new Option<string?>("--tag") { Description = "Check out from this history tag" };
        var command = new Command("checkout", "Copy one tree of a CernVM-FS repository into a directory")
        {
            urls, path, directory, key, cache, proxy, tag,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = new ClientOptions
            {
                Mirrors = RepositoryAddress.ParseList(result.GetValue(urls)!),
                MasterKeys = MasterKeys.Load(result.GetValue(key)!),
                Cache = new CacheOptions { Directory = result.GetValue(cache)! },
                Network = new NetworkOptions { Proxies = ProxyChain.Parse(result.GetValue(proxy)) },
                Tag = result.GetValue(tag),
            };
            try
            {
                var client = await RepositoryClient.OpenAsync(options, cancellationToken);
                await using (client)
                {
                    var written = await new TreeCheckout(client).RunAsync(result.GetValue(path)!, result.GetValue(directory)!, cancellationToken);
                    Console.WriteLine($"strata: {written.Files} files ({written.Bytes} bytes), {written.Directories} directories, {written.Symlinks} symlinks, {written.Hardlinks} hardlinks, {written.Skipped} skipped");
                    return 0;
                }
            }
            catch (Exception e) when (e is IOException or FormatException or Strata.Cvmfs.CvmfsVerificationException or Strata.Cvmfs.CvmfsNotFoundException)
            {
                await Console.Error.WriteLineAsync($"strata checkout: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
