using System.Globalization;
using System.Text;

namespace Strata.Cvmfs.Tests.Support;

/// <summary>
/// Writes JSON the way Python's <c>json.dumps(ensure_ascii=False, separators=(',', ':'))</c> does,
/// which is how expected/tree-*.jsonl were written, so lines can be compared byte for byte.
/// </summary>
internal static class PythonJson
{
    public static string String(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case < ' ': text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: text.Append(c); break;
            }
        }

        return text.Append('"').ToString();
    }

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
