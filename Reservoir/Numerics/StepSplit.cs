namespace Reservoir.Numerics;

/// <summary>
/// One step of a set of states split in two: part 0 computes the rows before each updated module's split unit, part 1 the
/// rest, and a part that finishes first takes over what the other has not started.
/// </summary>
/// <remarks>
/// <para>
/// Each half of each module is cut into <see cref="PiecesPerPart"/> pieces of about equal work (the cost
/// <see cref="EchoStateReservoir.ModuleSplits"/> halves). Part 0 claims pieces from the first on, part 1 from the last
/// back, each piece once (an atomic flag); a part stops at the first piece the other has claimed, since everything beyond
/// it is the other's. With both threads running, each computes its own half, as without pieces; when one is descheduled
/// (a shared machine) the other waits at most for the piece in hand rather than for a whole half. Pieces write disjoint
/// rows and every row is computed the same way whichever thread takes it, so the results never depend on the division.
/// </para>
/// <para>Created once per <see cref="StateColumns"/> (on its first split step) and reused, so split steps allocate nothing.</para>
/// </remarks>
internal sealed class StepSplit : SplitWork
{
    /// <summary>The pieces each half of a module is cut into.</summary>
    internal const int PiecesPerPart = 4;

    private const int Pieces = 2 * PiecesPerPart;

    /// <summary>The cost of a unit besides its stored weights, as <see cref="EchoStateReservoir.ModuleSplits"/> counts it.</summary>
    private const int PerUnitCost = 8;

    private readonly StateColumns _state;
    private readonly double[] _inputs;
    private readonly double[] _feedback;
    private readonly int[] _cuts;
    private readonly int[] _claimed = new int[Pieces];
    private int _width;

    internal StepSplit(StateColumns state)
    {
        _state = state;
        _inputs = new double[state.Inputs.Length];
        _feedback = new double[state.Feedback.Length];
        _cuts = Cuts(state.Owner);
    }

    /// <summary>Copies the step's inputs and fed-back outputs (spans cannot cross to the worker thread), sets the columns computed and makes every piece unclaimed.</summary>
    internal void Prepare(ReadOnlySpan<double> inputs, ReadOnlySpan<double> feedback, int width)
    {
        inputs.CopyTo(_inputs);
        feedback.CopyTo(_feedback);
        _width = width;
        Array.Clear(_claimed);
    }

    internal override void Execute(int part)
    {
        for (var taken = 0; taken < Pieces; taken++)
        {
            var piece = part == 0 ? taken : Pieces - 1 - taken;
            if (Interlocked.Exchange(ref _claimed[piece], 1) != 0)
            {
                return;
            }

            Compute(piece);
        }
    }

    /// <summary>Module m's piece p is units [cuts[m·(P + 1) + p], cuts[m·(P + 1) + p + 1]) with P pieces; pieces 0 to P/2 − 1 end at the module's split unit.</summary>
    internal static int[] Cuts(EchoStateReservoir reservoir)
    {
        var starts = reservoir.ModuleStarts;
        var splits = reservoir.ModuleSplits;
        var cuts = new int[reservoir.ModuleCount * (Pieces + 1)];
        for (var m = 0; m < reservoir.ModuleCount; m++)
        {
            var offset = m * (Pieces + 1);
            CutEvenly(reservoir, starts[m], splits[m], cuts.AsSpan(offset, PiecesPerPart + 1));
            CutEvenly(reservoir, splits[m], starts[m + 1], cuts.AsSpan(offset + PiecesPerPart, PiecesPerPart + 1));
        }

        return cuts;
    }

    private static void CutEvenly(EchoStateReservoir reservoir, int start, int end, Span<int> cuts)
    {
        long total = 0;
        for (var row = start; row < end; row++)
        {
            total += RowCost(reservoir, row);
        }

        var pieces = cuts.Length - 1;
        cuts[0] = start;
        cuts[pieces] = end;
        var unit = start;
        long done = 0;
        for (var p = 1; p < pieces; p++)
        {
            while (unit < end && (done + RowCost(reservoir, unit)) * pieces <= total * p)
            {
                done += RowCost(reservoir, unit);
                unit++;
            }

            cuts[p] = unit;
        }
    }

    private static long RowCost(EchoStateReservoir reservoir, int row) => reservoir.RowWeights(row) + PerUnitCost;

    private void Compute(int piece)
    {
        var reservoir = _state.Owner;
        var stepCount = _state.StepCount;
        for (var m = 0; m < reservoir.ModuleCount; m++)
        {
            if (!reservoir.ModuleUpdates(m, stepCount))
            {
                continue;
            }

            var start = _cuts[m * (Pieces + 1) + piece];
            var end = _cuts[m * (Pieces + 1) + piece + 1];
            if (start < end)
            {
                StepEngine.ComputeUnits(_state, _inputs, _feedback, start, end, _width);
            }
        }
    }
}
