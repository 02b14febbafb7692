using System.Numerics.Tensors;

namespace Reservoir.Readouts;

/// <summary>Streams blocks of features and targets into the sufficient statistics of a linear least-squares fit.</summary>
/// <remarks>
/// <para>
/// The accumulator keeps, in double precision, the row count n, the means x̄ (D) and ȳ (K), the centred comoments
/// Cxx = Σ (x − x̄)(x − x̄)ᵀ (upper triangle, D × D), Cxy = Σ (x − x̄)(y − ȳ)ᵀ (D × K) and Σ (y − ȳ)² per target.
/// Memory is O(D² + D·K) whatever the number of rows; rows are never stored.
/// </para>
/// <para>
/// Each block (of at most 256 rows; longer inputs are split) is centred on its own mean, its comoments are computed
/// with a SIMD kernel and merged with the parallel update of Chan, Golub and LeVeque:
/// M = M_a + M_b + (n_a n_b / n) δ δᵀ with δ = mean_b − mean_a. This is stable even when the features have a large
/// mean, and the same update merges two accumulators (<see cref="Add"/>), so shards or threads can be reduced.
/// The raw Gram matrix needed without an intercept is XᵀX = Cxx + n x̄ x̄ᵀ.
/// </para>
/// <para>
/// Thread safety: an instance is not thread-safe. Use one accumulator per thread and combine them with
/// <see cref="Add"/>. Scratch buffers are allocated on the first block (and when a longer block arrives); later
/// blocks allocate nothing.
/// </para>
/// </remarks>
public sealed class GramAccumulator
{
    /// <summary>Largest number of rows processed as one block; longer inputs are split into blocks of this size.</summary>
    internal const int MaxBlockRows = 256;

    /// <summary>Largest feature count whose D × D comoment matrix fits in one array with int indexing (46340² &lt; 2³¹).</summary>
    internal const int MaxFeatureCount = 46340;

    private readonly double[] _featureMeans;
    private readonly double[] _targetMeans;
    private readonly double[] _featureComoments;
    private readonly double[] _crossComoments;
    private readonly double[] _targetSquaredDeviations;

    private readonly double[] _blockFeatureMeans;
    private readonly double[] _blockTargetMeans;
    private readonly double[] _featureScratch;
    private double[] _packed = [];
    private double[] _centredTargets = [];
    private int _scratchRows;

    /// <summary>Initializes a new instance of the <see cref="GramAccumulator"/> class with no rows.</summary>
    /// <param name="featureCount">Number of features D per row, ≥ 1 (with a reservoir: state size plus any input and bias columns).</param>
    /// <param name="targetCount">Number of targets K per row, ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="featureCount"/> or <paramref name="targetCount"/> is less than 1, <paramref name="featureCount"/> is
    /// above 46340, or D × K is above <see cref="int.MaxValue"/>.
    /// </exception>
    public GramAccumulator(int featureCount, int targetCount)
    {
        Guard.AtLeast(featureCount, 1);
        Guard.AtLeast(targetCount, 1);
        if (featureCount > MaxFeatureCount)
        {
            throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount,
                $"featureCount must be <= {MaxFeatureCount} so that the D × D comoment matrix fits in one array; was {featureCount}.");
        }

        if ((long)featureCount * targetCount > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(targetCount), targetCount,
                $"featureCount × targetCount must be <= {int.MaxValue}; was {featureCount} × {targetCount}.");
        }

        FeatureCount = featureCount;
        TargetCount = targetCount;
        _featureMeans = new double[featureCount];
        _targetMeans = new double[targetCount];
        _featureComoments = new double[(long)featureCount * featureCount];
        _crossComoments = new double[(long)featureCount * targetCount];
        _targetSquaredDeviations = new double[targetCount];
        _blockFeatureMeans = new double[featureCount];
        _blockTargetMeans = new double[targetCount];
        _featureScratch = new double[Math.Max(featureCount, targetCount)];
    }

    /// <summary>Gets the number of features D per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Gets the number of targets K per row.</summary>
    public int TargetCount { get; }

    /// <summary>Gets the number of rows accumulated so far (including rows merged with <see cref="Add"/>).</summary>
    public long Count { get; private set; }

    /// <summary>Gets the feature means x̄ (length D); all zero while <see cref="Count"/> is 0.</summary>
    internal ReadOnlySpan<double> FeatureMeans => _featureMeans;

    /// <summary>Gets the target means ȳ (length K); all zero while <see cref="Count"/> is 0.</summary>
    internal ReadOnlySpan<double> TargetMeans => _targetMeans;

    /// <summary>Gets Cxx = Σ (x − x̄)(x − x̄)ᵀ as a row-major D × D matrix of which only the upper triangle (j ≥ i) is valid.</summary>
    internal ReadOnlySpan<double> FeatureComoments => _featureComoments;

    /// <summary>Gets Cxy = Σ (x − x̄)(y − ȳ)ᵀ as a row-major D × K matrix.</summary>
    internal ReadOnlySpan<double> CrossComoments => _crossComoments;

    /// <summary>Gets Σ (y − ȳ)² per target (length K).</summary>
    internal ReadOnlySpan<double> TargetSquaredDeviations => _targetSquaredDeviations;

    /// <summary>Adds a block of rows to the statistics.</summary>
    /// <param name="features">The rows × <see cref="FeatureCount"/> feature values, row-major; all finite.</param>
    /// <param name="targets">The rows × <see cref="TargetCount"/> target values, row-major; all finite.</param>
    /// <param name="rows">Number of rows in the block, ≥ 1. Any size is accepted; blocks of a few hundred rows are fastest.</param>
    /// <remarks>The arguments are validated before anything is changed, so a failed call leaves the accumulator as it was.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="features"/> or <paramref name="targets"/> does not hold exactly <paramref name="rows"/> rows, or holds
    /// a NaN or infinite value (the message names its row and column).
    /// </exception>
    public void Accumulate(ReadOnlySpan<double> features, ReadOnlySpan<double> targets, int rows)
    {
        Guard.AtLeast(rows, 1);
        CheckBlock(features, rows, FeatureCount, nameof(features), nameof(FeatureCount));
        CheckBlock(targets, rows, TargetCount, nameof(targets), nameof(TargetCount));

        for (var start = 0; start < rows; start += MaxBlockRows)
        {
            var blockRows = Math.Min(MaxBlockRows, rows - start);
            AccumulateBlock(
                features.Slice(start * FeatureCount, blockRows * FeatureCount),
                targets.Slice(start * TargetCount, blockRows * TargetCount),
                blockRows);
        }
    }

    /// <summary>Merges the statistics of another accumulator into this one, as if its rows had been accumulated here.</summary>
    /// <param name="other">An accumulator with the same <see cref="FeatureCount"/> and <see cref="TargetCount"/>; it is not changed (it may be this instance).</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="other"/> has a different feature or target count.</exception>
    public void Add(GramAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.FeatureCount != FeatureCount || other.TargetCount != TargetCount)
        {
            throw new ArgumentException(
                $"other has {other.FeatureCount} features and {other.TargetCount} targets but this accumulator has " +
                $"{FeatureCount} and {TargetCount}; only accumulators of the same shape can be merged.",
                nameof(other));
        }

        if (other.Count == 0)
        {
            return;
        }

        // Read everything from other before writing, element by element, so that a.Add(a) is correct too.
        Merge(other.Count, other._featureMeans, other._targetMeans,
            other._featureComoments, other._crossComoments, other._targetSquaredDeviations, mergeComoments: true);
    }

    /// <summary>Returns a copy of the feature means x̄ (all zero while <see cref="Count"/> is 0).</summary>
    /// <returns>A new array of length <see cref="FeatureCount"/>.</returns>
    public double[] GetFeatureMeans() => (double[])_featureMeans.Clone();

    /// <summary>Returns a copy of the target means ȳ (all zero while <see cref="Count"/> is 0).</summary>
    /// <returns>A new array of length <see cref="TargetCount"/>.</returns>
    public double[] GetTargetMeans() => (double[])_targetMeans.Clone();

    /// <summary>Forgets all rows, so that the accumulator (and its scratch buffers) can be reused.</summary>
    public void Reset()
    {
        Count = 0;
        Array.Clear(_featureMeans);
        Array.Clear(_targetMeans);
        Array.Clear(_featureComoments);
        Array.Clear(_crossComoments);
        Array.Clear(_targetSquaredDeviations);
    }

    private static void CheckBlock(ReadOnlySpan<double> values, int rows, int columns, string name, string countName)
    {
        var expected = (long)rows * columns;
        if (values.Length != expected)
        {
            throw new ArgumentException(
                $"{name} has {values.Length} values but rows × {countName} = {rows} × {columns} = {expected}.", name);
        }

        if (!TensorPrimitives.IsFiniteAll(values))
        {
            for (var i = 0; i < values.Length; i++)
            {
                if (!double.IsFinite(values[i]))
                {
                    throw new ArgumentException(
                        $"{name} contains {Guard.Format(values[i])} at row {i / columns}, column {i % columns}; every value must be finite.",
                        name);
                }
            }
        }
    }

    private void AccumulateBlock(ReadOnlySpan<double> features, ReadOnlySpan<double> targets, int rows)
    {
        var d = FeatureCount;
        var k = TargetCount;
        EnsureScratch(rows);

        // Block statistics, centred on the block's own means.
        GramKernels.ColumnMeans(features, rows, d, _blockFeatureMeans, _featureScratch);
        GramKernels.ColumnMeans(targets, rows, k, _blockTargetMeans, _featureScratch);
        GramKernels.PackCentered(features, rows, d, _blockFeatureMeans, _packed);
        var centredTargets = _centredTargets.AsSpan(0, rows * k);
        for (var r = 0; r < rows; r++)
        {
            TensorPrimitives.Subtract(targets.Slice(r * k, k), _blockTargetMeans, centredTargets.Slice(r * k, k));
        }

        // The block's comoments are added straight into the running sums; Merge then adds only the correction term.
        GramKernels.AccumulateUpperGram(_packed, rows, d, _featureComoments);
        GramKernels.AccumulateCross(_packed, rows, d, centredTargets, k, _crossComoments);
        for (var r = 0; r < rows; r++)
        {
            for (var t = 0; t < k; t++)
            {
                var y = centredTargets[r * k + t];
                _targetSquaredDeviations[t] += y * y;
            }
        }

        Merge(rows, _blockFeatureMeans, _blockTargetMeans, default, default, default, mergeComoments: false);
    }

    /// <summary>Chan et al.'s update: adds a set of (count, means, comoments) to this one.</summary>
    /// <remarks>When <paramref name="mergeComoments"/> is false the other comoments were already added by the caller.</remarks>
    private void Merge(long otherCount, ReadOnlySpan<double> otherFeatureMeans, ReadOnlySpan<double> otherTargetMeans,
        ReadOnlySpan<double> otherFeatureComoments, ReadOnlySpan<double> otherCrossComoments,
        ReadOnlySpan<double> otherTargetSquaredDeviations, bool mergeComoments)
    {
        var d = FeatureCount;
        var k = TargetCount;
        var countA = (double)Count;
        var countB = (double)otherCount;
        var total = countA + countB;
        var correction = countA * countB / total;
        var weightB = countB / total;

        if (mergeComoments)
        {
            TensorPrimitives.Add(_featureComoments, otherFeatureComoments, _featureComoments);
            TensorPrimitives.Add(_crossComoments, otherCrossComoments, _crossComoments);
            TensorPrimitives.Add(_targetSquaredDeviations, otherTargetSquaredDeviations, _targetSquaredDeviations);
        }

        // δ = mean_b − mean_a, in scratch that the other side never aliases (not even in a.Add(a)).
        var deltaX = _featureScratch.AsSpan(0, d);
        TensorPrimitives.Subtract(otherFeatureMeans, _featureMeans, deltaX);
        if (correction != 0)
        {
            GramKernels.AddUpperOuterProduct(_featureComoments, deltaX, correction);
        }

        for (var t = 0; t < k; t++)
        {
            var deltaY = otherTargetMeans[t] - _targetMeans[t];
            if (correction != 0)
            {
                var scaled = correction * deltaY;
                for (var i = 0; i < d; i++)
                {
                    _crossComoments[i * k + t] += scaled * deltaX[i];
                }

                _targetSquaredDeviations[t] += scaled * deltaY;
            }

            _targetMeans[t] += weightB * deltaY;
        }

        TensorPrimitives.MultiplyAdd(deltaX, weightB, _featureMeans, _featureMeans);
        Count += otherCount;
    }

    private void EnsureScratch(int rows)
    {
        if (rows <= _scratchRows)
        {
            return;
        }

        _packed = new double[GramKernels.PackedLength(rows, FeatureCount)];
        _centredTargets = new double[rows * TargetCount];
        _scratchRows = rows;
    }
}
