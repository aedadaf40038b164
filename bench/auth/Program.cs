using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Strata.Identity.Access;
using Strata.Identity.Accounts;
using Strata.Identity.Login;
using Strata.Identity.Passwords;
using Strata.Identity.Principals;
using Strata.Identity.Tokens;
using Strata.Metadata.Contracts.Identity;
using Strata.Metadata.Sqlite;
using Strata.Server.Auth;
using Strata.Server.Oci;

// The per-operation cost of what access control adds to a request, on one thread:
// issuing and verifying a registry token (ES256), the verified-token cache a request actually
// goes through, checking a robot secret (SHA-256) and a password (PBKDF2-SHA256, 600,000
// iterations), and what one audit entry costs from record to stored (SQLite, batched writer).
// Prints "metric<TAB>µs/op<TAB>ops/s<TAB>CPU µs/op" lines. Wall time is per thread; CPU time is the
// whole process's (background threads included), which the machine's other load does not inflate.
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 3.0;
using var key = TokenSigningKey.Create();
var tokens = new TokenService(key, new TokenOptions("strata-token-service", "strata", TimeSpan.FromMinutes(5), TimeSpan.FromDays(1), TimeSpan.FromSeconds(60)), TimeProvider.System);
ResourceScope[] access = [new("repository", "bench/app", ["pull", "push"])];
var token = tokens.Issue("robot$bench+puller", "0123456789abcdef", access).Token;
var cache = new VerifiedTokenCache(tokens, TimeProvider.System);

Console.WriteLine("metric\tus_per_op\tops_per_s\tcpu_us_per_op\toperations");
Report("token_issue", Measure(() => tokens.Issue("robot$bench+puller", "0123456789abcdef", access)));
Report("token_verify", Measure(() =>
{
    if (!tokens.Verify(token).Succeeded)
    {
        throw new InvalidOperationException("verification failed");
    }
}));
Report("token_verify_cached", Measure(() =>
{
    if (!cache.Verify(token).Succeeded)
    {
        throw new InvalidOperationException("verification failed");
    }
}, minimum: 100_000));
var secret = Secrets.NewSecret();
var secretHash = Secrets.Hash(secret);
Report("robot_secret_verify", Measure(() => Secrets.Verify(secret, secretHash)));
var hash = new PasswordHasher().Hash("Bench-Passw0rd");
Report("password_verify_pbkdf2_600k", Measure(() => PasswordHasher.Verify("Bench-Passw0rd", hash), minimum: 5));
Console.WriteLine($"token_bytes\t{token.Length}\t\t\t");
await AuditAsync();
await AuthorizeAsync();

// The whole /v2/ authorization of a manifest GET (OciAuthorizer, real store, caches warm), as a
// request pays it, without the audit entry (measured above) — the part of a pull that access
// control adds besides the audit log.
async Task AuthorizeAsync()
{
    var folder = Directory.CreateTempSubdirectory("strata-auth-bench-");
    try
    {
        await using var store = new SqliteMetadataStore(Path.Combine(folder.FullName, "strata.db"), TimeProvider.System);
        await store.InitializeAsync(CancellationToken.None);
        var time = TimeProvider.System;
        var options = Options.Create(new AuthOptions());
        var generation = new IdentityGeneration();
        var sink = new BatchingAuditSink(store, NullLogger<BatchingAuditSink>.Instance, options);
        await sink.StartAsync(CancellationToken.None);
        var authenticator = new Authenticator(store, new PasswordHasher(), new LoginThrottle(5, TimeSpan.FromMinutes(5), time), time, generation,
            new StateCache<Principal>(generation, TimeSpan.FromSeconds(5), time));
        var evaluator = new AccessEvaluator(store, generation, new StateCache<ProjectAccess>(generation, TimeSpan.FromSeconds(5), time));
        var system = new Caller(new Principal(PrincipalKind.User, "system", 0, true, ""), null);
        var adminUser = await new UserAccounts(store, new PasswordHasher(1_000), sink, time, generation)
            .CreateAsync(system, "admin", "Bench-Admin-Passw0rd", null, null, true, CancellationToken.None);
        var admin = new Caller(Principal.ForUser(adminUser), null);
        var projects = new ProjectAccounts(store, evaluator, sink, time, generation);
        await projects.CreateAsync(admin, "bench", false, null, false, CancellationToken.None);
        var (robot, secret) = await new RobotAccounts(store, projects, sink, time, generation).CreateAsync(admin,
            new RobotRequest("puller", null, "bench", -1, [new RobotGrant("bench", ["repository:pull"])]), CancellationToken.None);
        var requests = new RequestAuthenticator(authenticator, new VerifiedTokenCache(tokens, time), new BasicCredentialCache(TimeSpan.FromMinutes(1), time));
        var authorizer = new OciAuthorizer(
            requests,
            evaluator, new AuthChallenge(options),
            new CatalogFilter(store, store, evaluator, Options.Create(new Strata.Registry.RegistryOptions())),
            sink, time, Options.Create(new AuthOptions { AuditPulls = false }));
        var route = OciRoute.TryParse("bench/app/manifests/1")!;
        var robotToken = tokens.Issue(robot.Name, robot.Stamp, [new ResourceScope("repository", "bench/app", ["pull"])]).Token;
        foreach (var (name, header) in new[]
        {
            ("authorize_manifest_get_bearer", "Bearer " + robotToken),
            ("authorize_manifest_get_basic_robot", "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{robot.Name}:{secret}"))),
        })
        {
            var context = new DefaultHttpContext();
            context.Request.Method = "GET";
            context.Request.Headers.Authorization = header;
            Report(name, Measure(() =>
            {
                if (!authorizer.AuthorizeAsync(context, route).GetAwaiter().GetResult())
                {
                    var why = requests.AuthenticateAsync(context).GetAwaiter().GetResult();
                    throw new InvalidOperationException($"{name} refused: {context.Response.StatusCode} {why.Failure}");
                }
            }, minimum: 100_000));
        }

        await sink.StopAsync(CancellationToken.None);
        sink.Dispose();
    }
    finally
    {
        folder.Delete(recursive: true);
    }
}

// Pulls recorded as fast as one thread can, then flushed: per entry, from Record to committed row.
async Task AuditAsync()
{
    var folder = Directory.CreateTempSubdirectory("strata-auth-bench-");
    try
    {
        await using var store = new SqliteMetadataStore(Path.Combine(folder.FullName, "strata.db"), TimeProvider.System);
        await store.InitializeAsync(CancellationToken.None);
        var sink = new BatchingAuditSink(store, NullLogger<BatchingAuditSink>.Instance, Options.Create(new AuthOptions()));
        await sink.StartAsync(CancellationToken.None);
        var entry = new AuditEntry(0, DateTimeOffset.UtcNow, "robot$bench+puller", "pull", "bench/app:1", "bench", true, "127.0.0.1", null);
        const int Entries = 200_000;
        for (var i = 0; i < 20_000; i++)
        {
            await sink.RecordAsync(entry, CancellationToken.None);
        }

        await sink.FlushAsync(CancellationToken.None);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Entries; i++)
        {
            await sink.RecordAsync(entry with { At = DateTimeOffset.UtcNow }, CancellationToken.None);
        }

        await sink.FlushAsync(CancellationToken.None);
        var wall = watch.Elapsed.TotalMicroseconds;
        var cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds;
        Report("audit_entry_recorded_and_stored_sqlite", (wall / Entries, cpuUs / Entries, Entries));
        await sink.StopAsync(CancellationToken.None);
        sink.Dispose();
    }
    finally
    {
        folder.Delete(recursive: true);
    }
}

(double MicrosecondsPerOp, double CpuMicrosecondsPerOp, long Operations) Measure(Action action, int minimum = 1000)
{
    for (var i = 0; i < Math.Min(minimum, 100); i++)
    {
        action();
    }

    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    long count = 0;
    while (count < minimum || watch.Elapsed.TotalSeconds < seconds)
    {
        action();
        count++;
    }

    var cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds;
    return (watch.Elapsed.TotalMicroseconds / count, cpuUs / count, count);
}

static void Report(string name, (double MicrosecondsPerOp, double CpuMicrosecondsPerOp, long Operations) result) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name}\t{result.MicrosecondsPerOp:F2}\t{1e6 / result.MicrosecondsPerOp:F0}\t{result.CpuMicrosecondsPerOp:F2}\t{result.Operations}"));
