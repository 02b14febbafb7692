using System.Diagnostics;
using System.Numerics.Tensors;

namespace Reservoir.Numerics;

/// <summary>
/// The one step of the reservoir dynamics, for B ≥ 1 sequences at once (<see cref="StateColumns"/>): every term of the
/// update is written here once, on the primitives of <see cref="ReservoirKernels"/>.
/// </summary>
/// <remarks>
/// <para>
/// For the units of every module updated at step t: pre = b + W_in·u + W_fb·y, then + W·x(t−1), then + W_skip,d·x(t−d)
/// for each skip connection in order; f = activation(pre); c = x, or c = C·x(t−1) with a carry matrix C (the
/// edge-of-stability update, <see cref="ReservoirKernels.CarryState"/>); next = c + α·(f − c) (or f when every α is 1). Units of a
/// clockwork module that does not update hold their value. Then each active sequence adds its noise, drawn from its own
/// stream in unit order, module by module; a step whose new state is not finite is not committed; otherwise the new
/// block becomes current and is recorded in the delay ring buffer.
/// </para>
/// <para>
/// Column b of a block evolves bit-identically to one sequence stepped alone with the same noise stream: the primitives
/// keep, per column, the same operations in the same order (the summation contract of <see cref="ReservoirKernels"/>).
/// A large step may be split over two threads (<see cref="StepWorker"/>): each updated module is cut at the unit that
/// halves its work and the halves write disjoint rows; the noise is drawn afterwards on the calling thread, so the
/// result does not depend on the split.
/// </para>
/// </remarks>
internal static class StepEngine
{
    /// <summary>Advances the active sequences of <paramref name="state"/> by one step.</summary>
    /// <param name="state">The states.</param>
    /// <param name="inputs">u, D rows of the state's stride (for one sequence: the D inputs).</param>
    /// <param name="feedback">y, F rows of the state's stride (for one sequence: the F fed-back values; empty without feedback).</param>
    /// <param name="allowSplit">False keeps the step on the calling thread (used inside runs that are already parallel).</param>
    /// <returns>−1; or, when an active sequence's new state sums to a non-finite value, its column, and the states are left at the previous step.</returns>
    internal static int Step(StateColumns state, ReadOnlySpan<double> inputs, ReadOnlySpan<double> feedback, bool allowSplit)
    {
        var reservoir = state.Owner;
        Debug.Assert(inputs.Length == reservoir.InputDimension * state.Stride
            && feedback.Length == reservoir.FeedbackDimension * state.Stride);
        var t = state.StepCount;
        var width = state.Width;
        var modules = reservoir.ModuleCount;
        var starts = reservoir.ModuleStarts;
        if (reservoir.SingleWeights is not null)
        {
            SingleKernels.Prepare(state, inputs, feedback);
        }

        if (allowSplit && StepWorker.ShouldSplit(state.Threads, UpdatedNonZeros(reservoir, t) * width))
        {
            var split = state.Split;
            split.Prepare(inputs, feedback, width);
            StepWorker.Execute(split);
        }
        else
        {
            for (var module = 0; module < modules; module++)
            {
                if (reservoir.ModuleUpdates(module, t))
                {
                    ComputeUnits(state, inputs, feedback, starts[module], starts[module + 1], width);
                }
            }
        }

        var stride = state.Stride;
        var next = state.Next;
        for (var module = 0; module < modules; module++)
        {
            if (!reservoir.ModuleUpdates(module, t))
            {
                var rows = (starts[module] * stride)..(starts[module + 1] * stride);
                state.Current[rows].CopyTo(next[rows]);
            }
        }

        var amplitude = reservoir.StateNoise;
        if (amplitude > 0)
        {
            for (var column = 0; column < state.ActiveCount; column++)
            {
                ref var noise = ref state.Noise(column);
                for (var module = 0; module < modules; module++)
                {
                    if (!reservoir.ModuleUpdates(module, t))
                    {
                        continue;
                    }

                    for (var i = starts[module]; i < starts[module + 1]; i++)
                    {
                        next[i * stride + column] += amplitude * noise.NextSymmetric();
                    }
                }
            }
        }

        var diverged = FirstNonFinite(state, width);
        if (diverged < 0)
        {
            state.Commit();
        }

        return diverged;
    }

    /// <summary>
    /// The pre-activation, activation and leaky update of units [start, end) for columns [0, width), without the noise:
    /// reads the current block, writes the next one and uses the pre-activation block as scratch.
    /// </summary>
    /// <remarks>Disjoint unit ranges touch disjoint rows of the blocks, so two threads may run two ranges at once.</remarks>
    internal static void ComputeUnits(StateColumns state, ReadOnlySpan<double> inputs, ReadOnlySpan<double> feedback,
        int start, int end, int width)
    {
        var reservoir = state.Owner;
        if (reservoir.SingleWeights is { } single)
        {
            SingleKernels.ComputeUnits(state, single, start, end, width);
            return;
        }

        var stride = state.Stride;
        var x = state.Current;
        var pre = state.PreActivation;
        ReservoirKernels.AffineTerms(reservoir.Bias, reservoir.InputColumns, inputs, reservoir.FeedbackColumns, feedback,
            pre, stride, width, start, end);
        ReservoirKernels.SparseMultiplyAdd(reservoir.CompactRecurrent, x, pre, stride, width, start, end);
        var skips = reservoir.CompactSkips;
        for (var s = 0; s < skips.Length; s++)
        {
            ReservoirKernels.SparseMultiplyAdd(skips[s], state.Delayed(reservoir.SkipDelays[s]), pre, stride, width, start, end);
        }

        ReadOnlySpan<double> carried = x;
        if (reservoir.ComputesCarry)
        {
            ReservoirKernels.CarryState(reservoir.CompactCarry!, x, state.Carried, stride, width, start, end);
            carried = state.Carried;
        }

        ReservoirKernels.ActivateAndLeak(reservoir.Activation, reservoir.HasUnitLeakRates ? reservoir.LeakRates : default,
            pre, carried, state.Next, stride, width, start, end);
    }

    /// <summary>The stored weights (W, every W_skip and a computed carry C) in the rows of the modules updated at the step after <paramref name="stepCount"/>.</summary>
    private static long UpdatedNonZeros(EchoStateReservoir reservoir, long stepCount)
    {
        var nonZeros = reservoir.ModuleNonZeros;
        long total = 0;
        for (var module = 0; module < nonZeros.Length; module++)
        {
            if (reservoir.ModuleUpdates(module, stepCount))
            {
                total += nonZeros[module];
            }
        }

        return total;
    }

    /// <summary>The first active column whose next state sums to a non-finite value, or −1.</summary>
    private static int FirstNonFinite(StateColumns state, int width)
    {
        var next = state.Next;
        if (state.Stride == 1)
        {
            return double.IsFinite(TensorPrimitives.Sum(next)) ? -1 : 0;
        }

        var stride = state.Stride;
        var sums = state.ColumnSums.AsSpan(0, width);
        ReservoirKernels.ColumnSums(next, stride, state.Owner.UnitCount, sums);
        for (var column = 0; column < state.ActiveCount; column++)
        {
            if (!double.IsFinite(sums[column]))
            {
                return column;
            }
        }

        return -1;
    }
}
