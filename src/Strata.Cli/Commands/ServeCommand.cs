using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Strata.Server.Hosting;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata serve</c>: runs the registry. Flags override configuration; any other
/// <c>--Section:Key value</c> pair is passed to the configuration system as it is.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Data directory (blobs, metadata). Default: ./strata-data" };
        var listen = new Option<string?>("--listen") { Description = "HOST:PORT to listen on. Default: 127.0.0.1:5000" };
        var config = new Option<string?>("--config") { Description = "A JSON configuration file" };
        var command = new Command("serve", "Run the registry on embedded storage (or what the configuration names)")
        {
            data, listen, config,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = new Dictionary<string, string?>();
            Set(settings, "Data", result.GetValue(data));
            Set(settings, "Listen", result.GetValue(listen));
            Set(settings, "Config", result.GetValue(config));
            try
            {
                var app = StrataServer.Build([.. result.UnmatchedTokens], settings);
                await app.StartAsync(cancellationToken);
                await app.WaitForShutdownAsync(cancellationToken);
                return 0;
            }
            catch (OptionsValidationException e)
            {
                await Console.Error.WriteLineAsync("strata: the configuration has problems; fix them and start again:");
                foreach (var failure in e.Failures)
                {
                    await Console.Error.WriteLineAsync($"  - {failure}");
                }

                return 2;
            }
            catch (Exception e) when (StartFailure(e) is { } failure)
            {
                // A backend refused (bucket, database, schema version): what to fix, without a stack trace.
                await Console.Error.WriteLineAsync($"strata: cannot start: {failure.Message}");
                return 1;
            }
        });
        return command;
    }

    private static StrataStartException? StartFailure(Exception e) => e switch
    {
        StrataStartException start => start,
        AggregateException aggregate => aggregate.InnerExceptions.Select(StartFailure).FirstOrDefault(f => f is not null),
        _ => null,
    };

    private static void Set(Dictionary<string, string?> settings, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            settings[key] = value;
        }
    }
}
