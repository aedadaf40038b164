namespace Strata.Client.Network;

/// <summary>
/// An HTTP proxy list in CernVM-FS syntax (<c>CVMFS_HTTP_PROXY</c>): groups separated by <c>;</c> are
/// tried in order (fail-over); proxies inside a group, separated by <c>|</c>, share the load (one is
/// picked at random, the others are the fall-back within the group). <c>DIRECT</c> means no proxy.
/// </summary>
public sealed class ProxyChain
{
    private ProxyChain(IReadOnlyList<IReadOnlyList<Uri?>> groups) => Groups = groups;

    /// <summary>The groups in fail-over order; a null member is <c>DIRECT</c>.</summary>
    public IReadOnlyList<IReadOnlyList<Uri?>> Groups { get; }

    /// <summary>No proxy at all.</summary>
    public static ProxyChain Direct { get; } = new([[null]]);

    /// <summary>Parses <c>http://p1:3128|http://p2:3128;DIRECT</c>. Empty or null means DIRECT.</summary>
    public static ProxyChain Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Direct;
        }

        var groups = new List<IReadOnlyList<Uri?>>();
        foreach (var groupText in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var group = new List<Uri?>();
            foreach (var proxy in groupText.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (proxy.Equals("DIRECT", StringComparison.OrdinalIgnoreCase))
                {
                    group.Add(null);
                    continue;
                }

                // cvmfs accepts host:port without a scheme.
                var withScheme = proxy.Contains("://", StringComparison.Ordinal) ? proxy : "http://" + proxy;
                if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
                {
                    throw new FormatException($"Not an HTTP proxy: '{proxy}'.");
                }

                group.Add(uri);
            }

            if (group.Count > 0)
            {
                groups.Add(group);
            }
        }

        return groups.Count == 0 ? Direct : new ProxyChain(groups);
    }

    /// <summary>
    /// Every proxy once, in the order to try them: groups in order, each group's members shuffled so
    /// that clients spread over a load-balanced group.
    /// </summary>
    public IReadOnlyList<Uri?> Order(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var order = new List<Uri?>();
        foreach (var group in Groups)
        {
            var members = group.ToArray();
            random.Shuffle(members);
            order.AddRange(members);
        }

        return order;
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Join(';', Groups.Select(g => string.Join('|', g.Select(p => p?.ToString().TrimEnd('/') ?? "DIRECT"))));
}
