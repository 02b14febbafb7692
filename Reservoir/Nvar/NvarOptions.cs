namespace Reservoir.Nvar;

/// <summary>The hyperparameters of <see cref="NvarFeatures"/>: input width, delays, stride, polynomial order and constant.</summary>
/// <remarks>
/// The options are checked when <see cref="NvarFeatures"/> is built from them, not when they are set. See
/// <see cref="NvarFeatures"/> for the features they define and their count.
/// </remarks>
public sealed record NvarOptions
{
    /// <summary>The smallest polynomial order accepted: 2.</summary>
    public const int MinPolynomialOrder = 2;

    /// <summary>The largest polynomial order accepted: 3.</summary>
    public const int MaxPolynomialOrder = 3;

    /// <summary>The number D of inputs per step; ≥ 1.</summary>
    public required int InputDimension { get; init; }

    /// <summary>The number k of delayed copies of the input in the linear part (the current input counts as one); ≥ 1, default 2.</summary>
    public int DelayCount { get; init; } = NvarDefaults.DelayCount;

    /// <summary>The stride s between delayed copies, in steps: the linear part holds u(t), u(t − s), …, u(t − (k − 1)·s); ≥ 1, default 1.</summary>
    public int DelayStride { get; init; } = NvarDefaults.DelayStride;

    /// <summary>The order p of the monomials of the nonlinear part: all unique products of p linear features; 2 or 3, default 2.</summary>
    public int PolynomialOrder { get; init; } = NvarDefaults.PolynomialOrder;

    /// <summary>Whether the features start with a constant 1; default false (the ridge readouts fit their own intercept).</summary>
    public bool IncludeConstant { get; init; } = NvarDefaults.IncludeConstant;
}
