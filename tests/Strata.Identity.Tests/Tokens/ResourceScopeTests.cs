using Strata.Identity.Tokens;

namespace Strata.Identity.Tests.Tokens;

public sealed class ResourceScopeTests
{
    [Theory]
    [InlineData("repository:team/app:pull", "repository", "team/app", "pull")]
    [InlineData("repository:team/app:pull,push", "repository", "team/app", "pull,push")]
    [InlineData("repository:localhost:5000/team/app:pull", "repository", "localhost:5000/team/app", "pull")]
    [InlineData("repository(plugin):team/app:pull", "repository", "team/app", "pull")]
    [InlineData("registry:catalog:*", "registry", "catalog", "*")]
    public void Parses_type_name_and_actions(string text, string type, string name, string actions)
    {
        Assert.True(ResourceScope.TryParse(text, out var scope));
        Assert.Equal(type, scope.Type);
        Assert.Equal(name, scope.Name);
        Assert.Equal(actions, string.Join(',', scope.Actions));
    }

    [Theory]
    [InlineData("")]
    [InlineData("repository")]
    [InlineData("repository:team/app")]
    [InlineData(":team/app:pull")]
    [InlineData("repository::pull")]
    [InlineData("repository:team/app:")]
    public void Refuses_malformed_scopes(string text) => Assert.False(ResourceScope.TryParse(text, out _));

    [Fact]
    public void Refuses_oversized_scopes() =>
        Assert.False(ResourceScope.TryParse("repository:" + new string('a', ResourceScope.MaxLength) + ":pull", out _));
}
