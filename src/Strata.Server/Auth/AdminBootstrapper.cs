using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Strata.Identity.Accounts;

namespace Strata.Server.Auth;

/// <summary>
/// Creates the first system administrator on first start (no user at all yet), with
/// <c>Auth:AdminPassword</c> or, when that is empty, a generated password printed once on the
/// console. The password goes to standard error directly, never through logging, so it does not
/// end up in log files or collectors; an operator who misses it resets it with
/// <c>strata user passwd</c> as another administrator or recreates the data folder.
/// </summary>
public sealed partial class AdminBootstrapper(UserAccounts users, IOptions<AuthOptions> options, ILogger<AdminBootstrapper> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value.AdminPassword;
        var password = await users.BootstrapAdminAsync(options.Value.AdminUsername, configured, cancellationToken).ConfigureAwait(false);
        if (password is null)
        {
            return;
        }

        LogCreated(logger, options.Value.AdminUsername);
        if (string.IsNullOrEmpty(configured))
        {
            await Console.Error.WriteLineAsync(
                $"strata: created the system administrator '{options.Value.AdminUsername}' with the generated password: {password}\n" +
                "strata: it is shown only this once; change it with `strata user passwd`.").ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "created the system administrator {Username} (first start)")]
    private static partial void LogCreated(ILogger logger, string username);
}
