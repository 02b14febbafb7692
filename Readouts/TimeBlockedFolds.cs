namespace Reservoir.Readouts;

/// <summary>Assigns rows, counted in time order, to cross-validation folds: contiguous blocks of rows, dealt out round robin.</summary>
/// <remarks>
/// <para>
/// Row r (counted from 0 over all training data, in time order) belongs to fold (r / <see cref="BlockRows"/>) mod
/// <see cref="FoldCount"/>, so every fold holds blocks of consecutive steps from across the whole training period
/// (blocked cross-validation): a validation block is never interleaved with training rows, and a drifting series
/// does not leave one fold validating on a stretch that no training fold saw.
/// </para>
/// <para>
/// The block size rule: with R rows known in advance, a block has R / (4k) rows (integer division), at least 1 and at
/// most <see cref="MaxBlockRows"/>, so each of the k folds gets about four blocks even on short data; when R is not known
/// (rows streamed in chunks), a block has <see cref="MaxBlockRows"/> rows. With one fold every row is in fold 0.
/// </para>
/// <para>
/// These are the folds that <see cref="RidgeCv"/> expects for <see cref="RidgeCvMethod.TimeBlockedKFold"/>: accumulate
/// the rows with <see cref="Accumulate"/> into the accumulators of <see cref="CreateAccumulators"/>, then pass those to
/// <see cref="RidgeCv.Fit"/>. An instance is immutable and thread-safe.
/// </para>
/// </remarks>
public sealed class TimeBlockedFolds
{
    /// <summary>The most consecutive rows kept together in one block.</summary>
    public const int MaxBlockRows = 500;

    /// <summary>Initializes a new instance of the <see cref="TimeBlockedFolds"/> class with the block size rule.</summary>
    /// <param name="foldCount">k, the number of folds, ≥ 1 (1 puts every row in one fold, for a fit without cross-validation).</param>
    /// <param name="rowCount">R, the number of rows that will be assigned, ≥ 0, when known in advance; null (the default) when rows are streamed and R is unknown, which gives blocks of <see cref="MaxBlockRows"/> rows.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="foldCount"/> is below 1, or <paramref name="rowCount"/> is negative.</exception>
    public TimeBlockedFolds(int foldCount, long? rowCount = null)
    {
        if (foldCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(foldCount), foldCount, $"foldCount must be >= 1; was {foldCount}.");
        }

        if (rowCount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rowCount), rowCount, $"rowCount must be >= 0 or null; was {rowCount}.");
        }

        FoldCount = foldCount;
        BlockRows = rowCount is { } rows ? (int)Math.Clamp(rows / (4L * foldCount), 1, MaxBlockRows) : MaxBlockRows;
    }

    /// <summary>Gets k, the number of folds.</summary>
    public int FoldCount { get; }

    /// <summary>Gets the number of consecutive rows in one block (the last block of the data may be shorter).</summary>
    public int BlockRows { get; }

    /// <summary>The fold of a row.</summary>
    /// <param name="row">The row's index in time order over all training data, ≥ 0.</param>
    /// <returns>(row / <see cref="BlockRows"/>) mod <see cref="FoldCount"/>; 0 with one fold.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is negative.</exception>
    public int FoldOf(long row)
    {
        if (row < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"row must be >= 0; was {row}.");
        }

        return FoldCount == 1 ? 0 : (int)(row / BlockRows % FoldCount);
    }

    /// <summary>Creates one empty accumulator per fold.</summary>
    /// <param name="featureCount">The number of features per row, ≥ 1.</param>
    /// <param name="targetCount">The number of targets per row, ≥ 1.</param>
    /// <returns><see cref="FoldCount"/> new accumulators, fold i at index i.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1.</exception>
    public GramAccumulator[] CreateAccumulators(int featureCount, int targetCount)
    {
        var folds = new GramAccumulator[FoldCount];
        for (var i = 0; i < folds.Length; i++)
        {
            folds[i] = new GramAccumulator(featureCount, targetCount);
        }

        return folds;
    }

    /// <summary>Adds consecutive rows to the accumulators of their folds, each run of rows of one block in one call.</summary>
    /// <param name="folds">One accumulator per fold (see <see cref="CreateAccumulators"/>); the rows are added to them.</param>
    /// <param name="firstRow">The index in time order of the first of these rows, ≥ 0.</param>
    /// <param name="features">The feature rows, row-major, <paramref name="rowCount"/> × D.</param>
    /// <param name="targets">The target rows, row-major, <paramref name="rowCount"/> × K.</param>
    /// <param name="rowCount">The number of rows, ≥ 0.</param>
    /// <remarks>With one fold the rows go to fold 0 in one call, so the result equals accumulating them directly.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="folds"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="folds"/> does not hold <see cref="FoldCount"/> accumulators, or a span is shorter than the rows need.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="firstRow"/> or <paramref name="rowCount"/> is negative.</exception>
    public void Accumulate(IReadOnlyList<GramAccumulator> folds, long firstRow, ReadOnlySpan<double> features,
        ReadOnlySpan<double> targets, int rowCount)
    {
        ArgumentNullException.ThrowIfNull(folds);
        if (folds.Count != FoldCount)
        {
            throw new ArgumentException($"folds has {folds.Count} accumulators but there are {FoldCount} folds.", nameof(folds));
        }

        if (firstRow < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(firstRow), firstRow, $"firstRow must be >= 0; was {firstRow}.");
        }

        if (rowCount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rowCount), rowCount, $"rowCount must be >= 0; was {rowCount}.");
        }

        if (rowCount == 0)
        {
            return;
        }

        var d = folds[0].FeatureCount;
        var k = folds[0].TargetCount;
        if (FoldCount == 1)
        {
            folds[0].Accumulate(features[..(rowCount * d)], targets[..(rowCount * k)], rowCount);
            return;
        }

        var offset = 0;
        while (offset < rowCount)
        {
            var row = firstRow + offset;
            var fold = (int)(row / BlockRows % FoldCount);
            var run = (int)Math.Min(rowCount - offset, BlockRows - row % BlockRows);
            folds[fold].Accumulate(features.Slice(offset * d, run * d), targets.Slice(offset * k, run * k), run);
            offset += run;
        }
    }
}
