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
}
