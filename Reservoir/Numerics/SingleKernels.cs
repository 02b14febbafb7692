using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Reservoir.Numerics;

/// <summary>The step of one sequence in <see cref="Precision.Single"/>: the terms of <see cref="StepEngine"/> computed in float.</summary>
/// <remarks>
/// <para>
/// <see cref="Prepare"/> rounds x(t−1), each delayed state x(t−d), u(t) and y(t−1) to float. <see cref="ComputeUnits"/>
/// then computes, for units [start, end): pre = ((b + W_in[:,0]·u_0) + …) + W_fb terms (each a multiply then an add), plus
/// W·x, plus each W_skip·x(t−d) in order; f = activation(pre); next = x + α·(f − x) (subtract, multiply, add; or f when
/// every α is 1), all in float, and writes next widened to double into the state's next block. The engine adds the noise
/// in double and commits as for <see cref="Precision.Double"/>.
/// </para>
/// <para>
/// Each row's sparse dot product follows the summation contract of <see cref="ReservoirKernels"/> in float (four partial
/// sums over k mod 4, the tail into the first, (s_0 + s_1) + (s_2 + s_3), no fused multiply-add), and the activation pads
/// short spans to <see cref="MinActivationLength"/> so that every value takes the same vector code: a unit's value depends
/// only on its own operations, so a step split over two threads equals the step on one, and runs are bit-identical.
/// Only one sequence at a time (stride 1): a run of many sequences in Single steps each alone.
/// </para>
/// </remarks>
internal static class SingleKernels
{
    /// <summary>The shortest span handed to the vectorised float activation (one 512-bit vector of floats); shorter spans are padded.</summary>
    internal const int MinActivationLength = 16;

    /// <summary>A new array of <paramref name="values"/> each rounded to the nearest float.</summary>
    internal static float[] ToSingle(ReadOnlySpan<double> values)
    {
        var result = new float[values.Length];
        Narrow(values, result);
        return result;
    }

    /// <summary>destination[i] = (float)source[i], rounded to nearest; the lengths are equal.</summary>
    internal static void Narrow(ReadOnlySpan<double> source, Span<float> destination)
    {
        Debug.Assert(source.Length == destination.Length);
        ref var s = ref MemoryMarshal.GetReference(source);
        ref var d = ref MemoryMarshal.GetReference(destination);
        var i = 0;
        var vector = Vector256<double>.Count;
        for (; i + 2 * vector <= source.Length; i += 2 * vector)
        {
            Vector256.Narrow(Vector256.LoadUnsafe(ref s, (nuint)i), Vector256.LoadUnsafe(ref s, (nuint)(i + vector)))
                .StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < source.Length; i++)
        {
            Unsafe.Add(ref d, i) = (float)Unsafe.Add(ref s, i);
        }
    }

    /// <summary>destination[i] = source[i] as a double (exact); the lengths are equal.</summary>
    internal static void Widen(ReadOnlySpan<float> source, Span<double> destination)
    {
        Debug.Assert(source.Length == destination.Length);
        ref var s = ref MemoryMarshal.GetReference(source);
        ref var d = ref MemoryMarshal.GetReference(destination);
        var i = 0;
        var vector = Vector256<float>.Count;
        for (; i + vector <= source.Length; i += vector)
        {
            var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref s, (nuint)i));
            lower.StoreUnsafe(ref d, (nuint)i);
            upper.StoreUnsafe(ref d, (nuint)(i + vector / 2));
        }

        for (; i < source.Length; i++)
        {
            Unsafe.Add(ref d, i) = Unsafe.Add(ref s, i);
        }
    }

    /// <summary>Rounds the step's operands to float: x(t−1), each delayed state, u(t) and y(t−1).</summary>
    /// <param name="state">One sequence (stride 1) of a reservoir in <see cref="Precision.Single"/>.</param>
    /// <param name="inputs">u(t), length D.</param>
    /// <param name="feedback">y(t−1), length F.</param>
    internal static void Prepare(StateColumns state, ReadOnlySpan<double> inputs, ReadOnlySpan<double> feedback)
    {
        if (state.Stride != 1)
        {
            throw new InvalidOperationException(
                $"A step in Precision.Single runs one sequence at a time; this block holds {state.Count} sequences.");
        }

        var scratch = state.SingleScratch;
        Narrow(state.Current, scratch.Current);
        var delays = state.Owner.SkipDelays;
        for (var s = 0; s < delays.Length; s++)
        {
            if (delays[s] != 1)
            {
                Narrow(state.Delayed(delays[s]), scratch.Delayed[s]);
            }
        }

        Narrow(inputs, scratch.Inputs);
        Narrow(feedback, scratch.Feedback);
    }

    /// <summary>
    /// The pre-activation, activation and leaky update of units [start, end) in float, from the operands rounded by
    /// <see cref="Prepare"/>, written widened to double into the state's next block (without the noise).
    /// </summary>
    /// <remarks>Disjoint unit ranges touch disjoint ranges of the buffers, so two threads may run two ranges at once.</remarks>
    internal static void ComputeUnits(StateColumns state, SingleWeights weights, int start, int end)
    {
        var reservoir = state.Owner;
        var scratch = state.SingleScratch;
        var n = reservoir.UnitCount;
        var count = end - start;
        var pre = scratch.PreActivation.AsSpan(start, count);
        weights.Bias.AsSpan(start, count).CopyTo(pre);
        var inputs = scratch.Inputs;
        for (var d = 0; d < inputs.Length; d++)
        {
            TensorPrimitives.MultiplyAdd(weights.InputColumns.AsSpan(d * n + start, count), inputs[d], pre, pre);
        }

        var feedback = scratch.Feedback;
        for (var e = 0; e < feedback.Length; e++)
        {
            TensorPrimitives.MultiplyAdd(weights.FeedbackColumns.AsSpan(e * n + start, count), feedback[e], pre, pre);
        }

        SparseMultiplyAdd(weights.Recurrent, scratch.Current, scratch.PreActivation, start, end);
        for (var s = 0; s < weights.Skips.Length; s++)
        {
            SparseMultiplyAdd(weights.Skips[s], scratch.Delayed[s], scratch.PreActivation, start, end);
        }

        Activate(reservoir.Activation, pre);
        if (reservoir.HasUnitLeakRates)
        {
            var x = scratch.Current.AsSpan(start, count);
            TensorPrimitives.Subtract(pre, x, pre);
            TensorPrimitives.MultiplyAdd(pre, weights.LeakRates.AsSpan(start, count), x, pre);
        }

        Widen(pre, state.Next.Slice(start, count));
    }

    /// <summary>y[i] += Σ_k A[i, k]·x[columns[k]] for rows [rowStart, rowEnd), in float, in the canonical order.</summary>
    internal static void SparseMultiplyAdd(SingleRows a, ReadOnlySpan<float> x, Span<float> y, int rowStart, int rowEnd)
    {
        Debug.Assert(rowEnd < a.RowPointers.Length && y.Length >= rowEnd && rowStart >= 0);
        if (a.NarrowColumns is { } narrow)
        {
            MultiplyAdd(a.RowPointers, narrow, a.Values, x, y, rowStart, rowEnd);
        }
        else
        {
            MultiplyAdd(a.RowPointers, a.WideColumns!, a.Values, x, y, rowStart, rowEnd);
        }
    }

    /// <summary>Applies the activation in place in float, padding short spans so that every value takes the vector code.</summary>
    internal static void Activate(Activation activation, Span<float> values)
    {
        if (activation != Activation.Tanh || values.IsEmpty)
        {
            return;
        }

        if (values.Length >= MinActivationLength)
        {
            TensorPrimitives.Tanh(values, values);
            return;
        }

        Span<float> padded = stackalloc float[MinActivationLength];
        padded.Clear();
        values.CopyTo(padded);
        TensorPrimitives.Tanh(padded, padded);
        padded[..values.Length].CopyTo(values);
    }

    private static void MultiplyAdd<TIndex>(int[] rowPointers, TIndex[] columns, float[] values, ReadOnlySpan<float> x,
        Span<float> y, int rowStart, int rowEnd)
        where TIndex : unmanaged
    {
        ref var c = ref MemoryMarshal.GetArrayDataReference(columns);
        ref var v = ref MemoryMarshal.GetArrayDataReference(values);
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        ref var p = ref MemoryMarshal.GetArrayDataReference(rowPointers);
        var start = Unsafe.Add(ref p, rowStart);
        for (var i = rowStart; i < rowEnd; i++)
        {
            var end = Unsafe.Add(ref p, i + 1);
            ref var target = ref Unsafe.Add(ref yr, i);
            target += RowDot(ref c, ref v, ref xr, start, end);
            start = end;
        }
    }

    /// <summary>Σ values[k]·x[columns[k]] over k in [start, end), in float, in the canonical order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float RowDot<TIndex>(ref TIndex c, ref float v, ref float x, int start, int end)
        where TIndex : unmanaged
    {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        var k = start;
        for (; k + 4 <= end; k += 4)
        {
            s0 += Unsafe.Add(ref v, k) * Unsafe.Add(ref x, Column(ref c, k));
            s1 += Unsafe.Add(ref v, k + 1) * Unsafe.Add(ref x, Column(ref c, k + 1));
            s2 += Unsafe.Add(ref v, k + 2) * Unsafe.Add(ref x, Column(ref c, k + 2));
            s3 += Unsafe.Add(ref v, k + 3) * Unsafe.Add(ref x, Column(ref c, k + 3));
        }

        for (; k < end; k++)
        {
            s0 += Unsafe.Add(ref v, k) * Unsafe.Add(ref x, Column(ref c, k));
        }

        return (s0 + s1) + (s2 + s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint Column<TIndex>(ref TIndex c, int k)
        where TIndex : unmanaged =>
        typeof(TIndex) == typeof(ushort)
            ? Unsafe.As<TIndex, ushort>(ref Unsafe.Add(ref c, k))
            : Unsafe.As<TIndex, int>(ref Unsafe.Add(ref c, k));
}
