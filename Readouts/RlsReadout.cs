using System.Numerics.Tensors;

namespace Reservoir.Readouts;

/// <summary>An online linear readout trained row by row by recursive least squares, as in FORCE learning.</summary>
/// <remarks>
/// <para>
/// With x the features (and a constant 1 appended when <see cref="RlsReadoutOptions.FitIntercept"/> is set), β the
/// forgetting factor and P the inverse correlation matrix (P₀ = s·I), each <see cref="Update"/> computes
/// u = P x, the a-priori errors e = y − W x, then W ← W + e uᵀ/(β + xᵀu) and P ← (P − u uᵀ/(β + xᵀu))/β
/// (Sussillo and Abbott 2009; Haykin, Adaptive Filter Theory, ch. 10). After n rows W minimises
/// Σᵢ β^(n−i) ‖yᵢ − W xᵢ‖² + β^n/s ‖W‖²: with β = 1 it equals ridge regression with λ = 1/s on the same rows
/// (the intercept, when fitted, is regularised too). Each update costs O(D²) and allocates nothing; P is updated on its
/// upper triangle and mirrored, so it stays exactly symmetric.
/// </para>
/// <para>
/// Thread safety: an instance is mutable and not thread-safe; do not call <see cref="Update"/> concurrently with any
/// other member. <see cref="ToSolution"/> gives an immutable, shareable snapshot.
/// </para>
/// </remarks>
public sealed class RlsReadout : IReadout
{
    private readonly OnlineWeights _weights;
    private readonly double[] _inverseCorrelation;
    private readonly double[] _gain;
    private readonly double _forgettingFactor;

    /// <summary>Initializes a new instance of the <see cref="RlsReadout"/> class with zero weights.</summary>
    /// <param name="featureCount">Number of features D per row, ≥ 1 (at most 46339).</param>
    /// <param name="targetCount">Number of outputs K per row, ≥ 1.</param>
    /// <param name="options">The hyperparameters; <see langword="null"/> uses the defaults of <see cref="RlsReadoutOptions"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="featureCount"/> or <paramref name="targetCount"/> is out of range, the weights would not fit in one
    /// array, <see cref="RlsReadoutOptions.ForgettingFactor"/> is not in (0, 1], or
    /// <see cref="RlsReadoutOptions.InitialCovarianceScale"/> is not finite and &gt; 0.
    /// </exception>
    public RlsReadout(int featureCount, int targetCount, RlsReadoutOptions? options = null)
    {
        options ??= new RlsReadoutOptions();
        Guard.InUnitInterval(options.ForgettingFactor);
        Guard.Positive(options.InitialCovarianceScale);
        _weights = new OnlineWeights(featureCount, targetCount, options.FitIntercept);
        var width = _weights.Width;
        _inverseCorrelation = new double[width * width];
        for (var i = 0; i < width; i++)
        {
            _inverseCorrelation[i * width + i] = options.InitialCovarianceScale;
        }

        _gain = new double[width];
        _forgettingFactor = options.ForgettingFactor;
        Options = options;
    }

    /// <summary>Gets the validated hyperparameters.</summary>
    public RlsReadoutOptions Options { get; }

    /// <inheritdoc/>
    public int FeatureCount => _weights.FeatureCount;

    /// <inheritdoc/>
    public int TargetCount => _weights.TargetCount;

    /// <summary>Gets the number of rows learned so far.</summary>
    public long UpdateCount { get; private set; }

    /// <summary>Gets the inverse correlation matrix P, row-major, (D + intercept)², for tests.</summary>
    internal ReadOnlySpan<double> InverseCorrelation => _inverseCorrelation;

    /// <summary>Learns one row: moves the weights towards the least-squares fit of every row seen so far.</summary>
    /// <param name="features">The <see cref="FeatureCount"/> feature values; all finite.</param>
    /// <param name="targets">The <see cref="TargetCount"/> target values; all finite.</param>
    /// <remarks>The arguments are validated before anything is changed, so a failed call leaves the readout as it was.</remarks>
    /// <exception cref="ArgumentException">
    /// <paramref name="features"/> or <paramref name="targets"/> has the wrong length or holds a NaN or infinite value.
    /// </exception>
    /// <exception cref="InvalidOperationException">
    /// P has lost positive definiteness through rounding (β + xᵀPx ≤ 0 or not finite), which long runs with a small
    /// forgetting factor can cause; the readout is left unchanged.
    /// </exception>
    public void Update(ReadOnlySpan<double> features, ReadOnlySpan<double> targets)
    {
        _weights.Prepare(features, targets);
        var x = _weights.Augmented;
        var width = _weights.Width;
        var p = _inverseCorrelation.AsSpan();
        var u = _gain.AsSpan();
        for (var i = 0; i < width; i++)
        {
            u[i] = TensorPrimitives.Dot<double>(p.Slice(i * width, width), x);
        }

        var denominator = _forgettingFactor + TensorPrimitives.Dot<double>(x, u);
        if (!(denominator > 0) || !double.IsFinite(denominator))
        {
            throw new InvalidOperationException(
                $"The RLS inverse correlation matrix is no longer positive definite (β + xᵀPx = {Guard.Format(denominator)}); " +
                "use a forgetting factor closer to 1 or a smaller InitialCovarianceScale.");
        }

        var weights = _weights.Weights.AsSpan();
        var errors = _weights.Errors;
        for (var t = 0; t < errors.Length; t++)
        {
            TensorPrimitives.MultiplyAdd(u, errors[t] / denominator, weights.Slice(t * width, width), weights.Slice(t * width, width));
        }

        // P ← (P − u uᵀ/denominator)/β on the upper triangle, then mirrored, so that P stays exactly symmetric.
        var scale = 1 / _forgettingFactor;
        for (var i = 0; i < width; i++)
        {
            var row = p.Slice(i * width + i, width - i);
            TensorPrimitives.MultiplyAdd(u[i..], -u[i] / denominator, row, row);
            if (scale != 1)
            {
                TensorPrimitives.Multiply(row, scale, row);
            }

            for (var j = i + 1; j < width; j++)
            {
                p[j * width + i] = p[i * width + j];
            }
        }

        UpdateCount++;
    }

    /// <summary>Computes the outputs for one row of features with the current weights, without allocating.</summary>
    /// <param name="features">The <see cref="FeatureCount"/> feature values, finite.</param>
    /// <param name="output">Receives the <see cref="TargetCount"/> outputs.</param>
    /// <exception cref="ArgumentException"><paramref name="features"/> or <paramref name="output"/> has the wrong length, or an output is not finite because a feature is NaN or infinite.</exception>
    /// <exception cref="InvalidOperationException">An output overflowed to ±∞ although every feature is finite.</exception>
    public void Predict(ReadOnlySpan<double> features, Span<double> output) => _weights.Predict(features, output);

    /// <summary>Returns an immutable copy of the current weights and intercepts.</summary>
    /// <returns>
    /// A solution whose <see cref="RidgeSolution.L2Regularization"/> is the penalty the current weights carry, β^n/s for n
    /// updates (1/s when β = 1), capped at <see cref="double.MaxValue"/>; its intercept is zero without
    /// <see cref="RlsReadoutOptions.FitIntercept"/>.
    /// </returns>
    public RidgeSolution ToSolution()
    {
        var penalty = Math.Pow(_forgettingFactor, UpdateCount) / Options.InitialCovarianceScale;
        return _weights.ToSolution(Math.Min(penalty, double.MaxValue));
    }
}
