using System.Runtime.Versioning;

// The real clients (skopeo, umoci, podman) and the crash tests' kill -9 exist only on Linux.
[assembly: SupportedOSPlatform("linux")]
