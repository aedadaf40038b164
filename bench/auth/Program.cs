using System.Diagnostics;
using System.Globalization;
using Strata.Identity.Passwords;
using Strata.Identity.Tokens;

// The per-operation cost of what access control adds to a request, on one thread:
// issuing and verifying a registry token (ES256), checking a robot secret (SHA-256) and a
// password (PBKDF2-SHA256, 600,000 iterations). Prints "metric<TAB>value<TAB>unit" lines.
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 3.0;
using var key = TokenSigningKey.Create();
var tokens = new TokenService(key, new TokenOptions("strata-token-service", "strata", TimeSpan.FromMinutes(5), TimeSpan.FromDays(1), TimeSpan.FromSeconds(60)), TimeProvider.System);
ResourceScope[] access = [new("repository", "bench/app", ["pull", "push"])];
var token = tokens.Issue("robot$bench+puller", "0123456789abcdef", access).Token;

Report("token_issue", Measure(() => tokens.Issue("robot$bench+puller", "0123456789abcdef", access)));
Report("token_verify", Measure(() =>
{
    if (!tokens.Verify(token).Succeeded)
    {
        throw new InvalidOperationException("verification failed");
    }
}));
var secret = Secrets.NewSecret();
var secretHash = Secrets.Hash(secret);
Report("robot_secret_verify", Measure(() => Secrets.Verify(secret, secretHash)));
var hash = new PasswordHasher().Hash("Bench-Passw0rd");
Report("password_verify_pbkdf2_600k", Measure(() => PasswordHasher.Verify("Bench-Passw0rd", hash), minimum: 5));
Console.WriteLine($"token_bytes\t{token.Length}\tbytes");

(double MicrosecondsPerOp, long Operations) Measure(Action action, int minimum = 1000)
{
    for (var i = 0; i < Math.Min(minimum, 100); i++)
    {
        action();
    }

    var watch = Stopwatch.StartNew();
    long count = 0;
    while (count < minimum || watch.Elapsed.TotalSeconds < seconds)
    {
        action();
        count++;
    }

    return (watch.Elapsed.TotalMicroseconds / count, count);
}

static void Report(string name, (double MicrosecondsPerOp, long Operations) result) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}\t{result.MicrosecondsPerOp:F1}\tus/op\t({result.Operations} ops)"));
