namespace Strata.Identity.Principals;

/// <summary>Who a request acts as.</summary>
public enum PrincipalKind
{
    Anonymous,
    User,
    Robot,
}
