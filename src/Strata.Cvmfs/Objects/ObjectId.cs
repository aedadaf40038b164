using System.Diagnostics.CodeAnalysis;

namespace Strata.Cvmfs.Objects;

/// <summary>
/// The name of a content-addressed object: its content hash plus its kind.
/// </summary>
/// <remarks>
/// Storage layout below the repository root (cvmfs <c>shash::Any::MakePath</c>, one directory level
/// of two hex digits):
/// <code>
/// .cvmfspublished                signed manifest (mutable, swapped last)
/// .cvmfswhitelist                signed whitelist (mutable)
/// data/txn/                      temporary files, renamed into place when complete
/// data/ab/cdef…[-shake128][S]    immutable objects: 2 hex / 38 hex, algorithm suffix, kind suffix S
/// </code>
/// The hash is over the stored (compressed) bytes, so a mirror can verify an object without
/// decompressing it.
/// </remarks>
public readonly record struct ObjectId(ContentHash Hash, ObjectKind Kind)
{
    /// <summary>The object's path relative to the repository root, e.g. <c>data/d6/d19a…93C</c>.</summary>
    public string Path
    {
        get
        {
            var hex = Hash.ToHex();
            var suffix = Kind.Suffix();
            return "data/" + hex[..2] + "/" + hex[2..] + Hash.AlgorithmSuffix + (suffix == '\0' ? string.Empty : suffix.ToString());
        }
    }

    /// <summary>
    /// The name of the copy a repository with manifest field <c>A</c> = yes keeps in its root, so the
    /// root catalog, certificate and history can be fetched when <c>data/</c> is protected
    /// (cvmfs <c>MakeAlternativePath</c>): <c>.cvmfsalt-&lt;hex&gt;[-algorithm]&lt;suffix&gt;</c>.
    /// </summary>
    public string AlternativePath
    {
        get
        {
            var suffix = Kind.Suffix();
            return ".cvmfsalt-" + Hash + (suffix == '\0' ? string.Empty : suffix.ToString());
        }
    }

    /// <summary>Parses a path such as <c>data/ab/cdef…-shake128P</c>.</summary>
    public static bool TryParsePath([NotNullWhen(true)] string? path, out ObjectId id)
    {
        id = default;
        if (path is null || !path.StartsWith("data/", StringComparison.Ordinal) || path.Length < 5 + 2 + 1 + 38 || path[7] != '/')
        {
            return false;
        }

        var name = string.Concat(path.AsSpan(5, 2), path.AsSpan(8));
        var kind = ObjectKind.File;
        if (name.Length > 0 && ObjectKinds.TryFromSuffix(name[^1], out var parsedKind))
        {
            kind = parsedKind;
            name = name[..^1];
        }

        if (!ContentHash.TryParse(name, out var hash) || name.AsSpan(0, 40).ContainsAnyInRange('A', 'F'))
        {
            return false;
        }

        id = new ObjectId(hash, kind);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Path;
}
