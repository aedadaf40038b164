namespace Strata.Metadata.Contracts.Identity;

/// <summary>
/// One audit log line: who (<see cref="Actor"/>: a username, <c>robot$…</c>, or <c>anonymous</c>)
/// did what (<see cref="Action"/>: pull, push, delete, login, login_failed, user.create, …) to which
/// <see cref="Resource"/>, when, from where (<see cref="Client"/>: the remote address), and whether
/// it succeeded. <see cref="Id"/> is 0 until stored.
/// </summary>
public sealed record AuditEntry(
    long Id,
    DateTimeOffset At,
    string Actor,
    string Action,
    string Resource,
    string? Project,
    bool Success,
    string? Client,
    string? Detail);
