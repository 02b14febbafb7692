namespace Reservoir.Readouts;

/// <summary>Hyperparameters of the online normalised least-mean-squares readout <see cref="LmsReadout"/>.</summary>
/// <remarks>The record is only a bag of values; <see cref="LmsReadout"/> validates it when it is constructed.</remarks>
public sealed record LmsReadoutOptions
{
    /// <summary>Gets the normalised step size μ: each update removes the fraction μ of the current row's error.</summary>
    /// <value>
    /// In (0, 2), the stability range of normalised LMS; default <see cref="ReadoutDefaults.LearningRate"/> (1e-3).
    /// Dimensionless, because the step is divided by the squared norm of the features. Small values average out noise
    /// and learn slowly; 1 fits each row exactly.
    /// </value>
    public double LearningRate { get; init; } = ReadoutDefaults.LearningRate;

    /// <summary>Gets a value indicating whether an intercept is learned, as the weight of a constant feature 1 appended internally.</summary>
    /// <value>Default <see cref="ReadoutDefaults.FitIntercept"/> (<see langword="true"/>).</value>
    public bool FitIntercept { get; init; } = ReadoutDefaults.FitIntercept;
}
