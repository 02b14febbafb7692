namespace Reservoir.Numerics;

/// <summary>One step of one state split in two: part 0 computes the rows before each updated module's split unit, part 1 the rest.</summary>
/// <remarks>Created once per state (on its first split step) and reused, so split steps allocate nothing.</remarks>
internal sealed class StepSplit : SplitWork
{
    private readonly EchoStateReservoir _reservoir;
    private readonly ReservoirState _state;
    private readonly double[] _input;
    private readonly double[] _feedback;
    private int _feedbackLength;
    private SparseKernel _kernel;

    internal StepSplit(EchoStateReservoir reservoir, ReservoirState state)
    {
        _reservoir = reservoir;
        _state = state;
        _input = new double[reservoir.InputDimension];
        _feedback = new double[reservoir.FeedbackDimension];
    }

    /// <summary>Copies the step's input and feedback (spans cannot cross to the worker thread) and sets the kernel.</summary>
    internal void Prepare(ReadOnlySpan<double> input, ReadOnlySpan<double> feedback, SparseKernel kernel)
    {
        input.CopyTo(_input);
        feedback.CopyTo(_feedback);
        _feedbackLength = feedback.Length;
        _kernel = kernel;
    }

    internal override void Execute(int part)
    {
        var reservoir = _reservoir;
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
                ReservoirKernels.ComputeUnits(reservoir, _state, _input, _feedback.AsSpan(0, _feedbackLength), start, end, _kernel);
            }
        }
    }
}
