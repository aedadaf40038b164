namespace Strata.Publish.Tests.Verification;

/// <summary>The independent verifier found a problem in a repository.</summary>
internal sealed class RepositoryVerificationException(string message) : Exception(message);
