namespace Strata.Cvmfs.Objects;

/// <summary>Maps <see cref="ObjectKind"/> to and from the suffix character of an object name.</summary>
public static class ObjectKinds
{
    /// <summary>The suffix character, or <c>'\0'</c> for <see cref="ObjectKind.File"/>.</summary>
    public static char Suffix(this ObjectKind kind) => kind switch
    {
        ObjectKind.File => '\0',
        ObjectKind.Catalog => 'C',
        ObjectKind.Partial => 'P',
        ObjectKind.Certificate => 'X',
        ObjectKind.History => 'H',
        ObjectKind.MetaInfo => 'M',
        ObjectKind.MicroCatalog => 'L',
        ObjectKind.Temporary => 'T',
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The kind for a suffix character; false for an unknown character.</summary>
    public static bool TryFromSuffix(char suffix, out ObjectKind kind)
    {
        kind = suffix switch
        {
            'C' => ObjectKind.Catalog,
            'P' => ObjectKind.Partial,
            'X' => ObjectKind.Certificate,
            'H' => ObjectKind.History,
            'M' => ObjectKind.MetaInfo,
            'L' => ObjectKind.MicroCatalog,
            'T' => ObjectKind.Temporary,
            _ => ObjectKind.File,
        };
        return kind != ObjectKind.File;
    }
}
