using Reservoir.Readouts;

namespace Reservoir.Pipelines;

/// <summary>Readout statistics split into the cross-validation folds of a <see cref="TimeBlockedFolds"/> (one fold: a plain accumulator).</summary>
internal sealed class TrainingAccumulation
{
    /// <summary>States per streamed block: large enough for the Gram product to use both cores.</summary>
    internal const int StreamRows = 1024;

    private readonly TimeBlockedFolds _assignment;

    internal TrainingAccumulation(int featureCount, int targetCount, TimeBlockedFolds assignment)
    {
        _assignment = assignment;
        Folds = assignment.CreateAccumulators(featureCount, targetCount);
    }

    internal GramAccumulator[] Folds { get; }

    /// <summary>An accumulation rebuilt from its parts (the folds are taken, not copied), as a shard's statistics arrive from elsewhere.</summary>
    internal static TrainingAccumulation FromParts(TimeBlockedFolds assignment, GramAccumulator[] folds, long rowCount, long stateValueCount,
        long saturatedCount, double maxAbsState) =>
        new(assignment, folds)
        {
            RowCount = rowCount,
            StateValueCount = stateValueCount,
            SaturatedCount = saturatedCount,
            MaxAbsState = maxAbsState,
        };

    private TrainingAccumulation(TimeBlockedFolds assignment, GramAccumulator[] folds)
    {
        _assignment = assignment;
        Folds = folds;
    }


    internal int TargetCount => Folds[0].TargetCount;

    internal long RowCount { get; private set; }

    /// <summary>The number of state values seen in the kept rows (rows × N).</summary>
    internal long StateValueCount { get; private set; }

    /// <summary>How many of them had |x| ≥ <see cref="EchoStateNetwork.SaturationThreshold"/>.</summary>
    internal long SaturatedCount { get; private set; }

    /// <summary>The largest |x| seen in the kept rows.</summary>
    internal double MaxAbsState { get; private set; }

    /// <summary>A new, empty accumulation with the same shape and folds.</summary>
    internal TrainingAccumulation CreateEmpty() => new(Folds[0].FeatureCount, Folds[0].TargetCount, _assignment);

    /// <summary>Adds another accumulation's statistics fold by fold.</summary>
    internal void Add(TrainingAccumulation other)
    {
        for (var i = 0; i < Folds.Length; i++)
        {
            if (other.Folds[i].Count > 0)
            {
                Folds[i].Add(other.Folds[i]);
            }
        }

        RowCount += other.RowCount;
        StateValueCount += other.StateValueCount;
        SaturatedCount += other.SaturatedCount;
        MaxAbsState = Math.Max(MaxAbsState, other.MaxAbsState);
    }

    /// <summary>All folds merged into one accumulator: the only fold itself when there is one (merging it into an empty accumulator would copy it exactly), else a new one.</summary>
    internal GramAccumulator Merged()
    {
        if (Folds.Length == 1)
        {
            return Folds[0];
        }

        var merged = new GramAccumulator(Folds[0].FeatureCount, Folds[0].TargetCount);
        foreach (var fold in Folds)
        {
            if (fold.Count > 0)
            {
                merged.Add(fold);
            }
        }

        return merged;
    }

    /// <summary>
    /// Adds the feature rows [u; x] of one streamed block with their targets, leaving out the steps before
    /// <paramref name="skipSteps"/>; <paramref name="firstRow"/> is the index over all training data of the sequence's
    /// first kept row (it decides the folds). <paramref name="features"/> is scratch of at least the block's rows × width.
    /// </summary>
    internal void Add(in StateBlock block, double[,] targets, FeatureLayout layout, int skipSteps, long firstRow, double[] features) =>
        Add(block.FirstStep, block.RowCount, block.States, block.Inputs, targets, layout, skipSteps, firstRow, features);

    /// <summary>
    /// As <see cref="Add(in StateBlock, double[,], FeatureLayout, int, long, double[])"/>, for a block given by its parts:
    /// rows <paramref name="firstStep"/> … of the sequence, <paramref name="blockStates"/> (rows × N) and <paramref name="blockInputs"/> (rows × D).
    /// </summary>
    internal void Add(int firstStep, int rowCount, ReadOnlySpan<double> blockStates, ReadOnlySpan<double> blockInputs, double[,] targets,
        FeatureLayout layout, int skipSteps, long firstRow, double[] features)
    {
        var start = Math.Max(0, skipSteps - firstStep);
        if (start >= rowCount)
        {
            return;
        }

        var n = blockStates.Length / rowCount;
        var d = blockInputs.Length / rowCount;
        var k = targets.GetLength(1);
        var featureCount = layout.Width;
        var rows = rowCount - start;
        var z = features.AsSpan(0, rows * featureCount);
        for (var r = 0; r < rows; r++)
        {
            layout.Fill(z.Slice(r * featureCount, featureCount), blockInputs.Slice((start + r) * d, d),
                blockStates.Slice((start + r) * n, n));
        }

        var y = targets.AsSpan().Slice((firstStep + start) * k, rows * k);
        var row = firstRow + (firstStep + start - skipSteps);
        _assignment.Accumulate(Folds, row, z, y, rows);
        RowCount += rows;
        var states = blockStates.Slice(start * n, rows * n);
        var saturated = 0L;
        var max = MaxAbsState;
        foreach (var x in states)
        {
            var magnitude = Math.Abs(x);
            saturated += magnitude >= EchoStateNetwork.SaturationThreshold ? 1 : 0;
            max = Math.Max(max, magnitude);
        }

        StateValueCount += states.Length;
        SaturatedCount += saturated;
        MaxAbsState = max;
    }
}
