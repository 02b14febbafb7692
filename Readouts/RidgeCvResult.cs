namespace Reservoir.Readouts;

/// <summary>The outcome of <see cref="RidgeCv.Fit"/>: the chosen ridge penalty, the validation curve and the final readout.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class RidgeCvResult
{
    /// <summary>Restores a result from its parts, for example when a model is loaded; the curve is copied.</summary>
    /// <param name="bestL2Regularization">The chosen λ, finite and ≥ 0.</param>
    /// <param name="method">The scoring method.</param>
    /// <param name="curve">The scored grid, at least one point, strictly ascending in λ.</param>
    /// <param name="solution">The readout fitted with the chosen λ.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="curve"/> or <paramref name="solution"/> is null.</exception>
    /// <exception cref="ArgumentException">The curve is empty or not ascending, a λ is negative or not finite, or <paramref name="method"/> is undefined.</exception>
    public static RidgeCvResult Restore(double bestL2Regularization, RidgeCvMethod method, IReadOnlyList<RidgeCvPoint> curve,
        RidgeSolution solution)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(solution);
        Guard.NonNegative(bestL2Regularization);
        if (!Enum.IsDefined(method))
        {
            throw new ArgumentOutOfRangeException(nameof(method), method, $"method must be a defined RidgeCvMethod; was {method}.");
        }

        if (curve.Count == 0)
        {
            throw new ArgumentException("curve must contain at least one point; was empty.", nameof(curve));
        }

        for (var i = 0; i < curve.Count; i++)
        {
            var lambda = curve[i].L2Regularization;
            if (!double.IsFinite(lambda) || lambda < 0 || (i > 0 && lambda <= curve[i - 1].L2Regularization))
            {
                throw new ArgumentException(
                    $"curve[{i}].L2Regularization = {Guard.Format(lambda)} must be finite, >= 0 and above the previous one.", nameof(curve));
            }
        }

        return new RidgeCvResult(bestL2Regularization, method, [.. curve], solution);
    }

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
