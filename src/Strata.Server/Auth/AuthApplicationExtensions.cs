using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Strata.Server.Management;

namespace Strata.Server.Auth;

/// <summary>Adds identity and access to the HTTP pipeline: the token service, the identity API and its OpenAPI document.</summary>
public static class AuthApplicationExtensions
{
    /// <summary>Call before the other endpoints are mapped (the operator-API guard is middleware).</summary>
    public static WebApplication UseStrataAuth(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.Enabled)
        {
            app.UseWhen(
                AdministratorOnlyMiddleware.Guards,
                b => b.UseMiddleware<AdministratorOnlyMiddleware>());
        }

        TokenEndpoints.Map(app);
        UserEndpoints.Map(app);
        ProjectEndpoints.Map(app);
        RobotEndpoints.Map(app);
        AuditEndpoints.Map(app);
        OpenApiEndpoints.Map(app);
        return app;
    }
}
