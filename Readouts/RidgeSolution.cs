using System.Numerics.Tensors;

namespace Reservoir.Readouts;

/// <summary>A fitted linear readout y = W·x + b, as trained by <see cref="RidgeReadout"/> or loaded from weights.</summary>
/// <remarks>
/// Output k is y_k = Σ_d W[k, d]·x_d + b_k, with W of shape <see cref="TargetCount"/> × <see cref="FeatureCount"/> (the
/// reservoir-computing W_out) and b the intercept (zero when no intercept was fitted). Instances are immutable: arrays
/// are copied on the way in and on the way out, so an instance is thread-safe and can be shared by any number of
/// predicting threads.
/// </remarks>
public sealed class RidgeSolution : IReadout
{
    private readonly double[] _weights;
    private readonly double[] _intercept;

    /// <summary>Initializes a new instance that takes ownership of already validated arrays.</summary>
    /// <param name="weights">Row-major K × D weights; not copied.</param>
    /// <param name="intercept">K intercepts; not copied.</param>
    /// <param name="featureCount">D, ≥ 1.</param>
    /// <param name="l2Regularization">The λ used in training.</param>
    /// <param name="regularizeIntercept">Whether λ also penalised the intercept in training.</param>
    internal RidgeSolution(double[] weights, double[] intercept, int featureCount, double l2Regularization,
        bool regularizeIntercept = false)
    {
        RegularizeIntercept = regularizeIntercept;
        _weights = weights;
        _intercept = intercept;
        FeatureCount = featureCount;
        TargetCount = intercept.Length;
        L2Regularization = l2Regularization;
    }

    /// <summary>Gets the number of features D the readout expects per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Gets the number of outputs K the readout produces per row.</summary>
    public int TargetCount { get; }

    /// <summary>Gets the ridge penalty λ the readout was trained with (0 if unknown or loaded without one).</summary>
    public double L2Regularization { get; }

    /// <summary>Gets a value indicating whether λ also penalised the intercept in training (<see cref="RidgeReadoutOptions.RegularizeIntercept"/>); false if unknown.</summary>
    public bool RegularizeIntercept { get; }

    /// <summary>Creates a readout from weights trained elsewhere; the arrays are copied.</summary>
    /// <param name="weights">The K × D weight matrix W (output k = Σ_d W[k, d]·x_d + b_k); K ≥ 1, D ≥ 1, all finite.</param>
    /// <param name="intercept">The K intercepts b (zeros if the readout has none); all finite.</param>
    /// <param name="l2Regularization">The ridge penalty λ the weights were trained with, for the record; finite and ≥ 0; default 0.</param>
    /// <param name="regularizeIntercept">Whether λ also penalised the intercept in training, for the record; default <see langword="false"/>.</param>
    /// <returns>A new immutable readout.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="weights"/> or <paramref name="intercept"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="weights"/> has no rows or no columns, <paramref name="intercept"/> does not have one value per row
    /// of <paramref name="weights"/>, or either holds a NaN or infinite value.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="l2Regularization"/> is negative, NaN or infinite.</exception>
    public static RidgeSolution FromWeights(double[,] weights, double[] intercept, double l2Regularization = 0,
        bool regularizeIntercept = false)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(intercept);
        var targetCount = weights.GetLength(0);
        var featureCount = weights.GetLength(1);
        if (targetCount == 0 || featureCount == 0)
        {
            throw new ArgumentException(
                $"weights is {targetCount} × {featureCount}; it needs at least one output row and one feature column.",
                nameof(weights));
        }

        if (intercept.Length != targetCount)
        {
            throw new ArgumentException(
                $"intercept has {intercept.Length} values but weights has {targetCount} output rows; give one intercept per output.",
                nameof(intercept));
        }

        Guard.AllFinite(weights);
        Guard.AllFinite(intercept);
        Guard.NonNegative(l2Regularization);

        var flat = new double[weights.Length];
        weights.AsSpan().CopyTo(flat);
        return new RidgeSolution(flat, (double[])intercept.Clone(), featureCount, l2Regularization, regularizeIntercept);
    }

    /// <summary>Returns a copy of the weight matrix W.</summary>
    /// <returns>A new <see cref="TargetCount"/> × <see cref="FeatureCount"/> array; output k = Σ_d W[k, d]·x_d + b_k.</returns>
    public double[,] GetWeights()
    {
        var copy = new double[TargetCount, FeatureCount];
        _weights.CopyTo(copy.AsSpan());
        return copy;
    }

    /// <summary>Returns a copy of the intercepts b.</summary>
    /// <returns>A new array of length <see cref="TargetCount"/> (zeros if no intercept was fitted).</returns>
    public double[] GetIntercept() => (double[])_intercept.Clone();

    /// <summary>Computes the outputs for one row of features without allocating.</summary>
    /// <param name="features">The <see cref="FeatureCount"/> feature values, finite.</param>
    /// <param name="output">Receives the <see cref="TargetCount"/> outputs.</param>
    /// <exception cref="ArgumentException"><paramref name="features"/> or <paramref name="output"/> has the wrong length, or an output is not finite because a feature is NaN or infinite.</exception>
    /// <exception cref="InvalidOperationException">An output overflowed to ±∞ although every feature is finite (the weights are too large for these features).</exception>
    public void Predict(ReadOnlySpan<double> features, Span<double> output)
    {
        if (features.Length != FeatureCount)
        {
            throw new ArgumentException(
                $"features has {features.Length} values but the readout was trained on {FeatureCount}.", nameof(features));
        }

        if (output.Length != TargetCount)
        {
            throw new ArgumentException(
                $"output has {output.Length} values but the readout has {TargetCount} outputs.", nameof(output));
        }

        PredictRow(features, output);
    }

    /// <summary>Computes the outputs for every row of a feature matrix.</summary>
    /// <param name="features">A rows × <see cref="FeatureCount"/> matrix (rows may be 0), finite.</param>
    /// <returns>A new rows × <see cref="TargetCount"/> matrix of outputs.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="features"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="features"/> does not have <see cref="FeatureCount"/> columns, or an output is not finite because a feature is NaN or infinite.</exception>
    /// <exception cref="InvalidOperationException">An output overflowed to ±∞ although every feature is finite.</exception>
    public double[,] Predict(double[,] features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var rows = features.GetLength(0);
        if (features.GetLength(1) != FeatureCount)
        {
            throw new ArgumentException(
                $"features has {features.GetLength(1)} columns but the readout was trained on {FeatureCount}.", nameof(features));
        }

        var result = new double[rows, TargetCount];
        var input = features.AsSpan();
        var output = result.AsSpan();
        for (var r = 0; r < rows; r++)
        {
            PredictRow(input.Slice(r * FeatureCount, FeatureCount), output.Slice(r * TargetCount, TargetCount));
        }

        return result;
    }

    private void PredictRow(ReadOnlySpan<double> features, Span<double> output)
    {
        var weights = _weights.AsSpan();
        for (var k = 0; k < output.Length; k++)
        {
            output[k] = TensorPrimitives.Dot(weights.Slice(k * FeatureCount, FeatureCount), features) + _intercept[k];
        }

        OutputCheck.ThrowIfNotFinite(output, features, weights);
    }
}
