namespace Reservoir.Pipelines;

/// <summary>The fit's reservoir run overlapped with its Gram accumulation: the reservoir computes block k + 1 while block k is accumulated.</summary>
/// <remarks>
/// The blocks go through <see cref="StatePipeline"/> (two reusable buffers of <see cref="TrainingAccumulation.StreamRows"/> × N
/// states), and each is added exactly as the sequential fit adds it, so the statistics, and the readout, are bit-identical.
/// </remarks>
internal static class PipelinedFit
{
    /// <summary>For tests: forces the pipelined (true) or the sequential (false) fit on this logical flow; null lets <see cref="Applies"/> decide.</summary>
    internal static readonly AsyncLocal<bool?> Override = new();

    /// <summary>Whether a run of <paramref name="keptRows"/> rows after the washout on <paramref name="unitCount"/> units is pipelined.</summary>
    internal static bool Applies(int unitCount, int keptRows)
    {
        if (Override.Value is { } forced)
        {
            return forced;
        }

        return Environment.ProcessorCount >= 2 && keptRows >= 2 * TrainingAccumulation.StreamRows && unitCount > 0;
    }

    /// <summary>Runs the reservoir from <paramref name="state"/> over <paramref name="inputs"/> on a worker thread and adds its blocks to <paramref name="into"/> on this one.</summary>
    internal static void Accumulate(EchoStateReservoir reservoir, ReservoirState state, double[,] inputs, double[,] targets, int skipSteps,
        long firstRow, TrainingAccumulation into, FeatureLayout layout, double[] features)
    {
        var n = reservoir.UnitCount;
        var d = reservoir.InputDimension;
        var blockRows = Math.Min(TrainingAccumulation.StreamRows, inputs.GetLength(0));
        var teacher = reservoir.FeedbackDimension > 0 ? targets : null;
        StatePipeline.Run(blockRows * n,
            emit => reservoir.RunStreamed(state, inputs, (in StateBlock block) => emit(block.FirstStep, block.RowCount, block.States),
                0, teacher, TrainingAccumulation.StreamRows),
            (firstStep, rowCount, states) => into.Add(firstStep, rowCount, states, inputs.AsSpan().Slice(firstStep * d, rowCount * d),
                targets, layout, skipSteps, firstRow, features));
    }
}
