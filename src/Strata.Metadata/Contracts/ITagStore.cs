namespace Strata.Metadata.Contracts;

/// <summary>Tags (set through <see cref="IManifestStore.PutManifestAsync"/>).</summary>
public interface ITagStore
{
    /// <summary>Tags of a repository in ordinal (lexical) order, strictly after <paramref name="last"/>, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<string>> ListTagsAsync(string repository, string? last, int limit, CancellationToken cancellationToken);

    /// <summary>Removes a tag (the manifest stays), with a <see cref="OutboxEventKinds.TagDeleted"/> event. False when it did not exist.</summary>
    Task<bool> DeleteTagAsync(string repository, string tag, CancellationToken cancellationToken);
}
