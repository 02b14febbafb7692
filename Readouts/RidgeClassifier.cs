namespace Reservoir.Readouts;

/// <summary>Trains a linear classifier by ridge regression of one-hot class indicators on the features.</summary>
/// <remarks>
/// <para>
/// Label c becomes the target row e_c (1 in column c, 0 elsewhere); one ridge readout with one output per class is fitted
/// (see <see cref="RidgeReadout"/>), and <see cref="RidgeClassifierModel"/> predicts the class with the highest score.
/// Data can be streamed into a <see cref="GramAccumulator"/> from <see cref="CreateAccumulator"/> with
/// <see cref="Accumulate"/>, block by block and shard by shard, so the rows are never kept.
/// </para>
/// <para>The trainer holds only validated options: it is immutable and thread-safe; the accumulators it fills are not.</para>
/// </remarks>
public sealed class RidgeClassifier
{
    private const int BlockRows = 256;

    private readonly RidgeReadout _readout;

    /// <summary>Initializes a new instance of the <see cref="RidgeClassifier"/> class and validates its options.</summary>
    /// <param name="classCount">Number of classes C, ≥ 2; labels are 0 … C − 1.</param>
    /// <param name="options">The hyperparameters; <see langword="null"/> uses the defaults of <see cref="RidgeClassifierOptions"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="classCount"/> is less than 2, or <see cref="RidgeClassifierOptions.L2Regularization"/> is negative, NaN or infinite.
    /// </exception>
    public RidgeClassifier(int classCount, RidgeClassifierOptions? options = null)
    {
        Guard.AtLeast(classCount, 2);
        options ??= new RidgeClassifierOptions();
        Guard.NonNegative(options.L2Regularization);
        ClassCount = classCount;
        Options = options;
        _readout = new RidgeReadout(new RidgeReadoutOptions
        {
            L2Regularization = options.L2Regularization,
            FitIntercept = options.FitIntercept,
        });
    }

    /// <summary>Gets the number of classes C.</summary>
    public int ClassCount { get; }

    /// <summary>Gets the validated hyperparameters.</summary>
    public RidgeClassifierOptions Options { get; }

    /// <summary>Creates an empty accumulator shaped for this classifier: the given features and one target per class.</summary>
    /// <param name="featureCount">Number of features D per row, ≥ 1.</param>
    /// <returns>A new <see cref="GramAccumulator"/> with <paramref name="featureCount"/> features and <see cref="ClassCount"/> targets.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="featureCount"/> is less than 1 or too large (see <see cref="GramAccumulator"/>).</exception>
    public GramAccumulator CreateAccumulator(int featureCount) => new(featureCount, ClassCount);

    /// <summary>Adds labelled rows to an accumulator, as one-hot class indicators.</summary>
    /// <param name="gram">An accumulator from <see cref="CreateAccumulator"/> (with <see cref="ClassCount"/> targets); it is updated.</param>
    /// <param name="features">The rows × D feature values, row-major; all finite.</param>
    /// <param name="labels">One label per row, each in [0, <see cref="ClassCount"/>).</param>
    /// <param name="rows">Number of rows, ≥ 1.</param>
    /// <remarks>Everything is validated before the accumulator is changed, so a failed call leaves it as it was.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="gram"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is less than 1, or a label is outside [0, <see cref="ClassCount"/>) (ParamName "labels").</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="gram"/> does not have <see cref="ClassCount"/> targets, <paramref name="labels"/> does not have
    /// <paramref name="rows"/> values, or <paramref name="features"/> does not have rows × D values or holds a NaN or infinite value.
    /// </exception>
    public void Accumulate(GramAccumulator gram, ReadOnlySpan<double> features, ReadOnlySpan<int> labels, int rows)
    {
        ArgumentNullException.ThrowIfNull(gram);
        CheckAccumulator(gram);
        Guard.AtLeast(rows, 1);
        if (labels.Length != rows)
        {
            throw new ArgumentException($"labels has {labels.Length} values but rows is {rows}; give one label per row.", nameof(labels));
        }

        var expected = (long)rows * gram.FeatureCount;
        if (features.Length != expected)
        {
            throw new ArgumentException(
                $"features has {features.Length} values but rows × FeatureCount = {rows} × {gram.FeatureCount} = {expected}.",
                nameof(features));
        }

        CheckLabels(labels);
        Guard.AllFinite(features);

        var d = gram.FeatureCount;
        var k = ClassCount;
        var oneHot = new double[Math.Min(rows, BlockRows) * k];
        for (var start = 0; start < rows; start += BlockRows)
        {
            var blockRows = Math.Min(BlockRows, rows - start);
            var targets = oneHot.AsSpan(0, blockRows * k);
            targets.Clear();
            for (var r = 0; r < blockRows; r++)
            {
                targets[r * k + labels[start + r]] = 1;
            }

            gram.Accumulate(features.Slice(start * d, blockRows * d), targets, blockRows);
        }
    }

    /// <summary>Fits the classifier to the statistics of an accumulator.</summary>
    /// <param name="gram">An accumulator filled by <see cref="Accumulate"/>; not changed.</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="gram"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="gram"/> has no rows accumulated.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="gram"/> does not have <see cref="ClassCount"/> targets, or the ridge system is not positive definite
    /// (ParamName "L2Regularization"; increase it).
    /// </exception>
    public RidgeClassifierModel Fit(GramAccumulator gram)
    {
        ArgumentNullException.ThrowIfNull(gram);
        CheckAccumulator(gram);
        return new RidgeClassifierModel(_readout.Fit(gram));
    }

    /// <summary>Fits the classifier to a feature matrix and its labels in one call.</summary>
    /// <param name="features">The rows × D features, rows ≥ 1, D ≥ 1, all finite.</param>
    /// <param name="labels">One label per row, each in [0, <see cref="ClassCount"/>).</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="features"/> or <paramref name="labels"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, <see cref="ClassCount"/>) (ParamName "labels").</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="features"/> is empty or holds a NaN or infinite value, <paramref name="labels"/> does not have one
    /// value per row, or the ridge system is not positive definite (ParamName "L2Regularization").
    /// </exception>
    public RidgeClassifierModel Fit(double[,] features, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        var rows = features.GetLength(0);
        var columns = features.GetLength(1);
        if (rows == 0 || columns == 0)
        {
            throw new ArgumentException(
                $"features is {rows} × {columns}; it needs at least one row and one column.", nameof(features));
        }

        if (labels.Length != rows)
        {
            throw new ArgumentException(
                $"labels has {labels.Length} values but features has {rows} rows; give one label per row.", nameof(labels));
        }

        var gram = CreateAccumulator(columns);
        Accumulate(gram, features.AsSpan(), labels, rows);
        return Fit(gram);
    }

    private void CheckAccumulator(GramAccumulator gram)
    {
        if (gram.TargetCount != ClassCount)
        {
            throw new ArgumentException(
                $"gram has {gram.TargetCount} targets but the classifier has {ClassCount} classes; create it with CreateAccumulator.",
                nameof(gram));
        }
    }

    private void CheckLabels(ReadOnlySpan<int> labels)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)ClassCount)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i],
                    $"labels[{i}] must be in [0, {ClassCount}); was {labels[i]}.");
            }
        }
    }
}
