namespace Reservoir.Nvar;

/// <summary>Default values of <see cref="NvarOptions"/>, shared by every entry point that builds NVAR features.</summary>
public static class NvarDefaults
{
    /// <summary>Default number k of delayed inputs in the linear part: 2, as in Gauthier et al. (2021) for Lorenz-63.</summary>
    public const int DelayCount = 2;

    /// <summary>Default stride s between the delays, in steps: 1 (consecutive inputs).</summary>
    public const int DelayStride = 1;

    /// <summary>Default order of the monomials of the nonlinear part: 2 (all unique quadratic products).</summary>
    public const int PolynomialOrder = 2;

    /// <summary>Default for the constant feature: off, since the ridge readouts fit their own intercept.</summary>
    public const bool IncludeConstant = false;
}
