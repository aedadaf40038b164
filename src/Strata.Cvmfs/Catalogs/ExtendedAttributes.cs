using System.Text;

namespace Strata.Cvmfs.Catalogs;

/// <summary>
/// The extended attributes of a catalog entry, serialized into the <c>xattr</c> BLOB as cvmfs's
/// <c>XattrList::Serialize</c> does: u8 version (1), u8 count, then per attribute u8 key length,
/// u8 value length, key bytes, value bytes. Keys and values are therefore at most 255 bytes, and
/// an entry has at most 255 attributes.
/// </summary>
public sealed class ExtendedAttributes
{
    /// <summary>The only serialization version cvmfs defines.</summary>
    public const byte Version = 1;

    private readonly List<KeyValuePair<string, byte[]>> _attributes;

    private ExtendedAttributes(List<KeyValuePair<string, byte[]>> attributes) => _attributes = attributes;

    /// <summary>The attributes in stored order.</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>> Attributes => _attributes;

    /// <summary>Number of attributes.</summary>
    public int Count => _attributes.Count;

    /// <summary>Builds a list, sorted by the UTF-8 bytes of the names (the order cvmfs stores).</summary>
    public static ExtendedAttributes Create(IEnumerable<KeyValuePair<string, byte[]>> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var list = attributes.ToList();
        list.Sort((a, b) => Encoding.UTF8.GetBytes(a.Key).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b.Key)));
        if (list.Count > byte.MaxValue)
        {
            throw new CvmfsFormatException($"At most {byte.MaxValue} extended attributes fit an entry, not {list.Count}.");
        }

        for (var i = 0; i < list.Count; i++)
        {
            var keyLength = Encoding.UTF8.GetByteCount(list[i].Key);
            if (keyLength is 0 or > byte.MaxValue || list[i].Value.Length > byte.MaxValue)
            {
                throw new CvmfsFormatException($"Extended attribute '{list[i].Key}' has a name or value longer than {byte.MaxValue} bytes (or an empty name).");
            }

            if (i > 0 && list[i].Key == list[i - 1].Key)
            {
                throw new CvmfsFormatException($"Extended attribute '{list[i].Key}' appears twice.");
            }
        }

        return new ExtendedAttributes(list);
    }

    /// <summary>Parses an <c>xattr</c> BLOB.</summary>
    public static ExtendedAttributes Parse(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < 2 || blob[0] != Version)
        {
            throw new CvmfsFormatException("The xattr BLOB has no version-1 header.");
        }

        var count = blob[1];
        var list = new List<KeyValuePair<string, byte[]>>(count);
        var at = 2;
        for (var i = 0; i < count; i++)
        {
            if (at + 2 > blob.Length)
            {
                throw new CvmfsFormatException("The xattr BLOB is truncated.");
            }

            int keyLength = blob[at], valueLength = blob[at + 1];
            at += 2;
            if (keyLength == 0 || at + keyLength + valueLength > blob.Length)
            {
                throw new CvmfsFormatException("The xattr BLOB is truncated or has an empty name.");
            }

            var key = Encoding.UTF8.GetString(blob.Slice(at, keyLength));
            var value = blob.Slice(at + keyLength, valueLength).ToArray();
            list.Add(new(key, value));
            at += keyLength + valueLength;
        }

        if (at != blob.Length)
        {
            throw new CvmfsFormatException("The xattr BLOB has trailing bytes.");
        }

        return new ExtendedAttributes(list);
    }

    /// <summary>The value of <paramref name="name"/>, or null.</summary>
    public byte[]? Get(string name) => _attributes.FirstOrDefault(a => a.Key == name).Value;

    /// <summary>Serializes into the <c>xattr</c> BLOB layout.</summary>
    public byte[] ToBlob()
    {
        using var output = new MemoryStream();
        output.WriteByte(Version);
        output.WriteByte((byte)_attributes.Count);
        foreach (var (key, value) in _attributes)
        {
            var keyBytes = Encoding.UTF8.GetBytes(key);
            output.WriteByte((byte)keyBytes.Length);
            output.WriteByte((byte)value.Length);
            output.Write(keyBytes);
            output.Write(value);
        }

        return output.ToArray();
    }
}
