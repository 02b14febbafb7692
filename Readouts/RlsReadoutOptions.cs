namespace Reservoir.Readouts;

/// <summary>Hyperparameters of the online recursive-least-squares readout <see cref="RlsReadout"/>.</summary>
/// <remarks>The record is only a bag of values; <see cref="RlsReadout"/> validates it when it is constructed.</remarks>
public sealed record RlsReadoutOptions
{
    /// <summary>Gets the forgetting factor β that discounts the past: row i of n weighs β^(n−i) in the least-squares cost.</summary>
    /// <value>
    /// In (0, 1]; default <see cref="ReadoutDefaults.ForgettingFactor"/> (1, no forgetting). Values such as 0.99–0.999
    /// track slowly changing targets; the effective memory is about 1/(1 − β) rows.
    /// </value>
    public double ForgettingFactor { get; init; } = ReadoutDefaults.ForgettingFactor;

    /// <summary>Gets the scale s of the initial inverse-correlation matrix P₀ = s·I.</summary>
    /// <value>
    /// Finite and &gt; 0; default <see cref="ReadoutDefaults.InitialCovarianceScale"/> (1). With β = 1 the readout after
    /// n rows equals ridge regression with penalty λ = 1/s on those rows (FORCE learning's 1/α), so a large s means
    /// weak regularisation and fast initial learning.
    /// </value>
    public double InitialCovarianceScale { get; init; } = ReadoutDefaults.InitialCovarianceScale;

    /// <summary>Gets a value indicating whether an intercept is learned, as the weight of a constant feature 1 appended internally.</summary>
    /// <value>
    /// Default <see cref="ReadoutDefaults.FitIntercept"/> (<see langword="true"/>). Unlike <see cref="RidgeReadout"/>'s
    /// intercept, this one is regularised by P₀ like every other weight.
    /// </value>
    public bool FitIntercept { get; init; } = ReadoutDefaults.FitIntercept;
}
