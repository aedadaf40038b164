namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>A running Strata, however it was started.</summary>
public interface IRegistryEndpoint
{
    /// <summary><c>http://127.0.0.1:PORT/</c></summary>
    Uri BaseAddress { get; }

    /// <summary><c>127.0.0.1:PORT</c>, the registry part of an image reference.</summary>
    string Host => $"{BaseAddress.Host}:{BaseAddress.Port}";

    /// <summary>A <c>docker://</c> reference for skopeo, e.g. <c>Docker("a/b:1")</c>.</summary>
    string Docker(string nameAndReference) => $"docker://{Host}/{nameAndReference}";
}
