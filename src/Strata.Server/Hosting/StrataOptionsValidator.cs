using System.Net;
using Microsoft.Extensions.Options;

namespace Strata.Server.Hosting;

/// <summary>Checks the top-level settings at start and reports every problem at once.</summary>
internal sealed class StrataOptionsValidator : IValidateOptions<StrataOptions>
{
    public ValidateOptionsResult Validate(string? name, StrataOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Data))
        {
            problems.Add("Data: a data directory is required (--data DIR or STRATA__Data)");
        }

        if (!ListenAddress.TryParse(options.Listen, out _))
        {
            problems.Add($"Listen: '{options.Listen}' is not HOST:PORT (e.g. 127.0.0.1:5000, [::1]:5000, 0.0.0.0:5000)");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
