namespace Strata.Server.Hosting;

/// <summary>
/// The server cannot start because a backend refused or could not be reached (storage bucket,
/// metadata database, schema version). The message says what to fix and never holds a secret;
/// <c>strata serve</c> prints it without a stack trace.
/// </summary>
public sealed class StrataStartException(string message, Exception? innerException = null) : Exception(message, innerException);
