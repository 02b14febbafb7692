using System.Diagnostics.CodeAnalysis;
using System.Numerics.Tensors;

namespace Reservoir.Readouts;

/// <summary>An online linear readout trained row by row by normalised least mean squares (NLMS).</summary>
/// <remarks>
/// <para>
/// With x the features (and a constant 1 appended when <see cref="LmsReadoutOptions.FitIntercept"/> is set) and μ the
/// learning rate, each <see cref="Update"/> computes the a-priori errors e = y − W x and sets W ← W + μ e xᵀ/‖x‖².
/// Dividing by ‖x‖² makes the step independent of the feature scale: the error on the current row shrinks to
/// (1 − μ)·e, and the update is stable for μ in (0, 2). A row with x = 0 (possible only without an intercept) changes
/// nothing. Each update costs O(D·K) and allocates nothing. No regularisation is applied.
/// </para>
/// <para>
/// Thread safety: an instance is mutable and not thread-safe; do not call <see cref="Update"/> concurrently with any
/// other member. <see cref="ToSolution"/> gives an immutable, shareable snapshot.
/// </para>
/// </remarks>
public sealed class LmsReadout : IReadout
{
    private readonly OnlineWeights _weights;
    private readonly double _learningRate;

    /// <summary>Initializes a new instance of the <see cref="LmsReadout"/> class with zero weights.</summary>
    /// <param name="featureCount">Number of features D per row, ≥ 1 (at most 46339).</param>
    /// <param name="targetCount">Number of outputs K per row, ≥ 1.</param>
    /// <param name="options">The hyperparameters; <see langword="null"/> uses the defaults of <see cref="LmsReadoutOptions"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="featureCount"/> or <paramref name="targetCount"/> is out of range, the weights would not fit in one
    /// array, or <see cref="LmsReadoutOptions.LearningRate"/> is not in (0, 2).
    /// </exception>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is the options member that holds the bad value, so that the error names the setting the caller "
            + "wrote (LmsReadoutOptions.LearningRate), not the constructor's parameter.")]
    public LmsReadout(int featureCount, int targetCount, LmsReadoutOptions? options = null)
    {
        options ??= new LmsReadoutOptions();
        var learningRate = options.LearningRate;
        if (!double.IsFinite(learningRate) || learningRate <= 0 || learningRate >= 2)
        {
            throw new ArgumentOutOfRangeException(nameof(LmsReadoutOptions.LearningRate), learningRate,
                $"LearningRate must be in (0, 2), where normalised LMS is stable; was {Guard.Format(learningRate)}.");
        }

        _weights = new OnlineWeights(featureCount, targetCount, options.FitIntercept);
        _learningRate = learningRate;
        Options = options;
    }

    /// <summary>Gets the validated hyperparameters.</summary>
    public LmsReadoutOptions Options { get; }

    /// <inheritdoc/>
    public int FeatureCount => _weights.FeatureCount;

    /// <inheritdoc/>
    public int TargetCount => _weights.TargetCount;

    /// <summary>Gets the number of rows learned so far.</summary>
    public long UpdateCount { get; private set; }

    /// <summary>Learns one row: moves the weights a fraction μ of the way towards fitting it.</summary>
    /// <param name="features">The <see cref="FeatureCount"/> feature values; all finite.</param>
    /// <param name="targets">The <see cref="TargetCount"/> target values; all finite.</param>
    /// <remarks>The arguments are validated before anything is changed, so a failed call leaves the readout as it was.</remarks>
    /// <exception cref="ArgumentException">
    /// <paramref name="features"/> or <paramref name="targets"/> has the wrong length or holds a NaN or infinite value.
    /// </exception>
    public void Update(ReadOnlySpan<double> features, ReadOnlySpan<double> targets)
    {
        _weights.Prepare(features, targets);
        var x = _weights.Augmented;
        var width = _weights.Width;
        var norm = TensorPrimitives.Dot<double>(x, x);
        if (norm > 0)
        {
            var weights = _weights.Weights.AsSpan();
            var errors = _weights.Errors;
            for (var t = 0; t < errors.Length; t++)
            {
                var row = weights.Slice(t * width, width);
                TensorPrimitives.MultiplyAdd(x, _learningRate * errors[t] / norm, row, row);
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
    /// <returns>A solution with <see cref="RidgeSolution.L2Regularization"/> 0 (LMS applies none); its intercept is zero without <see cref="LmsReadoutOptions.FitIntercept"/>.</returns>
    public RidgeSolution ToSolution() => _weights.ToSolution(0);
}
