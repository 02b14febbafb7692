using Reservoir.Readouts;

namespace Reservoir.Pipelines;

/// <summary>Readout statistics split into cross-validation folds: rows go to folds in contiguous blocks, round robin.</summary>
/// <remarks>
/// Row r (counted over all training sequences, after washout) belongs to fold (r / blockRows) mod k,
/// so every fold holds blocks of consecutive steps from across the whole training period (blocked cross-validation).
/// With one fold this is a plain accumulator.
/// </remarks>
internal sealed class TrainingAccumulation
{
    /// <summary>Consecutive rows kept together in one fold, unless the data are too short for it.</summary>
    internal const int BlockRows = 500;

    /// <summary>States per streamed block: large enough for the Gram product to use both cores.</summary>
    internal const int StreamRows = 1024;

    private readonly int _blockRows;

    internal TrainingAccumulation(int featureCount, int targetCount, int foldCount, int blockRows)
    {
        // With one fold the blocks do not matter: keep the Gram products as large as the streamed blocks.
        _blockRows = foldCount == 1 ? int.MaxValue : blockRows;
        Folds = new GramAccumulator[foldCount];
        for (var i = 0; i < foldCount; i++)
        {
            Folds[i] = new GramAccumulator(featureCount, targetCount);
        }
    }

    internal GramAccumulator[] Folds { get; }

    internal long RowCount { get; private set; }

    /// <summary>A new, empty accumulation with the same shape.</summary>
    internal TrainingAccumulation CreateEmpty() =>
        new(Folds[0].FeatureCount, Folds[0].TargetCount, Folds.Length, _blockRows);

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
    }

    /// <summary>All folds merged into one accumulator.</summary>
    internal GramAccumulator Merged()
    {
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
    /// Runs the reservoir over one chunk of a sequence and adds the feature rows [u; x] with their targets,
    /// skipping the first <paramref name="skipSteps"/> steps; <paramref name="firstRow"/> is the global index
    /// of the first kept row (it decides the folds). Returns the number of rows added.
    /// </summary>
    internal long AccumulateChunk(EchoStateReservoir reservoir, ReservoirState state, double[,] inputs, double[,] targets,
        FeatureLayout layout, int skipSteps, long firstRow)
    {
        var n = reservoir.UnitCount;
        var d = reservoir.InputDimension;
        var k = targets.GetLength(1);
        var featureCount = layout.Width;
        var steps = inputs.GetLength(0);
        var features = new double[Math.Min(StreamRows, steps) * featureCount];
        var teacher = reservoir.FeedbackDimension > 0 ? targets : null;
        var foldCount = Folds.Length;
        long added = 0;
        reservoir.RunStreamed(state, inputs, (in StateBlock block) =>
        {
            var start = Math.Max(0, skipSteps - block.FirstStep);
            if (start >= block.RowCount)
            {
                return;
            }

            var rows = block.RowCount - start;
            var z = features.AsSpan(0, rows * featureCount);
            for (var r = 0; r < rows; r++)
            {
                layout.Fill(z.Slice(r * featureCount, featureCount), block.Inputs.Slice((start + r) * d, d),
                    block.States.Slice((start + r) * n, n));
            }

            var y = targets.AsSpan().Slice((block.FirstStep + start) * k, rows * k);
            var offset = 0;
            while (offset < rows)
            {
                var row = firstRow + added + offset;
                var fold = (int)(row / _blockRows % foldCount);
                var run = (int)Math.Min(rows - offset, _blockRows - row % _blockRows);
                Folds[fold].Accumulate(z.Slice(offset * featureCount, run * featureCount), y.Slice(offset * k, run * k), run);
                offset += run;
            }

            added += rows;
        }, 0, teacher, StreamRows);
        RowCount += added;
        return added;
    }
}
