using System.Diagnostics.CodeAnalysis;
using System.Numerics.Tensors;

namespace Reservoir.Readouts;

/// <summary>Trains a linear readout in closed form by ridge regression (Tikhonov-regularised least squares).</summary>
/// <remarks>
/// <para>
/// With an intercept, the weights solve (Cxx + λI) W = Cxy on the centred comoments kept by
/// <see cref="GramAccumulator"/>, and the intercept is b = ȳ − Wᵀx̄, so the intercept is not penalised. Without one,
/// they solve (XᵀX + λI) W = XᵀY.
/// </para>
/// <para>
/// With <see cref="RidgeReadoutOptions.RegularizeIntercept"/>, the intercept is penalised as in reservoirpy 0.3: with
/// x' = [1, x], [b, W] solves (X'ᵀX' + λI) [b, W]ᵀ = X'ᵀY, λ on all D + 1 diagonal entries. Eliminating b from this
/// (D + 1)-system leaves a D × D one on the same centred statistics: with n rows and c = nλ / (n + λ),
/// (Cxx + c·x̄x̄ᵀ + λI) W = Cxy + c·x̄ȳᵀ and b = n / (n + λ) · (ȳ − Wᵀx̄). At λ = 0, c = 0 and this is the centred fit.
/// </para>
/// <para>
/// The symmetric system is factorised once by a blocked, parallel Cholesky (never inverted), so a fit costs
/// about D³/3 flops after accumulation, and K outputs share the factorisation.
/// </para>
/// <para>
/// The trainer holds only validated options: it is immutable and thread-safe, and <see cref="Fit(GramAccumulator)"/>
/// does not change the accumulator (<see cref="FitAndConsume"/> does, to save the copy of its D × D statistics).
/// </para>
/// </remarks>
public sealed class RidgeReadout
{
    /// <summary>Unit roundoff of double, 2⁻⁵² (<see cref="double.Epsilon"/> is the smallest subnormal, not this).</summary>
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>Initializes a new instance of the <see cref="RidgeReadout"/> class and validates its options.</summary>
    /// <param name="options">The hyperparameters; <see langword="null"/> uses the defaults of <see cref="RidgeReadoutOptions"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="RidgeReadoutOptions.L2Regularization"/> is negative, NaN or infinite.</exception>
    /// <exception cref="ArgumentException">
    /// <see cref="RidgeReadoutOptions.RegularizeIntercept"/> is set without <see cref="RidgeReadoutOptions.FitIntercept"/>;
    /// <see cref="ArgumentException.ParamName"/> is "RegularizeIntercept".
    /// </exception>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName names the RidgeReadoutOptions property that is wrong, as for L2Regularization.")]
    public RidgeReadout(RidgeReadoutOptions? options = null)
    {
        options ??= new RidgeReadoutOptions();
        Guard.NonNegative(options.L2Regularization, nameof(RidgeReadoutOptions.L2Regularization));
        if (options.RegularizeIntercept && !options.FitIntercept)
        {
            throw new ArgumentException(
                "RegularizeIntercept is true but FitIntercept is false; there is no intercept to penalise. " +
                "Set FitIntercept = true or RegularizeIntercept = false.",
                nameof(RidgeReadoutOptions.RegularizeIntercept));
        }

        Options = options;
    }

    /// <summary>Gets the validated hyperparameters.</summary>
    public RidgeReadoutOptions Options { get; }

    /// <summary>Fits the readout to the statistics of an accumulator.</summary>
    /// <param name="gram">The accumulated features and targets; not changed.</param>
    /// <returns>The fitted readout, with <see cref="RidgeSolution.L2Regularization"/> set to the λ used.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="gram"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="gram"/> has no rows accumulated, or was consumed by <see cref="FitAndConsume"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The ridge system is not (numerically) positive definite, typically because L2Regularization is 0 and some features
    /// are collinear or constant, or because it is so small that a Cholesky pivot is lost in rounding
    /// (pivot² ≤ (D + 8)·ε·A_ii); <see cref="ArgumentException.ParamName"/> is "L2Regularization".
    /// </exception>
    public RidgeSolution Fit(GramAccumulator gram) => Fit(gram, consume: false);

    /// <summary>Fits the readout exactly as <see cref="Fit(GramAccumulator)"/> does, but factors the accumulator's own D × D storage in place instead of a copy.</summary>
    /// <param name="gram">The accumulated features and targets; consumed: afterwards (also when this throws the L2Regularization hint) its public members throw until <see cref="GramAccumulator.Reset"/> is called.</param>
    /// <returns>The fitted readout, bit for bit the one <see cref="Fit(GramAccumulator)"/> returns for the same statistics.</returns>
    /// <remarks>
    /// For a caller that is done with the accumulator: the fit then needs one D × D array instead of two (with D = 10⁴
    /// features, 0.8 GB instead of 1.6 GB). <see cref="GramAccumulator.IsConsumed"/> tells whether an accumulator was used so.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="gram"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="gram"/> has no rows accumulated (it is then left as it was), or was consumed already.</exception>
    /// <exception cref="ArgumentException">The ridge system is not (numerically) positive definite; <see cref="ArgumentException.ParamName"/> is "L2Regularization".</exception>
    public RidgeSolution FitAndConsume(GramAccumulator gram) => Fit(gram, consume: true);

    private RidgeSolution Fit(GramAccumulator gram, bool consume)
    {
        ArgumentNullException.ThrowIfNull(gram);
        if (gram.IsConsumed)
        {
            throw new InvalidOperationException(
                "The GramAccumulator was consumed by FitAndConsume, which factored its statistics in place; call Reset and accumulate again.");
        }

        if (gram.Count == 0)
        {
            throw new InvalidOperationException(
                "The GramAccumulator has no rows accumulated; call Accumulate with at least one row before Fit.");
        }

        var d = gram.FeatureCount;
        var k = gram.TargetCount;
        var lambda = Options.L2Regularization;
        var fitIntercept = Options.FitIntercept;
        var featureMeans = gram.FeatureMeans;
        var targetMeans = gram.TargetMeans;

        // A = Cxx + c·x̄x̄ᵀ + λI and B = Cxy + c·x̄ȳᵀ, row-major; B is solved in place. c = 0 gives the centred system,
        // c = n the raw XᵀX and XᵀY, and c = nλ / (n + λ) the penalised-intercept system with b eliminated.
        var n = (double)gram.Count;
        var meanWeight = !fitIntercept ? n : Options.RegularizeIntercept ? n * lambda / (n + lambda) : 0.0;
        var interceptScale = Options.RegularizeIntercept ? n / (n + lambda) : 1.0;
        var (system, solution) = consume ? gram.TakeNormalEquations(meanWeight) : gram.NormalEquations(meanWeight);
        for (var i = 0; i < d; i++)
        {
            system[i * d + i] += lambda;
        }

        Solve(system, solution, d, k, lambda);

        var weights = new double[k * d];
        var intercept = new double[k];
        for (var t = 0; t < k; t++)
        {
            var row = weights.AsSpan(t * d, d);
            for (var i = 0; i < d; i++)
            {
                row[i] = solution[i * k + t];
            }

            if (fitIntercept)
            {
                var centred = targetMeans[t] - TensorPrimitives.Dot<double>(row, featureMeans);
                intercept[t] = Options.RegularizeIntercept ? interceptScale * centred : centred;
            }
        }

        return new RidgeSolution(weights, intercept, d, lambda, Options.RegularizeIntercept);
    }

    /// <summary>Fits the readout to feature and target matrices in one call.</summary>
    /// <param name="features">The rows × D features, rows ≥ 1, D ≥ 1, all finite.</param>
    /// <param name="targets">The rows × K targets (same rows as <paramref name="features"/>), K ≥ 1, all finite.</param>
    /// <returns>The fitted readout.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="features"/> or <paramref name="targets"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// A matrix is empty, holds a NaN or infinite value (the message names its row and column), the row counts differ
    /// (<see cref="ArgumentException.ParamName"/> is "targets"), or the ridge system is not positive definite
    /// (<see cref="ArgumentException.ParamName"/> is "L2Regularization").
    /// </exception>
    public RidgeSolution Fit(double[,] features, double[,] targets)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        var rows = features.GetLength(0);
        if (rows == 0 || features.GetLength(1) == 0)
        {
            throw new ArgumentException(
                $"features is {rows} × {features.GetLength(1)}; it needs at least one row and one column.", nameof(features));
        }

        if (targets.GetLength(0) != rows)
        {
            throw new ArgumentException(
                $"targets has {targets.GetLength(0)} rows but features has {rows}; give one target row per feature row.",
                nameof(targets));
        }

        if (targets.GetLength(1) == 0)
        {
            throw new ArgumentException($"targets is {rows} × 0; it needs at least one column.", nameof(targets));
        }

        Guard.AllFinite(features);
        Guard.AllFinite(targets);

        var gram = new GramAccumulator(features.GetLength(1), targets.GetLength(1));
        gram.Accumulate(features.AsSpan(), targets.AsSpan(), rows);

        // The accumulator is this call's own, so its storage can be factored in place (same bits, one D × D array).
        return FitAndConsume(gram);
    }

    /// <summary>Solves the symmetric system A·X = B by Cholesky in place (B row-major D×K becomes X), or throws the L2Regularization hint.</summary>
    private static void Solve(double[] system, double[] rightHandSide, int d, int k, double lambda)
    {
        var diagonal = new double[d];
        for (var i = 0; i < d; i++)
        {
            diagonal[i] = system[i * d + i];
        }

        if (Cholesky.Factor(system, d) >= 0)
        {
            throw NotPositiveDefinite(lambda, null);
        }

        // A pivot lost in rounding (exactly collinear features give a pivot of a few ulps of the diagonal) passes the
        // factorisation. Reject pivots² ≤ (D + 8)·ε·A_ii: such a column is numerically a combination of the earlier
        // ones, and the solution would be noise.
        var tolerance = (d + 8) * MachineEpsilon;
        for (var i = 0; i < d; i++)
        {
            var pivot = system[i * d + i];
            if (!(pivot * pivot > tolerance * diagonal[i]))
            {
                throw NotPositiveDefinite(lambda, null);
            }
        }

        Cholesky.Solve(system, d, rightHandSide, k);
        if (!TensorPrimitives.IsFiniteAll<double>(rightHandSide))
        {
            throw NotPositiveDefinite(lambda, null);
        }
    }

    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",

        Justification = "ParamName is L2Regularization, the RidgeReadoutOptions setting the message tells the caller to change.")]
    private static ArgumentException NotPositiveDefinite(double lambda, Exception? inner) =>
        lambda == 0
            ? new ArgumentException(
                "Ridge system is not positive definite; set L2Regularization > 0 (was 0). " +
                "Some features are collinear or constant.",
                nameof(RidgeReadoutOptions.L2Regularization), inner)
            : new ArgumentException(
                $"Ridge system is not numerically positive definite; increase L2Regularization (was {Guard.Format(lambda)}).",
                nameof(RidgeReadoutOptions.L2Regularization), inner);
}
