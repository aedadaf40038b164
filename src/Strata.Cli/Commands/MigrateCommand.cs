using System.CommandLine;
using Microsoft.Extensions.Options;
using Strata.Server.Hosting;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata migrate</c>: creates or upgrades the metadata schema of the configured store
/// (<c>Metadata:Provider</c>, <c>Metadata:ConnectionString</c>; the same configuration as
/// <c>strata serve</c>), then exits. Exit code 0 when the schema is current, 1 when the database
/// failed or refused, 2 for bad settings.
/// </summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Data directory (for the embedded SQLite store). Default: ./strata-data" };
        var config = new Option<string?>("--config") { Description = "A JSON configuration file" };
        var connection = new Option<string?>("--connection-string") { Description = "PostgreSQL connection string (sets Metadata:Provider=postgres); prefer STRATA__Metadata__ConnectionString, which stays out of the process list" };
        var command = new Command("migrate", "Create or upgrade the metadata database schema (PostgreSQL or SQLite) and exit")
        {
            data, config, connection,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = new Dictionary<string, string?>();
            if (result.GetValue(data) is { Length: > 0 } d)
            {
                settings["Data"] = d;
            }

            if (result.GetValue(config) is { Length: > 0 } c)
            {
                settings["Config"] = c;
            }

            if (result.GetValue(connection) is { Length: > 0 } cs)
            {
                settings["Metadata:Provider"] = MetadataOptions.PostgresProvider;
                settings["Metadata:ConnectionString"] = cs;
            }

            try
            {
                var configuration = MetadataMigration.LoadConfiguration([.. result.UnmatchedTokens], settings);
                Console.WriteLine(await MetadataMigration.MigrateAsync(configuration, cancellationToken));
                return 0;
            }
            catch (OptionsValidationException e)
            {
                await Console.Error.WriteLineAsync("strata migrate: the configuration has problems:");
                foreach (var failure in e.Failures)
                {
                    await Console.Error.WriteLineAsync($"  - {failure}");
                }

                return 2;
            }
            catch (StrataStartException e)
            {
                await Console.Error.WriteLineAsync($"strata migrate: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
