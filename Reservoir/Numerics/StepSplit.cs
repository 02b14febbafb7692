namespace Reservoir.Numerics;

/// <summary>One step of a set of states split in two: part 0 computes the rows before each updated module's split unit, part 1 the rest.</summary>
/// <remarks>Created once per <see cref="StateColumns"/> (on its first split step) and reused, so split steps allocate nothing.</remarks>
internal sealed class StepSplit : SplitWork
{
    private readonly StateColumns _state;
    private readonly double[] _inputs;
    private readonly double[] _feedback;
    private int _width;

    internal StepSplit(StateColumns state)
    {
        _state = state;
        _inputs = new double[state.Inputs.Length];
        _feedback = new double[state.Feedback.Length];
    }

    /// <summary>Copies the step's inputs and fed-back outputs (spans cannot cross to the worker thread) and sets the columns computed.</summary>
    internal void Prepare(ReadOnlySpan<double> inputs, ReadOnlySpan<double> feedback, int width)
    {
        inputs.CopyTo(_inputs);
        feedback.CopyTo(_feedback);
        _width = width;
    }

    internal override void Execute(int part)
    {
        var reservoir = _state.Owner;
        var starts = reservoir.ModuleStarts;
        var splits = reservoir.ModuleSplits;
        var stepCount = _state.StepCount;
        for (var m = 0; m < reservoir.ModuleCount; m++)
        {
            if (!reservoir.ModuleUpdates(m, stepCount))
            {
                continue;
            }

            var start = part == 0 ? starts[m] : splits[m];
            var end = part == 0 ? splits[m] : starts[m + 1];
            if (start < end)
            {
                StepEngine.ComputeUnits(_state, _inputs, _feedback, start, end, _width);
            }
        }
    }
}
