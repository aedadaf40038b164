using Strata.Client.Network;

namespace Strata.Client.Tests.Network;

public sealed class ProxyChainTests
{
    [Fact]
    public void Groups_split_on_semicolon_and_members_on_bar()
    {
        var chain = ProxyChain.Parse("http://a:3128|http://b:3128;c:8080;DIRECT");

        Assert.Equal(3, chain.Groups.Count);
        Assert.Equal([new Uri("http://a:3128"), new Uri("http://b:3128")], chain.Groups[0]);
        Assert.Equal([new Uri("http://c:8080")], chain.Groups[1]);
        Assert.Equal([null], chain.Groups[2]);
    }

    [Fact]
    public void Order_keeps_groups_in_order_and_balances_inside_a_group()
    {
        var chain = ProxyChain.Parse("http://a:1|http://b:1;http://c:1");
        var firsts = new HashSet<Uri?>();
        for (var seed = 0; seed < 50; seed++)
        {
            var order = chain.Order(new Random(seed));
            Assert.Equal(new Uri("http://c:1"), order[2]);
            firsts.Add(order[0]);
        }

        Assert.Equal(2, firsts.Count);
    }

    [Fact]
    public void Empty_means_direct_and_garbage_is_refused()
    {
        Assert.Equal([null], ProxyChain.Parse("").Groups.Single());
        Assert.Throws<FormatException>(() => ProxyChain.Parse("ftp://x:1"));
    }
}
