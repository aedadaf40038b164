using System.Runtime.Versioning;

// skopeo, umoci, kill -9 and the service scripts exist only on Linux.
[assembly: SupportedOSPlatform("linux")]
