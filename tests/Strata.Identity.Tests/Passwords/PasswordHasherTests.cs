using Strata.Identity.Passwords;

namespace Strata.Identity.Tests.Passwords;

public sealed class PasswordHasherTests
{
    private readonly PasswordHasher _hasher = new(1_000);

    [Fact]
    public void Hash_verifies_the_password_and_nothing_else()
    {
        var hash = _hasher.Hash("Correct-Horse1");
        Assert.True(PasswordHasher.Verify("Correct-Horse1", hash));
        Assert.False(PasswordHasher.Verify("correct-horse1", hash));
        Assert.False(PasswordHasher.Verify("", hash));
    }

    [Fact]
    public void Hash_records_scheme_and_iterations_and_is_salted()
    {
        var first = _hasher.Hash("Correct-Horse1");
        Assert.StartsWith("pbkdf2-sha256$1000$", first);
        Assert.NotEqual(first, _hasher.Hash("Correct-Horse1"));
        Assert.DoesNotContain("Correct-Horse1", first);
    }

    [Fact]
    public void Default_cost_is_600000_iterations() => Assert.Equal(600_000, new PasswordHasher().Iterations);

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("pbkdf2-sha256$1000$!!$!!")]
    [InlineData("pbkdf2-sha256$10$c2FsdA==$aGFzaA==")]
    [InlineData("md5$1000$c2FsdA==$aGFzaA==")]
    public void Malformed_stored_hashes_never_verify(string stored) => Assert.False(PasswordHasher.Verify("x", stored));

    [Theory]
    [InlineData("short1A", false)]
    [InlineData("alllowercase1", false)]
    [InlineData("ALLUPPERCASE1", false)]
    [InlineData("NoDigitsHere", false)]
    [InlineData("Good-Passw0rd", true)]
    public void Policy_is_Harbors(string password, bool accepted) => Assert.Equal(accepted, PasswordPolicy.Check(password) is null);

    [Fact]
    public void Robot_secrets_are_long_random_and_verify_against_their_hash()
    {
        var secret = Secrets.NewSecret();
        Assert.Equal(43, secret.Length);
        Assert.NotEqual(secret, Secrets.NewSecret());
        var hash = Secrets.Hash(secret);
        Assert.True(Secrets.Verify(secret, hash));
        Assert.False(Secrets.Verify(secret + "x", hash));
        Assert.DoesNotContain(secret, hash);
    }
}
