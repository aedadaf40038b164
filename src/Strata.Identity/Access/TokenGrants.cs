using Strata.Identity.Principals;
using Strata.Identity.Rbac;
using Strata.Identity.Tokens;
using Strata.Oci.Names;

namespace Strata.Identity.Access;

/// <summary>
/// What a token carries: for each requested scope, the requested actions the principal is
/// permitted (requested ∩ permitted), possibly none — not an error, as the token spec says; the
/// registry refuses later. Scopes of unknown types, invalid names and names outside any project
/// get nothing. <c>registry:catalog:*</c> is granted to everyone: the catalog is filtered to what
/// the caller may see.
/// </summary>
public sealed class TokenGrants(AccessEvaluator evaluator)
{
    /// <summary>Most scopes one token request may ask for (each costs a lookup).</summary>
    public const int MaxScopes = 32;

    private static readonly string[] RepositoryActions = [Actions.Pull, Actions.Push, Actions.Delete];

    public async Task<IReadOnlyList<ResourceScope>> GrantAsync(Principal principal, IEnumerable<ResourceScope> requested, CancellationToken cancellationToken)
    {
        var granted = new List<ResourceScope>();
        foreach (var scope in requested.Take(MaxScopes))
        {
            if (scope.Type == ResourceScope.RegistryType && scope.Name == "catalog" && scope.Actions.Contains("*"))
            {
                granted.Add(new ResourceScope(ResourceScope.RegistryType, "catalog", ["*"]));
                continue;
            }

            if (scope.Type != ResourceScope.RepositoryType || !RepositoryName.IsValid(scope.Name)
                || ProjectNames.OfRepository(scope.Name) is not { } project)
            {
                continue;
            }

            var access = await evaluator.EvaluateAsync(principal, project, cancellationToken).ConfigureAwait(false);
            var wanted = scope.Actions.Contains("*") ? RepositoryActions : scope.Actions;
            var allowed = wanted.Where(a => RepositoryActions.Contains(a) && access.Allows(Resources.Repository, a)).Distinct().ToArray();
            if (allowed.Length > 0)
            {
                granted.Add(new ResourceScope(ResourceScope.RepositoryType, scope.Name, allowed));
            }
        }

        return granted;
    }
}
