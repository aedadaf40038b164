using System.ComponentModel.DataAnnotations;

namespace Strata.Server.Publication;

/// <summary>Settings of CernVM-FS publication (configuration section <c>Publish</c>).</summary>
public sealed class PublicationOptions
{
    public const string Section = "Publish";

    /// <summary>Publish pushed images at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The repository's fully qualified name; clients mount <c>/cvmfs/&lt;fqrn&gt;</c>.</summary>
    [RegularExpression(@"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$", ErrorMessage = "Publish:Repository must look like a DNS name, e.g. unpacked.example.org")]
    public string Repository { get; set; } = "unpacked.strata.local";

    /// <summary>
    /// The registry host name in published paths (<c>&lt;host&gt;/&lt;repo&gt;:&lt;tag&gt;</c>), i.e. the name users
    /// pull from. Default: the address the server listens on.
    /// </summary>
    public string? RegistryHost { get; set; }

    /// <summary>Globs of what to publish (see <see cref="PublicationRules"/>). Empty (the default): everything.</summary>
    /// <remarks>Empty rather than <c>["**"]</c> by default: the configuration binder appends to a
    /// list's existing items, so a default entry would survive any configured rules.</remarks>
    public List<string> Rules { get; set; } = [];

    public IReadOnlyList<string> EffectiveRules => Rules.Count == 0 ? ["**"] : Rules;
}
