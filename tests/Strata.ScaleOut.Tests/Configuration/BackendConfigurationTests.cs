using Microsoft.Extensions.Options;
using Strata.Server.Hosting;

namespace Strata.ScaleOut.Tests.Configuration;

/// <summary>Choosing the backends: every problem listed at once, before anything starts, and no secret in any message.</summary>
public sealed class BackendConfigurationTests
{
    private const string Secret = "s3-secret-never-shown";
    private const string Password = "pg-password-never-shown";

    [Fact]
    public void Unknown_driver_and_provider_are_both_reported()
    {
        var error = Assert.Throws<OptionsValidationException>(() => StrataServer.Build([], new Dictionary<string, string?>
        {
            ["Data"] = Path.GetTempPath(),
            ["Storage:Driver"] = "s4",
            ["Metadata:Provider"] = "mysql",
        }));

        Assert.Contains(error.Failures, f => f.StartsWith("Storage:Driver: 's4'", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Metadata:Provider: 'mysql'", StringComparison.Ordinal));
    }

    [Fact]
    public void S3_and_PostgreSQL_settings_are_checked_together_without_showing_secrets()
    {
        var error = Assert.Throws<OptionsValidationException>(() => StrataServer.Build([], new Dictionary<string, string?>
        {
            ["Data"] = Path.GetTempPath(),
            ["Storage:Driver"] = "S3",
            ["Storage:S3:ServiceUrl"] = "ftp://store",
            ["Storage:S3:SecretKey"] = Secret,
            ["Storage:S3:PartSize"] = "1024",
            ["Metadata:Provider"] = "postgres",
            ["Metadata:ConnectionString"] = $"Password={Password};Databse=x",
        }));

        var all = string.Join("\n", error.Failures);
        Assert.Contains("Storage:S3:Bucket is required", all, StringComparison.Ordinal);
        Assert.Contains("Storage:S3:ServiceUrl 'ftp://store'", all, StringComparison.Ordinal);
        Assert.Contains("Storage:S3:PartSize", all, StringComparison.Ordinal);
        Assert.Contains("set both AccessKey and SecretKey", all, StringComparison.Ordinal);
        Assert.Contains("Metadata:ConnectionString: not a valid Npgsql connection string", all, StringComparison.Ordinal);
        Assert.Contains("Publish:RegistryHost", all, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, all, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, all, StringComparison.Ordinal);
    }

    [Fact]
    public void PostgreSQL_without_a_connection_string_says_how_to_give_one()
    {
        var error = Assert.Throws<OptionsValidationException>(() => StrataServer.Build([], new Dictionary<string, string?>
        {
            ["Data"] = Path.GetTempPath(),
            ["Metadata:Provider"] = "postgres",
            ["Publish:Enabled"] = "false",
        }));

        var failure = Assert.Single(error.Failures);
        Assert.Contains("STRATA__Metadata__ConnectionString", failure, StringComparison.Ordinal);
    }
}
