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
/// <b>Shifted sums.</b> Within one call of <see cref="Accumulate"/>, rows are taken in blocks of up to 1024 and shifted
/// by one fixed vector s (the means so far, or the first block's mean when the accumulator is empty); the shifted
/// cross-products Σ (x − s)(x − s)ᵀ of each block go straight into the running triangle, computed by one blocked,
/// register-tiled SIMD kernel split across the cores (or by <c>cblas_dsyrk</c> and <c>cblas_dgemm</c> when
/// <see cref="LinearAlgebraBackend"/> has a native BLAS), and the shifted sums u = Σ (x − s) are kept. At the end of the
/// call the shift is removed exactly: with p new rows and N = n + p rows in all,
/// Cxx ← Cxx + S − u uᵀ / N when s = x̄ (and the analogous two-term update of Chan, Golub and LeVeque otherwise), so
/// between calls the statistics are always centred. This is stable when the features have a large mean, because
/// each row is shifted by a vector close to its mean before any product is formed: a block whose mean lies more than
/// about one standard deviation (its own) from s is shifted by its own mean instead, after the rows before it are
/// folded in. The same update merges two accumulators (<see cref="Add"/>), so shards or threads can be reduced.
/// The raw Gram matrix needed without an intercept is XᵀX = Cxx + n x̄ x̄ᵀ.
/// </para>
/// <para>
/// The backend (managed or native) is the one <see cref="LinearAlgebraBackend"/> had when the accumulator was created (a native
/// library found automatically is used only if it beat the managed kernels in the process's calibration, and then only from
/// 1500 features on, where it pays); both give the same statistics to about 1e-13 relative. The managed kernels use
/// 512-bit vectors where the processor accelerates them and 256-bit vectors otherwise. Costs: a block of r rows costs r · D · (D + 1)
/// flops for Cxx plus 2 · r · D · K for Cxy; the end of a call costs about D² flops more.
/// </para>
/// <para>
/// Thread safety: an instance is not thread-safe. Use one accumulator per thread and combine them with
/// <see cref="Add"/> (one instance may itself use several cores for one large block). Scratch buffers are allocated
/// on the first block (and when a longer block arrives); later blocks allocate nothing, apart from the small
/// bookkeeping of the parallel loop when a block is large enough to be split across cores.
/// </para>
/// </remarks>
public sealed class GramAccumulator
{
    /// <summary>Largest number of rows processed as one block; longer inputs are split into blocks of this size.</summary>
    /// <remarks>1024 rows of packed features (8 KiB per feature) are processed as four 256-row chunks that fit L2.</remarks>
    internal const int MaxBlockRows = 1024;

    /// <summary>Rows handed to the native BLAS at once for <paramref name="featureCount"/> features: 2 MiB of shifted values, at least 256 and at most 4096 rows.</summary>
    internal static int NativeBlockRows(int featureCount) => Math.Clamp(NativeBlockValues / featureCount, 256, 4096);

    /// <summary>Values (2 MiB) of the shifted copy handed to the native BLAS at once, so that it is still in cache when the BLAS reads it.</summary>
    private const int NativeBlockValues = 1 << 18;

    /// <summary>Largest target count whose cross-products the native path forms while shifting (each row still in L1) instead of with <c>cblas_dgemm</c>.</summary>
    private const int FusedCrossTargets = 8;

    /// <summary>Largest feature count whose D × D comoment matrix fits in one array with int indexing (46340² &lt; 2³¹).</summary>
    internal const int MaxFeatureCount = 46340;

    /// <summary>A block whose shifted column sum u and sum of squares q have u² &gt; this · rows · q is re-shifted by its own mean.</summary>
    /// <remarks>u² ≤ ½ · rows · q means that the block mean lies within one (block) standard deviation of the shift.</remarks>
    private const double SpreadRatio = 0.5;

    private readonly double[] _featureMeans;
    private readonly double[] _targetMeans;
    private readonly double[] _featureComoments;
    private readonly double[] _crossComoments;
    private readonly double[] _targetSquaredDeviations;
    private readonly NativeBlas? _native;
    private readonly GramInstructionSet _instructionSet;

    // The rows of the current call that are already in the comoments, shifted by _featureShift / _targetShift.
    private readonly double[] _featureShift;
    private readonly double[] _targetShift;
    private readonly double[] _pendingFeatureSums;
    private readonly double[] _pendingTargetSums;
    private long _pendingCount;
    private bool _shiftIsMean;

    // Per-block scratch.
    private readonly double[] _blockFeatureSums;
    private readonly double[] _blockFeatureSquares;
    private readonly double[] _blockTargetSums;
    private readonly double[] _blockTargetSquares;
    private readonly double[] _featureScratch;
    private readonly double[] _targetScratch;
    private Memory<double> _shiftedFeatures = Memory<double>.Empty;
    private double[] _shiftedTargets = [];
    private readonly double[] _crossTransposed;
    private int _scratchRows;

    // Set when a fit has factored the comoments in place (see TakeNormalEquations); cleared by Reset.
    private bool _consumed;

    /// <summary>Initializes a new instance of the <see cref="GramAccumulator"/> class with no rows.</summary>
    /// <param name="featureCount">Number of features D per row, ≥ 1 (with a reservoir: state size plus any input and bias columns).</param>
    /// <param name="targetCount">Number of targets K per row, ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="featureCount"/> or <paramref name="targetCount"/> is less than 1, <paramref name="featureCount"/> is
    /// above 46340, or D × K is above <see cref="int.MaxValue"/>.
    /// </exception>
    public GramAccumulator(int featureCount, int targetCount)
        : this(featureCount, targetCount, LinearAlgebraBackend.NativeForGram(featureCount))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GramAccumulator"/> class that uses the given native BLAS, or the managed kernels when it is <see langword="null"/>.</summary>
    internal GramAccumulator(int featureCount, int targetCount, NativeBlas? native)
        : this(featureCount, targetCount, native, GramKernels.BestInstructionSet)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GramAccumulator"/> class with the given native BLAS (or managed kernels when <see langword="null"/>) and managed micro-kernel.</summary>
    internal GramAccumulator(int featureCount, int targetCount, NativeBlas? native, GramInstructionSet instructionSet)
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
        _native = native;
        _instructionSet = instructionSet;
        _featureMeans = new double[featureCount];
        _targetMeans = new double[targetCount];
        _featureComoments = new double[(long)featureCount * featureCount];
        _crossComoments = new double[(long)featureCount * targetCount];
        _targetSquaredDeviations = new double[targetCount];
        var paddedFeatures = GramKernels.PanelCount(featureCount) * GramKernels.PanelWidth;
        _featureShift = new double[featureCount];
        _targetShift = new double[targetCount];
        _pendingFeatureSums = new double[featureCount];
        _pendingTargetSums = new double[targetCount];
        _blockFeatureSums = new double[paddedFeatures];
        _blockFeatureSquares = new double[paddedFeatures];
        _blockTargetSums = new double[targetCount];
        _blockTargetSquares = new double[targetCount];
        _featureScratch = new double[featureCount];
        _targetScratch = new double[targetCount];
        _crossTransposed = native is not null && targetCount <= FusedCrossTargets ? new double[featureCount * targetCount] : [];
    }

    /// <summary>Gets the number of features D per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Gets the number of targets K per row.</summary>
    public int TargetCount { get; }

    /// <summary>Gets the number of rows accumulated so far (including rows merged with <see cref="Add"/>).</summary>
    public long Count { get; private set; }

    /// <summary>Gets a value indicating whether block products go through a native BLAS (fixed when the accumulator is created).</summary>
    internal bool UsesNativeBlas => _native is not null;

    /// <summary>Gets the vector width of the managed micro-kernel (used when <see cref="UsesNativeBlas"/> is false).</summary>
    internal GramInstructionSet InstructionSet => _instructionSet;

    /// <summary>Gets the feature means x̄ (length D); all zero while <see cref="Count"/> is 0.</summary>
    internal ReadOnlySpan<double> FeatureMeans => _featureMeans;

    /// <summary>Gets the target means ȳ (length K); all zero while <see cref="Count"/> is 0.</summary>
    internal ReadOnlySpan<double> TargetMeans => _targetMeans;

    /// <summary>Gets Cxx = Σ (x − x̄)(x − x̄)ᵀ as a row-major D × D matrix of which only the upper triangle (j ≥ i) is valid.</summary>
    internal ReadOnlySpan<double> FeatureComoments => _featureComoments;

    /// <summary>
    /// The normal equations of a least-squares fit as new row-major arrays: the full symmetric D×D matrix Cxx and the
    /// D×K right-hand side Cxy (centred, for a fit with an intercept), or the raw XᵀX and XᵀY (without one).
    /// </summary>
    internal (double[] System, double[] RightHandSide) NormalEquations(bool fitIntercept) =>
        NormalEquations(fitIntercept ? 0.0 : Count);

    /// <summary>
    /// The normal equations Cxx + c·x̄x̄ᵀ (full symmetric D×D) and Cxy + c·x̄ȳᵀ (D×K) as new row-major arrays, for a mean
    /// weight c ≥ 0: 0 gives the centred system, n the raw XᵀX and XᵀY.
    /// </summary>
    internal (double[] System, double[] RightHandSide) NormalEquations(double meanWeight)
    {
        ThrowIfConsumed();
        var system = new double[FeatureCount * FeatureCount];
        return (system, BuildNormalEquations(meanWeight, system));
    }

    /// <summary>
    /// The normal equations as <see cref="NormalEquations(bool)"/> gives them, but with the system built in the accumulator's own
    /// comoment storage (no second D × D array), which the caller then owns and may overwrite (a Cholesky factors it in place).
    /// The right-hand side is a new array. From then on the accumulator is consumed: its public members throw until
    /// <see cref="Reset"/>; its means, count and shape stay readable internally.
    /// </summary>
    /// <remarks>The system holds exactly the values <see cref="NormalEquations(bool)"/> would copy out (the same expression per entry).</remarks>
    internal (double[] System, double[] RightHandSide) TakeNormalEquations(bool fitIntercept) =>
        TakeNormalEquations(fitIntercept ? 0.0 : Count);

    /// <summary>The normal equations as <see cref="NormalEquations(double)"/> gives them for the mean weight c, built in the accumulator's own storage as <see cref="TakeNormalEquations(bool)"/> does.</summary>
    internal (double[] System, double[] RightHandSide) TakeNormalEquations(double meanWeight)
    {
        ThrowIfConsumed();
        var system = _featureComoments;
        _consumed = true;
        return (system, BuildNormalEquations(meanWeight, system));
    }

    /// <summary>
    /// Writes Cxx + c·x̄x̄ᵀ into <paramref name="system"/> (full symmetric, row-major; it may be the comoment storage itself)
    /// and returns Cxy + c·x̄ȳᵀ as a new D × K array.
    /// </summary>
    private double[] BuildNormalEquations(double meanWeight, double[] system)
    {
        var d = FeatureCount;
        var k = TargetCount;
        var n = meanWeight;
        var means = _featureMeans;
        var targetMeans = _targetMeans;
        var comoments = _featureComoments;
        var rightHandSide = new double[d * k];
        for (var i = 0; i < d; i++)
        {
            // Row i's upper part is read before anything below the diagonal of column i is written, and only the
            // upper triangle is ever read, so the comoment storage may be the target.
            for (var j = i; j < d; j++)
            {
                var value = comoments[i * d + j] + n * means[i] * means[j];
                system[i * d + j] = value;
                system[j * d + i] = value;
            }

            for (var t = 0; t < k; t++)
            {
                rightHandSide[i * k + t] = _crossComoments[i * k + t] + n * means[i] * targetMeans[t];
            }
        }

        return rightHandSide;
    }

    /// <summary>Gets a value indicating whether <see cref="RidgeReadout.FitAndConsume"/> has factored the statistics in place since the last <see cref="Reset"/>; if so, the other members throw until <see cref="Reset"/>.</summary>
    public bool IsConsumed => _consumed;

    /// <summary>Gets Cxy = Σ (x − x̄)(y − ȳ)ᵀ as a row-major D × K matrix.</summary>
    internal ReadOnlySpan<double> CrossComoments => _crossComoments;

    /// <summary>Gets Σ (y − ȳ)² per target (length K).</summary>
    internal ReadOnlySpan<double> TargetSquaredDeviations => _targetSquaredDeviations;

    /// <summary>Adds a block of rows to the statistics.</summary>
    /// <param name="features">The rows × <see cref="FeatureCount"/> feature values, row-major; all finite.</param>
    /// <param name="targets">The rows × <see cref="TargetCount"/> target values, row-major; all finite.</param>
    /// <param name="rows">
    /// Number of rows in the block, ≥ 1. Any size is accepted; a call costs about D² flops on top of its rows, so pass
    /// a few hundred rows or more per call when D is large.
    /// </param>
    /// <remarks>The arguments are validated before anything is changed, so a failed call leaves the accumulator as it was.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">The accumulator was consumed by <see cref="RidgeReadout.FitAndConsume"/> (see <see cref="IsConsumed"/>); call <see cref="Reset"/> first.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="features"/> or <paramref name="targets"/> does not hold exactly <paramref name="rows"/> rows, or holds
    /// a NaN or infinite value (the message names its row and column).
    /// </exception>
    public void Accumulate(ReadOnlySpan<double> features, ReadOnlySpan<double> targets, int rows)
    {
        ThrowIfConsumed();
        Guard.AtLeast(rows, 1);
        CheckBlock(features, rows, FeatureCount, nameof(features), nameof(FeatureCount));
        CheckBlock(targets, rows, TargetCount, nameof(targets), nameof(TargetCount));

        var maxRows = _native is null ? MaxBlockRows : NativeBlockRows(FeatureCount);
        EnsureScratch(Math.Min(rows, maxRows));
        for (var start = 0; start < rows; start += maxRows)
        {
            var blockRows = Math.Min(maxRows, rows - start);
            AccumulateBlock(
                features.Slice(start * FeatureCount, blockRows * FeatureCount),
                targets.Slice(start * TargetCount, blockRows * TargetCount),
                blockRows);
        }

        CommitPending();
    }

    /// <summary>Merges the statistics of another accumulator into this one, as if its rows had been accumulated here.</summary>
    /// <param name="other">An accumulator with the same <see cref="FeatureCount"/> and <see cref="TargetCount"/>; it is not changed (it may be this instance).</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="other"/> has a different feature or target count, or it was consumed by <see cref="RidgeReadout.FitAndConsume"/>.</exception>
    /// <exception cref="InvalidOperationException">The accumulator was consumed by <see cref="RidgeReadout.FitAndConsume"/> (see <see cref="IsConsumed"/>); call <see cref="Reset"/> first.</exception>
    public void Add(GramAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        ThrowIfConsumed();
        if (other._consumed)
        {
            throw new ArgumentException(
                "other was consumed by RidgeReadout.FitAndConsume, which factored its statistics in place; it has nothing to merge until it is Reset.",
                nameof(other));
        }

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

        // Between calls both sides hold centred statistics (no pending shifted rows), so Chan's update merges them.
        // Read everything from other before writing, element by element, so that a.Add(a) is correct too.
        var d = FeatureCount;
        var k = TargetCount;
        var countA = (double)Count;
        var countB = (double)other.Count;
        var total = countA + countB;
        var correction = countA * countB / total;
        var weightB = countB / total;

        TensorPrimitives.Add(_featureComoments, other._featureComoments, _featureComoments);
        TensorPrimitives.Add(_crossComoments, other._crossComoments, _crossComoments);
        TensorPrimitives.Add(_targetSquaredDeviations, other._targetSquaredDeviations, _targetSquaredDeviations);

        // δ = mean_b − mean_a, in scratch that the other side never aliases (not even in a.Add(a)).
        var deltaX = _featureScratch.AsSpan(0, d);
        var deltaY = _targetScratch.AsSpan(0, k);
        TensorPrimitives.Subtract(other._featureMeans, _featureMeans, deltaX);
        TensorPrimitives.Subtract(other._targetMeans, _targetMeans, deltaY);
        AddCorrection(deltaX, deltaY, correction);
        TensorPrimitives.MultiplyAdd(deltaX, weightB, _featureMeans, _featureMeans);
        TensorPrimitives.MultiplyAdd(deltaY, weightB, _targetMeans, _targetMeans);
        Count += other.Count;
    }

    /// <summary>Returns a copy of the feature means x̄ (all zero while <see cref="Count"/> is 0).</summary>
    /// <returns>A new array of length <see cref="FeatureCount"/>.</returns>
    /// <exception cref="InvalidOperationException">The accumulator was consumed by <see cref="RidgeReadout.FitAndConsume"/> (see <see cref="IsConsumed"/>); call <see cref="Reset"/> first.</exception>
    public double[] GetFeatureMeans()
    {
        ThrowIfConsumed();
        return (double[])_featureMeans.Clone();
    }

    /// <summary>Returns a copy of the target means ȳ (all zero while <see cref="Count"/> is 0).</summary>
    /// <returns>A new array of length <see cref="TargetCount"/>.</returns>
    /// <exception cref="InvalidOperationException">The accumulator was consumed by <see cref="RidgeReadout.FitAndConsume"/> (see <see cref="IsConsumed"/>); call <see cref="Reset"/> first.</exception>
    public double[] GetTargetMeans()
    {
        ThrowIfConsumed();
        return (double[])_targetMeans.Clone();
    }

    /// <summary>Returns the statistics as one flat array, from which <see cref="FromStatistics"/> rebuilds an accumulator bit for bit (to ship an accumulator between processes).</summary>
    /// <returns>
    /// A new array of <see cref="StatisticsLength"/>(D, K) values: n (exact, as it is below 2⁵³), x̄ (D), ȳ (K), Cxx (D × D, row-major;
    /// the statistics use its upper triangle), Cxy (D × K, row-major) and Σ (y − ȳ)² (K).
    /// </returns>
    /// <exception cref="InvalidOperationException">The accumulator was consumed by <see cref="RidgeReadout.FitAndConsume"/> (see <see cref="IsConsumed"/>); call <see cref="Reset"/> first.</exception>
    public double[] ExportStatistics()
    {
        ThrowIfConsumed();
        var values = new double[StatisticsLength(FeatureCount, TargetCount)];
        var span = values.AsSpan();
        span[0] = Count;
        var offset = 1;
        foreach (var part in (ReadOnlySpan<double[]>)[_featureMeans, _targetMeans, _featureComoments, _crossComoments, _targetSquaredDeviations])
        {
            part.CopyTo(span[offset..]);
            offset += part.Length;
        }

        return values;
    }

    /// <summary>The length of the array of <see cref="ExportStatistics"/> for D features and K targets: 1 + D + K + D² + D·K + K.</summary>
    /// <param name="featureCount">D, ≥ 1.</param>
    /// <param name="targetCount">K, ≥ 1.</param>
    /// <returns>The number of values.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1.</exception>
    public static long StatisticsLength(int featureCount, int targetCount)
    {
        Guard.AtLeast(featureCount, 1);
        Guard.AtLeast(targetCount, 1);
        return 1L + featureCount + targetCount + (long)featureCount * featureCount + (long)featureCount * targetCount + targetCount;
    }

    /// <summary>Rebuilds an accumulator from the array of <see cref="ExportStatistics"/>: it holds exactly the exported statistics (the values are copied).</summary>
    /// <param name="featureCount">D, ≥ 1, as exported.</param>
    /// <param name="targetCount">K, ≥ 1, as exported.</param>
    /// <param name="statistics">The exported values, <see cref="StatisticsLength"/>(D, K) of them.</param>
    /// <returns>A new accumulator on the current <see cref="LinearAlgebraBackend"/>; merging it or solving it gives what the exported one would.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1 or too large (as for the constructor).</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="statistics"/> has the wrong length, a row count that is not a whole number ≥ 0, a value that is not finite, a
    /// negative sum of squares (a diagonal entry of Cxx or a Σ (y − ȳ)²), or non-zero statistics with a row count of 0: nothing an
    /// accumulator can export. Checked before anything of the size of D² is allocated.
    /// </exception>
    public static GramAccumulator FromStatistics(int featureCount, int targetCount, ReadOnlySpan<double> statistics)
    {
        var expected = StatisticsLength(featureCount, targetCount);
        if (statistics.Length != expected)
        {
            throw new ArgumentException(
                $"statistics has {statistics.Length} values but {featureCount} features and {targetCount} targets need {expected}.",
                nameof(statistics));
        }

        var count = statistics[0];
        if (!(count >= 0) || count != Math.Floor(count) || count > (1L << 53))
        {
            throw new ArgumentException($"statistics[0], the row count, must be a whole number in [0, 2^53]; was {Guard.Format(count)}.",
                nameof(statistics));
        }

        Guard.AllFinite(statistics, nameof(statistics));
        CheckExportable(featureCount, targetCount, statistics);
        var accumulator = new GramAccumulator(featureCount, targetCount);
        accumulator.Count = (long)count;
        var offset = 1;
        foreach (var part in (ReadOnlySpan<double[]>)[accumulator._featureMeans, accumulator._targetMeans, accumulator._featureComoments,
                     accumulator._crossComoments, accumulator._targetSquaredDeviations])
        {
            statistics.Slice(offset, part.Length).CopyTo(part);
            offset += part.Length;
        }

        return accumulator;
    }

    /// <summary>Refuses statistics no accumulator exports: a negative sum of squares, or anything non-zero without rows.</summary>
    private static void CheckExportable(int featureCount, int targetCount, ReadOnlySpan<double> statistics)
    {
        if (statistics[0] == 0)
        {
            var nonZero = statistics[1..].IndexOfAnyExcept(0.0);
            if (nonZero >= 0)
            {
                throw new ArgumentException(
                    $"statistics[{nonZero + 1}] is {Guard.Format(statistics[nonZero + 1])} but the row count is 0; statistics without rows are all zero.",
                    nameof(statistics));
            }

            return;
        }

        var comoments = 1 + featureCount + targetCount;
        for (var i = 0; i < featureCount; i++)
        {
            var index = comoments + (long)i * featureCount + i;
            if (statistics[(int)index] < 0)
            {
                throw new ArgumentException(
                    $"statistics[{index}], the sum of squares of feature {i}, is {Guard.Format(statistics[(int)index])}; a sum of squares is never negative.",
                    nameof(statistics));
            }
        }

        var squares = statistics.Length - targetCount;
        for (var k = 0; k < targetCount; k++)
        {
            if (statistics[squares + k] < 0)
            {
                throw new ArgumentException(
                    $"statistics[{squares + k}], the sum of squares of target {k}, is {Guard.Format(statistics[squares + k])}; a sum of squares is never negative.",
                    nameof(statistics));
            }
        }
    }

    /// <summary>Forgets all rows, so that the accumulator (and its scratch buffers) can be reused; this also ends <see cref="IsConsumed"/>.</summary>
    public void Reset()
    {
        _consumed = false;
        Count = 0;
        Array.Clear(_featureMeans);
        Array.Clear(_targetMeans);
        Array.Clear(_featureComoments);
        Array.Clear(_crossComoments);
        Array.Clear(_targetSquaredDeviations);
    }

    private void ThrowIfConsumed()
    {
        if (_consumed)
        {
            throw new InvalidOperationException(
                "This GramAccumulator was consumed by RidgeReadout.FitAndConsume, which factored its statistics in place to save memory; " +
                "call Reset before using it again.");
        }
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

    /// <summary>True when every column's shifted mean lies within about one standard deviation of the block (u² ≤ ½ · rows · q).</summary>
    private static bool WithinSpread(ReadOnlySpan<double> sums, ReadOnlySpan<double> squares, int rows)
    {
        for (var c = 0; c < sums.Length; c++)
        {
            if (sums[c] * sums[c] > SpreadRatio * rows * squares[c])
            {
                return false;
            }
        }

        return true;
    }

    private void AccumulateBlock(ReadOnlySpan<double> features, ReadOnlySpan<double> targets, int rows)
    {
        if (_pendingCount == 0)
        {
            // A new run of shifted rows: shift by the means so far, or by the block's own mean when there are none.
            if (Count > 0)
            {
                _featureMeans.CopyTo(_featureShift, 0);
                _targetMeans.CopyTo(_targetShift, 0);
                _shiftIsMean = true;
            }
            else
            {
                ShiftByBlockMean(features, targets, rows);
            }
        }

        ShiftBlock(features, targets, rows);
        if (!WithinSpread(_blockFeatureSums.AsSpan(0, FeatureCount), _blockFeatureSquares.AsSpan(0, FeatureCount), rows)
            || !WithinSpread(_blockTargetSums, _blockTargetSquares, rows))
        {
            // The block has moved away from the shift: fold in the rows before it and shift it by its own mean, so that
            // no product is formed from values far from their mean.
            CommitPending();
            ShiftByBlockMean(features, targets, rows);
            ShiftBlock(features, targets, rows);
        }

        var d = FeatureCount;
        var k = TargetCount;
        if (_native is { } native)
        {
            native.SyrkUpperTransposed(d, rows, _shiftedFeatures.Span, _featureComoments);
            if (_crossTransposed.Length == 0)
            {
                native.GemmTransposedA(d, k, rows, _shiftedFeatures.Span, _shiftedTargets, _crossComoments);
            }
            else
            {
                for (var i = 0; i < d; i++)
                {
                    for (var t = 0; t < k; t++)
                    {
                        _crossComoments[i * k + t] += _crossTransposed[t * d + i];
                    }
                }
            }
        }
        else
        {
            GramKernels.AccumulateUpperGram(_shiftedFeatures, rows, d, _featureComoments, Environment.ProcessorCount, _instructionSet);
            GramKernels.AccumulateCross(_shiftedFeatures.Span, rows, d, _shiftedTargets, k, _crossComoments, _instructionSet);
        }

        TensorPrimitives.Add(_targetSquaredDeviations, _blockTargetSquares, _targetSquaredDeviations);
        TensorPrimitives.Add(_pendingFeatureSums, _blockFeatureSums.AsSpan(0, d), _pendingFeatureSums);
        TensorPrimitives.Add(_pendingTargetSums, _blockTargetSums, _pendingTargetSums);
        _pendingCount += rows;
    }

    /// <summary>Starts a run of shifted rows whose shift is the block's own mean.</summary>
    private void ShiftByBlockMean(ReadOnlySpan<double> features, ReadOnlySpan<double> targets, int rows)
    {
        GramKernels.ColumnMeans(features, rows, FeatureCount, _featureShift, _featureScratch);
        GramKernels.ColumnMeans(targets, rows, TargetCount, _targetShift, _targetScratch);
        _shiftIsMean = false;
    }

    /// <summary>Writes the block minus the shift in the layout of the backend, with its shifted sums and sums of squares.</summary>
    private void ShiftBlock(ReadOnlySpan<double> features, ReadOnlySpan<double> targets, int rows)
    {
        var d = FeatureCount;
        var k = TargetCount;
        Array.Clear(_blockFeatureSums);
        Array.Clear(_blockFeatureSquares);
        Array.Clear(_blockTargetSums);
        Array.Clear(_blockTargetSquares);
        GramKernels.Shift(targets, rows, k, _targetShift, _shiftedTargets, _blockTargetSums, _blockTargetSquares);
        if (_native is null)
        {
            GramKernels.Pack(features, rows, d, _featureShift, _shiftedFeatures.Span, _blockFeatureSums, _blockFeatureSquares,
                Environment.ProcessorCount);
        }
        else if (_crossTransposed.Length == 0)
        {
            GramKernels.Shift(features, rows, d, _featureShift, _shiftedFeatures.Span, _blockFeatureSums, _blockFeatureSquares);
        }
        else
        {
            Array.Clear(_crossTransposed);
            GramKernels.ShiftAndCross(features, rows, d, _featureShift, _shiftedFeatures.Span, _blockFeatureSums,
                _blockFeatureSquares, _shiftedTargets, k, _crossTransposed);
        }
    }

    /// <summary>Removes the shift from the pending rows: the statistics become centred again, over all rows.</summary>
    /// <remarks>
    /// With n rows before (mean m, comoments C), p pending rows shifted by s (sums u, shifted products S already added to
    /// C) and N = n + p: the pending mean is s + u/p, their own comoments are S − u uᵀ/p, and Chan's update adds
    /// (n p / N) δ δᵀ with δ = s + u/p − m. When s = m the two terms combine into −u uᵀ/N.
    /// </remarks>
    private void CommitPending()
    {
        if (_pendingCount == 0)
        {
            return;
        }

        var d = FeatureCount;
        var k = TargetCount;
        var n = (double)Count;
        var p = (double)_pendingCount;
        var total = n + p;
        var u = _pendingFeatureSums.AsSpan();
        var v = _pendingTargetSums.AsSpan();
        if (_shiftIsMean)
        {
            AddCorrection(u, v, -1.0 / total);
            TensorPrimitives.MultiplyAdd(u, 1.0 / total, _featureMeans, _featureMeans);
            TensorPrimitives.MultiplyAdd(v, 1.0 / total, _targetMeans, _targetMeans);
        }
        else
        {
            AddCorrection(u, v, -1.0 / p);
            var deltaX = _featureScratch.AsSpan(0, d);
            var deltaY = _targetScratch.AsSpan(0, k);
            TensorPrimitives.MultiplyAdd(u, 1.0 / p, _featureShift, deltaX);
            TensorPrimitives.MultiplyAdd(v, 1.0 / p, _targetShift, deltaY);
            if (Count == 0)
            {
                deltaX.CopyTo(_featureMeans);
                deltaY.CopyTo(_targetMeans);
            }
            else
            {
                TensorPrimitives.Subtract(deltaX, _featureMeans, deltaX);
                TensorPrimitives.Subtract(deltaY, _targetMeans, deltaY);
                AddCorrection(deltaX, deltaY, n * p / total);
                TensorPrimitives.MultiplyAdd(deltaX, p / total, _featureMeans, _featureMeans);
                TensorPrimitives.MultiplyAdd(deltaY, p / total, _targetMeans, _targetMeans);
            }
        }

        Count += _pendingCount;
        _pendingCount = 0;
        Array.Clear(_pendingFeatureSums);
        Array.Clear(_pendingTargetSums);
    }

    /// <summary>Adds scale · a aᵀ to Cxx (upper), scale · a bᵀ to Cxy and scale · b² to Σ (y − ȳ)².</summary>
    private void AddCorrection(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double scale)
    {
        if (scale == 0)
        {
            return;
        }

        var d = FeatureCount;
        var k = TargetCount;
        GramKernels.AddUpperOuterProduct(_featureComoments, a, scale);
        for (var i = 0; i < d; i++)
        {
            var row = _crossComoments.AsSpan(i * k, k);
            TensorPrimitives.MultiplyAdd(b, scale * a[i], row, row);
        }

        for (var t = 0; t < k; t++)
        {
            _targetSquaredDeviations[t] += scale * b[t] * b[t];
        }
    }

    private void EnsureScratch(int rows)
    {
        if (rows <= _scratchRows)
        {
            return;
        }

        _shiftedFeatures = GramKernels.AllocateAligned(_native is null
            ? GramKernels.PackedLength(rows, FeatureCount)
            : rows * FeatureCount);
        _shiftedTargets = new double[rows * TargetCount];
        _scratchRows = rows;
    }
}
