namespace Reservoir.Pipelines;

/// <summary>The fit's reservoir run overlapped with its Gram accumulation: the reservoir computes block k + 1 while block k is accumulated.</summary>
/// <remarks>
/// <para>
/// The blocks go through <see cref="StatePipeline"/> (two reusable buffers of <see cref="TrainingAccumulation.StreamRows"/> × N
/// states), and each is added exactly as the sequential fit adds it, so the statistics, and the readout, are bit-identical.
/// </para>
/// <para>
/// Only on machines of <see cref="MinProcessorCount"/> or more processors. The step of a large reservoir already runs on two
/// threads and the Gram product on every processor, so on two processors the overlap has no free core to use: measured on a
/// two-core machine (docs/BENCHMARKS.md, 2026-12-07), the pipelined fit was not faster than the sequential one. With four or
/// more (not measured here), the step's two threads leave cores for the Gram.
/// </para>
/// </remarks>
internal static class PipelinedFit
{
    /// <summary>For tests: forces the pipelined (true) or the sequential (false) fit on this logical flow; null lets <see cref="Applies"/> decide.</summary>
    internal static readonly AsyncLocal<bool?> Override = new();

    /// <summary>The fewest processors on which the fit is pipelined: the step's two threads plus at least two for the Gram.</summary>
    internal const int MinProcessorCount = 4;

    /// <summary>Whether a run of <paramref name="keptRows"/> rows after the washout on <paramref name="unitCount"/> units is pipelined: at least two blocks, on <see cref="MinProcessorCount"/> processors or more.</summary>
    internal static bool Applies(int unitCount, int keptRows)
    {
        if (Override.Value is { } forced)
        {
            return forced;
        }

        return Environment.ProcessorCount >= MinProcessorCount && keptRows >= 2 * TrainingAccumulation.StreamRows && unitCount > 0;
    }

    /// <summary>Runs the reservoir from <paramref name="state"/> over <paramref name="inputs"/> on a worker thread and adds its blocks to <paramref name="into"/> on this one.</summary>
    internal static void Accumulate(ComposedReservoir reservoir, ComposedReservoirState state, double[,] inputs, double[,] targets, int skipSteps,
        long firstRow, TrainingAccumulation into, FeatureLayout layout, double[] features)
    {
        var n = reservoir.StateWidth;
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
