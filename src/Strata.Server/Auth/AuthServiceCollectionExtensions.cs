using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Strata.Identity.Access;
using Strata.Identity.Accounts;
using Strata.Identity.Audit;
using Strata.Identity.Login;
using Strata.Identity.Passwords;
using Strata.Identity.Principals;
using Strata.Identity.Tokens;
using Strata.Metadata.Contracts;
using Strata.Metadata.Contracts.Identity;
using Strata.Server.Hosting;

namespace Strata.Server.Auth;

/// <summary>
/// Wires identity and access. The identity services and the management API exist whether or not
/// access control is on (with it off, every caller of the API is an administrator); the
/// <c>/v2/</c> authorizer, the admin bootstrap and the publication gate only when it is on.
/// </summary>
public static class AuthServiceCollectionExtensions
{
    public static IServiceCollection AddStrataAuth(this IServiceCollection services, IConfiguration configuration, StrataOptions strata)
    {
        var data = Path.GetFullPath(strata.Data);
        services.AddOptions<AuthOptions>()
            .Bind(configuration.GetSection(AuthOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The identity tables live in the metadata database (schema version 3): both stores implement it.
        services.AddSingleton(sp => (IIdentityStore)sp.GetRequiredService<IMetadataStore>());
        services.AddSingleton(sp => new PasswordHasher(Auth(sp).PasswordIterations));
        services.AddSingleton(sp => new LoginThrottle(Auth(sp).LoginFailureLimit, Auth(sp).LoginWindow, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new BasicCredentialCache(Auth(sp).BasicCacheDuration, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IdentityGeneration>();
        services.AddSingleton(sp => new Authenticator(
            sp.GetRequiredService<IIdentityStore>(), sp.GetRequiredService<PasswordHasher>(), sp.GetRequiredService<LoginThrottle>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IdentityGeneration>(), NewStateCache<Principal>(sp)));
        services.AddSingleton(sp => new AccessEvaluator(
            sp.GetRequiredService<IIdentityStore>(), sp.GetRequiredService<IdentityGeneration>(), NewStateCache<ProjectAccess>(sp)));
        services.AddSingleton<TokenGrants>();
        services.AddSingleton(sp => TokenSigningKey.LoadOrCreate(Auth(sp).SigningKeyFile ?? Path.Combine(data, "auth", "token-signing-key.pem")));
        services.AddSingleton(sp =>
        {
            var auth = Auth(sp);
            return new TokenService(
                sp.GetRequiredService<TokenSigningKey>(),
                new TokenOptions(auth.Issuer, auth.Service, auth.TokenLifetime, auth.RefreshTokenLifetime, auth.ClockSkew),
                sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(sp => new VerifiedTokenCache(sp.GetRequiredService<TokenService>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<RequestAuthenticator>();
        services.AddSingleton<AuthChallenge>();
        services.AddSingleton<CatalogFilter>();
        services.AddSingleton<UserAccounts>();
        services.AddSingleton<ProjectAccounts>();
        services.AddSingleton<RobotAccounts>();
        services.AddSingleton<BatchingAuditSink>();
        services.AddSingleton<IAuditSink>(sp => sp.GetRequiredService<BatchingAuditSink>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<BatchingAuditSink>());

        if (configuration.GetValue(AuthOptions.Section + ":" + nameof(AuthOptions.Enabled), true))
        {
            services.AddSingleton<IOciAuthorizer, OciAuthorizer>();
            services.AddSingleton<IPublicationGate, ProjectPublicationGate>();
            services.AddHostedService<AdminBootstrapper>();
        }

        return services;
    }

    private static StateCache<T> NewStateCache<T>(IServiceProvider services) where T : class =>
        new(services.GetRequiredService<IdentityGeneration>(), Auth(services).StateCacheDuration, services.GetRequiredService<TimeProvider>());

    private static AuthOptions Auth(IServiceProvider services) => services.GetRequiredService<IOptions<AuthOptions>>().Value;
}
