using System.Security.Cryptography;
using System.Text;
using Strata.Identity.Passwords;
using Strata.Identity.Tests.Support;
using Strata.Identity.Tokens;

namespace Strata.Identity.Tests.Tokens;

public sealed class TokenServiceTests : IDisposable
{
    private static readonly TokenOptions Options = new("issuer", "strata", TimeSpan.FromMinutes(5), TimeSpan.FromDays(1), TimeSpan.FromSeconds(60));
    private static readonly ResourceScope[] PullAB = [new("repository", "a/b", ["pull"])];

    private readonly ManualClock _clock = new();
    private readonly TokenSigningKey _key = TokenSigningKey.Create();
    private readonly TokenService _tokens;

    public TokenServiceTests() => _tokens = new TokenService(_key, Options, _clock);

    public void Dispose() => _key.Dispose();

    [Fact]
    public void Issued_token_verifies_with_its_claims()
    {
        var issued = _tokens.Issue("alice", "stamp1", PullAB);

        var result = _tokens.Verify(issued.Token);

        Assert.True(result.Succeeded, result.Failure);
        Assert.Equal("alice", result.Claims!.Subject);
        Assert.Equal("stamp1", result.Claims.Stamp);
        Assert.True(result.Claims.Allows("repository", "a/b", "pull"));
        Assert.False(result.Claims.Allows("repository", "a/b", "push"));
        Assert.Equal(300, issued.ExpiresInSeconds);
    }

    [Fact]
    public void Header_is_ES256_JWT_with_a_key_id()
    {
        var header = Encoding.UTF8.GetString(Decode(_tokens.Issue("alice", "s", PullAB).Token.Split('.')[0]));
        Assert.Contains("\"alg\":\"ES256\"", header);
        Assert.Contains("\"typ\":\"JWT\"", header);
        Assert.Contains($"\"kid\":\"{_key.KeyId}\"", header);
    }

    [Fact]
    public void Token_for_another_repository_does_not_allow_this_one()
    {
        var claims = _tokens.Verify(_tokens.Issue("alice", "s", PullAB).Token).Claims!;
        Assert.False(claims.Allows("repository", "a/c", "pull"));
        Assert.False(claims.Allows("repository", "a/b/c", "pull"));
        Assert.False(claims.Allows("repository", "a", "pull"));
    }

    [Fact]
    public void Token_signed_by_another_key_with_the_same_kid_is_refused()
    {
        using var otherKey = TokenSigningKey.Create();
        var forged = Forge(Header(_key.KeyId), Payload("alice", "strata", 0, 300), otherKey.Key);

        var result = _tokens.Verify(forged);

        Assert.False(result.Succeeded);
        Assert.Equal("invalid token signature", result.Failure);
    }

    [Fact]
    public void Token_with_a_tampered_payload_is_refused()
    {
        var parts = _tokens.Issue("alice", "s", PullAB).Token.Split('.');
        var payload = Encoding.UTF8.GetString(Decode(parts[1])).Replace("\"pull\"", "\"push\"");
        var tampered = $"{parts[0]}.{Base64Url.Encode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";

        Assert.Equal("invalid token signature", _tokens.Verify(tampered).Failure);
    }

    [Fact]
    public void Token_from_another_service_key_id_is_refused()
    {
        using var otherKey = TokenSigningKey.Create();
        var other = new TokenService(otherKey, Options, _clock).Issue("alice", "s", PullAB).Token;

        Assert.Equal("token signed by an unknown key", _tokens.Verify(other).Failure);
    }

    [Fact]
    public void Token_for_another_audience_is_refused()
    {
        var token = Forge(Header(_key.KeyId), Payload("alice", "other-registry", 0, 300), _key.Key);
        Assert.Equal("token is for another service", _tokens.Verify(token).Failure);
    }

    [Fact]
    public void Token_with_an_audience_list_containing_this_service_is_accepted()
    {
        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        var payload = $$"""{"iss":"issuer","sub":"alice","aud":["x","strata"],"exp":{{now + 300}},"nbf":{{now}},"iat":{{now}},"stm":"s","access":[]}""";
        Assert.True(_tokens.Verify(Forge(Header(_key.KeyId), payload, _key.Key)).Succeeded);
    }

    [Fact]
    public void Token_from_another_issuer_is_refused()
    {
        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        var payload = $$"""{"iss":"evil","sub":"alice","aud":"strata","exp":{{now + 300}},"nbf":{{now}},"iat":{{now}},"access":[]}""";
        Assert.Equal("token issued by someone else", _tokens.Verify(Forge(Header(_key.KeyId), payload, _key.Key)).Failure);
    }

    [Fact]
    public void Expired_token_is_refused_after_the_leeway()
    {
        var token = _tokens.Issue("alice", "s", PullAB).Token;
        _clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(59));
        Assert.True(_tokens.Verify(token).Succeeded, "within the 60 s leeway");
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("token expired", _tokens.Verify(token).Failure);
    }

    [Fact]
    public void Token_not_valid_yet_is_refused()
    {
        var token = Forge(Header(_key.KeyId), Payload("alice", "strata", 120, 600), _key.Key);
        Assert.Equal("token not valid yet", _tokens.Verify(token).Failure);
    }

    [Fact]
    public void Alg_none_is_refused()
    {
        var header = Base64Url.Encode(Encoding.UTF8.GetBytes($$"""{"alg":"none","typ":"JWT","kid":"{{_key.KeyId}}"}"""));
        var payload = Base64Url.Encode(Encoding.UTF8.GetBytes(Payload("alice", "strata", 0, 300)));

        Assert.Equal("token algorithm must be ES256", _tokens.Verify($"{header}.{payload}.").Failure);
        Assert.Equal("token algorithm must be ES256", _tokens.Verify($"{header}.{payload}.{Base64Url.Encode(new byte[64])}").Failure);
    }

    [Fact]
    public void HS256_signed_with_the_public_key_is_refused()
    {
        var header = Base64Url.Encode(Encoding.UTF8.GetBytes($$"""{"alg":"HS256","typ":"JWT","kid":"{{_key.KeyId}}"}"""));
        var payload = Base64Url.Encode(Encoding.UTF8.GetBytes(Payload("alice", "strata", 0, 300)));
        var mac = HMACSHA256.HashData(_key.Key.ExportSubjectPublicKeyInfo(), Encoding.ASCII.GetBytes($"{header}.{payload}"));

        Assert.Equal("token algorithm must be ES256", _tokens.Verify($"{header}.{payload}.{Base64Url.Encode(mac)}").Failure);
    }

    [Fact]
    public void Refresh_token_is_not_an_access_token_and_vice_versa()
    {
        var refresh = _tokens.Issue("alice", "s", [], TokenClaims.RefreshUse).Token;
        var access = _tokens.Issue("alice", "s", PullAB).Token;

        Assert.False(_tokens.Verify(refresh).Succeeded);
        Assert.False(_tokens.Verify(access, TokenClaims.RefreshUse).Succeeded);
        Assert.True(_tokens.Verify(refresh, TokenClaims.RefreshUse).Succeeded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("!!!.???.***")]
    [InlineData("e30.e30.")]
    public void Malformed_tokens_are_refused_without_throwing(string token) =>
        Assert.False(_tokens.Verify(token).Succeeded);

    [Fact]
    public void Oversized_token_is_refused() =>
        Assert.Equal("malformed token", _tokens.Verify(new string('a', TokenService.MaxTokenLength + 1)).Failure);

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Signing_key_is_created_once_with_owner_only_permissions_and_reloaded()
    {
        var folder = Path.Combine(Path.GetTempPath(), "strata-key-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(folder, "auth", "key.pem");
            string kid;
            using (var created = TokenSigningKey.LoadOrCreate(path))
            {
                kid = created.KeyId;
            }

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            using var loaded = TokenSigningKey.LoadOrCreate(path);
            Assert.Equal(kid, loaded.KeyId);
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private string Payload(string subject, string audience, long notBeforeOffset, long expiresOffset)
    {
        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        return $$"""{"iss":"issuer","sub":"{{subject}}","aud":"{{audience}}","exp":{{now + expiresOffset}},"nbf":{{now + notBeforeOffset}},"iat":{{now}},"stm":"s","access":[{"type":"repository","name":"a/b","actions":["pull","push"]}]}""";
    }

    private static string Header(string kid) => $$"""{"alg":"ES256","typ":"JWT","kid":"{{kid}}"}""";

    private static string Forge(string header, string payload, ECDsa key)
    {
        var input = Base64Url.Encode(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.Encode(Encoding.UTF8.GetBytes(payload));
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return input + "." + Base64Url.Encode(signature);
    }

    private static byte[] Decode(string text) => Base64Url.TryDecode(text, out var data) ? data : throw new FormatException(text);
}
