using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Strata.Identity.Passwords;

namespace Strata.Identity.Tokens;

/// <summary>
/// Issues and verifies the registry's bearer tokens: JWTs signed with ES256 (ECDSA P-256, SHA-256),
/// header <c>{"alg":"ES256","typ":"JWT","kid":…}</c>, claims <c>iss sub aud exp nbf iat jti</c>,
/// the <c>access</c> array of the Docker token spec, plus <c>stm</c> (the subject's credential stamp)
/// and <c>use</c> (access or refresh).
/// </summary>
/// <remarks>
/// Verification accepts exactly one algorithm (ES256) and exactly this service's key id, so
/// <c>alg: none</c>, HMAC-with-the-public-key confusion and foreign keys are refused before any
/// claim is read. Issuer, audience, use, <c>nbf</c> and <c>exp</c> (with <see cref="TokenOptions.ClockSkew"/>)
/// are all checked; only then are the claims trusted.
/// </remarks>
public sealed class TokenService(TokenSigningKey key, TokenOptions options, TimeProvider time)
{
    /// <summary>Longest token accepted: far above any real one (a few hundred scopes), bounding the work a hostile header causes.</summary>
    public const int MaxTokenLength = 64 * 1024;

    private readonly string _encodedHeader = Base64Url.Encode(Encoding.UTF8.GetBytes($$"""{"alg":"ES256","typ":"JWT","kid":"{{key.KeyId}}"}"""));

    public TokenOptions Options => options;

    public IssuedToken Issue(string subject, string stamp, IReadOnlyList<ResourceScope> access, string use = TokenClaims.AccessUse)
    {
        var now = time.GetUtcNow();
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var expiresAt = issuedAt + (use == TokenClaims.RefreshUse ? options.RefreshLifetime : options.Lifetime);
        var payload = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(payload))
        {
            json.WriteStartObject();
            json.WriteString("iss", options.Issuer);
            json.WriteString("sub", subject);
            json.WriteString("aud", options.Service);
            json.WriteNumber("exp", expiresAt.ToUnixTimeSeconds());
            json.WriteNumber("nbf", issuedAt.ToUnixTimeSeconds());
            json.WriteNumber("iat", issuedAt.ToUnixTimeSeconds());
            json.WriteString("jti", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
            json.WriteString("stm", stamp);
            json.WriteString("use", use);
            json.WriteStartArray("access");
            foreach (var scope in access)
            {
                json.WriteStartObject();
                json.WriteString("type", scope.Type);
                json.WriteString("name", scope.Name);
                json.WriteStartArray("actions");
                foreach (var action in scope.Actions)
                {
                    json.WriteStringValue(action);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        var signingInput = _encodedHeader + "." + Base64Url.Encode(payload.WrittenSpan);
        var signature = key.Key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new IssuedToken(signingInput + "." + Base64Url.Encode(signature), issuedAt, expiresAt);
    }

    public TokenVerification Verify(string? token, string expectedUse = TokenClaims.AccessUse)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return TokenVerification.Fail("malformed token");
        }

        var firstDot = token.IndexOf('.');
        var lastDot = token.LastIndexOf('.');
        if (firstDot <= 0 || lastDot == firstDot || token.IndexOf('.', firstDot + 1) != lastDot)
        {
            return TokenVerification.Fail("malformed token");
        }

        if (!Base64Url.TryDecode(token[..firstDot], out var headerBytes)
            || !Base64Url.TryDecode(token[(firstDot + 1)..lastDot], out var payloadBytes)
            || !Base64Url.TryDecode(token[(lastDot + 1)..], out var signature))
        {
            return TokenVerification.Fail("malformed token");
        }

        if (!HeaderIsOurs(headerBytes, out var headerProblem))
        {
            return TokenVerification.Fail(headerProblem);
        }

        if (signature.Length != 64
            || !key.Key.VerifyData(Encoding.ASCII.GetBytes(token[..lastDot]), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            return TokenVerification.Fail("invalid token signature");
        }

        return ReadClaims(payloadBytes, expectedUse);
    }

    private bool HeaderIsOurs(byte[] header, out string problem)
    {
        problem = "";
        try
        {
            using var json = JsonDocument.Parse(header);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != "ES256")
            {
                problem = "token algorithm must be ES256";
                return false;
            }

            if (!root.TryGetProperty("kid", out var kid) || kid.ValueKind != JsonValueKind.String || kid.GetString() != key.KeyId)
            {
                problem = "token signed by an unknown key";
                return false;
            }

            return true;
        }
        catch (JsonException)
        {
            problem = "malformed token header";
            return false;
        }
    }

    private TokenVerification ReadClaims(byte[] payload, string expectedUse)
    {
        try
        {
            using var json = JsonDocument.Parse(payload);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return TokenVerification.Fail("malformed token claims");
            }

            if (String(root, "iss") != options.Issuer)
            {
                return TokenVerification.Fail("token issued by someone else");
            }

            if (!AudienceMatches(root))
            {
                return TokenVerification.Fail("token is for another service");
            }

            if ((String(root, "use") ?? TokenClaims.AccessUse) != expectedUse)
            {
                return TokenVerification.Fail($"not an {expectedUse} token");
            }

            if (Seconds(root, "exp") is not { } exp || Seconds(root, "nbf") is not { } nbf || Seconds(root, "iat") is not { } iat)
            {
                return TokenVerification.Fail("token without exp, nbf or iat");
            }

            var now = time.GetUtcNow();
            if (now - options.ClockSkew >= exp)
            {
                return TokenVerification.Fail("token expired");
            }

            if (now + options.ClockSkew < nbf)
            {
                return TokenVerification.Fail("token not valid yet");
            }

            var access = new List<ResourceScope>();
            if (root.TryGetProperty("access", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    if (String(item, "type") is not { } type || String(item, "name") is not { } name
                        || !item.TryGetProperty("actions", out var actions) || actions.ValueKind != JsonValueKind.Array)
                    {
                        return TokenVerification.Fail("malformed access claim");
                    }

                    access.Add(new ResourceScope(type, name, actions.EnumerateArray()
                        .Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!).ToArray()));
                }
            }

            return new TokenVerification(
                new TokenClaims(String(root, "sub") ?? "", String(root, "stm") ?? "", options.Service, access, iat, nbf, exp,
                    expectedUse, String(root, "jti") ?? ""),
                null);
        }
        catch (JsonException)
        {
            return TokenVerification.Fail("malformed token claims");
        }
    }

    private bool AudienceMatches(JsonElement root)
    {
        if (!root.TryGetProperty("aud", out var aud))
        {
            return false;
        }

        return aud.ValueKind switch
        {
            JsonValueKind.String => aud.GetString() == options.Service,
            JsonValueKind.Array => aud.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == options.Service),
            _ => false,
        };
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? Seconds(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            && seconds is >= 0 and < 253_402_300_800
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
