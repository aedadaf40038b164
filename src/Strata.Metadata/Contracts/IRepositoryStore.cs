namespace Strata.Metadata.Contracts;

/// <summary>Repositories: created implicitly by the first blob link or manifest.</summary>
public interface IRepositoryStore
{
    Task<bool> RepositoryExistsAsync(string repository, CancellationToken cancellationToken);

    /// <summary>Repository names in ordinal (lexical) order, strictly after <paramref name="last"/>, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<string>> ListRepositoriesAsync(string? last, int limit, CancellationToken cancellationToken);
}
