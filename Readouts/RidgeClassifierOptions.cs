namespace Reservoir.Readouts;

/// <summary>Hyperparameters of the one-vs-all ridge classifier <see cref="RidgeClassifier"/>.</summary>
/// <remarks>The record is only a bag of values; <see cref="RidgeClassifier"/> validates it when it is constructed.</remarks>
public sealed record RidgeClassifierOptions
{
    /// <summary>Gets the ridge penalty λ of the regression onto one-hot class indicators.</summary>
    /// <value>Finite and ≥ 0; default <see cref="ReadoutDefaults.L2Regularization"/> (1e-6), on the scale of the Gram matrix summed over rows.</value>
    public double L2Regularization { get; init; } = ReadoutDefaults.L2Regularization;

    /// <summary>Gets a value indicating whether an unregularised intercept per class score is fitted.</summary>
    /// <value>Default <see cref="ReadoutDefaults.FitIntercept"/> (<see langword="true"/>).</value>
    public bool FitIntercept { get; init; } = ReadoutDefaults.FitIntercept;
}
