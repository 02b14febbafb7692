namespace Reservoir.Readouts;

/// <summary>Hyperparameters of a ridge (Tikhonov-regularised least-squares) readout.</summary>
/// <remarks>
/// The record is only a bag of values; <see cref="RidgeReadout"/> validates it when it is constructed.
/// </remarks>
public sealed record RidgeReadoutOptions
{
    /// <summary>Gets the ridge penalty λ added to the diagonal of the normal equations.</summary>
    /// <value>
    /// Finite and ≥ 0; default <see cref="ReadoutDefaults.L2Regularization"/> (1e-6). λ is added to the Gram matrix
    /// summed over rows (not averaged, as in reservoirpy), so its relative effect shrinks as more rows are accumulated.
    /// Zero gives ordinary least squares, which fails when features are collinear or constant.
    /// </value>
    public double L2Regularization { get; init; } = ReadoutDefaults.L2Regularization;

    /// <summary>Gets a value indicating whether an intercept (bias) per output is fitted; the intercept is not regularised.</summary>
    /// <value>Default <see cref="ReadoutDefaults.FitIntercept"/> (<see langword="true"/>).</value>
    public bool FitIntercept { get; init; } = ReadoutDefaults.FitIntercept;

    /// <summary>Gets a value indicating whether λ also penalises the intercept, as reservoirpy 0.3's <c>Ridge</c> does.</summary>
    /// <value>
    /// Default <see cref="ReadoutDefaults.RegularizeIntercept"/> (<see langword="false"/>: the intercept is fitted on centred
    /// data and not penalised). When <see langword="true"/>, a constant 1 is put in front of each feature row,
    /// x' = [1, x], and [b, W] solves (X'ᵀX' + λI) [b, W]ᵀ = X'ᵀY with λ on every diagonal entry, the intercept's
    /// included, so that weights fitted by reservoirpy 0.3 are reproduced. The result then depends on a shift of the
    /// features or targets, and b shrinks toward 0 as λ grows. Requires <see cref="FitIntercept"/>.
    /// </value>
    public bool RegularizeIntercept { get; init; } = ReadoutDefaults.RegularizeIntercept;
}
