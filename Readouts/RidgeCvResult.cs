namespace Reservoir.Readouts;

/// <summary>The outcome of <see cref="RidgeCv.Fit"/>: the chosen ridge penalty, the validation curve and the final readout.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class RidgeCvResult
{
    /// <summary>Initializes a new instance from values already computed and owned by the caller.</summary>
    /// <param name="bestL2Regularization">The λ with the lowest validation error.</param>
    /// <param name="method">The scoring method.</param>
    /// <param name="curve">The scored grid, ascending in λ; not copied.</param>
    /// <param name="solution">The readout fitted on all rows with <paramref name="bestL2Regularization"/>.</param>
    internal RidgeCvResult(double bestL2Regularization, RidgeCvMethod method, RidgeCvPoint[] curve, RidgeSolution solution)
    {
        BestL2Regularization = bestL2Regularization;
        Method = method;
        Curve = Array.AsReadOnly(curve);
        Solution = solution;
    }

    /// <summary>Gets the ridge penalty λ with the lowest validation error (on a tie, the largest such λ).</summary>
    public double BestL2Regularization { get; }

    /// <summary>Gets the method that scored the grid.</summary>
    public RidgeCvMethod Method { get; }

    /// <summary>Gets the validation error of every candidate λ, in ascending order of λ.</summary>
    public IReadOnlyList<RidgeCvPoint> Curve { get; }

    /// <summary>Gets the ridge readout fitted on all folds merged with <see cref="BestL2Regularization"/>.</summary>
    public RidgeSolution Solution { get; }
}
