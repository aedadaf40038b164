using System.Text;

namespace Strata.Publish.Layers;

/// <summary>Normalization of paths inside a layer (see <see cref="LayerTarReader"/> for the rules).</summary>
public static class LayerPath
{
    /// <summary>Returns the normalized relative path ("" for the layer root) or fails the layer.</summary>
    public static string Normalize(string raw, int maxBytes)
    {
        if (raw.Contains('\0'))
        {
            throw new LayerFormatException("a path in the layer contains a NUL byte");
        }

        if (Encoding.UTF8.GetByteCount(raw) > maxBytes)
        {
            throw new LayerFormatException($"a path in the layer is longer than {maxBytes} bytes");
        }

        var parts = new List<string>();
        foreach (var part in raw.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                throw new LayerFormatException($"path traversal in layer entry '{raw}'");
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }
}
