using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Reservoir.Numerics;

/// <summary>The per-step arithmetic of the reservoir: sparse products, input terms, activation and leaky update.</summary>
/// <remarks>Spans in, nothing allocated; arguments are checked by the public callers (Debug.Assert here).</remarks>
internal static class ReservoirKernels
{
    /// <summary>y[i] = Σ_k A[i, k]·x[k] for rows [rowStart, rowEnd) of a CSR matrix.</summary>
    internal static void SparseMultiply(ReadOnlySpan<int> rowPointers, ReadOnlySpan<int> columns,
        ReadOnlySpan<double> values, ReadOnlySpan<double> x, Span<double> y, int rowStart, int rowEnd)
    {
        for (var i = rowStart; i < rowEnd; i++)
        {
            y[i] = RowDot(rowPointers[i], rowPointers[i + 1], columns, values, x);
        }
    }

    /// <summary>y[i] += Σ_k A[i, k]·x[k] for rows [rowStart, rowEnd) of a CSR matrix.</summary>
    internal static void SparseMultiplyAdd(ReadOnlySpan<int> rowPointers, ReadOnlySpan<int> columns,
        ReadOnlySpan<double> values, ReadOnlySpan<double> x, Span<double> y, int rowStart, int rowEnd)
    {
        for (var i = rowStart; i < rowEnd; i++)
        {
            y[i] += RowDot(rowPointers[i], rowPointers[i + 1], columns, values, x);
        }
    }

    /// <summary>Σ values[k]·x[columns[k]] over k in [start, end), four partial sums for instruction-level parallelism.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double RowDot(int start, int end, ReadOnlySpan<int> columns, ReadOnlySpan<double> values,
        ReadOnlySpan<double> x)
    {
        Debug.Assert(end <= columns.Length && end <= values.Length);
        ref var c = ref MemoryMarshal.GetReference(columns);
        ref var v = ref MemoryMarshal.GetReference(values);
        ref var xr = ref MemoryMarshal.GetReference(x);
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        var k = start;
        for (; k + 4 <= end; k += 4)
        {
            s0 += Unsafe.Add(ref v, k) * Unsafe.Add(ref xr, Unsafe.Add(ref c, k));
            s1 += Unsafe.Add(ref v, k + 1) * Unsafe.Add(ref xr, Unsafe.Add(ref c, k + 1));
            s2 += Unsafe.Add(ref v, k + 2) * Unsafe.Add(ref xr, Unsafe.Add(ref c, k + 2));
            s3 += Unsafe.Add(ref v, k + 3) * Unsafe.Add(ref xr, Unsafe.Add(ref c, k + 3));
        }

        for (; k < end; k++)
        {
            s0 += Unsafe.Add(ref v, k) * Unsafe.Add(ref xr, Unsafe.Add(ref c, k));
        }

        return (s0 + s1) + (s2 + s3);
    }

    /// <summary>
    /// One reservoir step for the units in [start, end): reads the state's current buffer, writes the new
    /// values into its next buffer and uses its pre-activation buffer as scratch.
    /// </summary>
    internal static void UpdateUnits(EchoStateReservoir reservoir, ReservoirState state, ReadOnlySpan<double> input,
        ReadOnlySpan<double> feedback, int start, int end)
    {
        var x = state.CurrentBuffer;
        var next = state.NextBuffer;
        var pre = state.PreActivationBuffer;
        var count = end - start;
        var preSlice = pre.AsSpan(start, count);
        var n = reservoir.UnitCount;

        // Bias and input terms: column-major W_in, so each input is one SIMD axpy over the slice.
        reservoir.Bias.Slice(start, count).CopyTo(preSlice);
        var inputColumns = reservoir.InputColumns;
        for (var d = 0; d < input.Length; d++)
        {
            TensorPrimitives.MultiplyAdd(inputColumns.Slice(d * n + start, count), input[d], preSlice, preSlice);
        }

        var feedbackColumns = reservoir.FeedbackColumns;
        for (var d = 0; d < feedback.Length; d++)
        {
            TensorPrimitives.MultiplyAdd(feedbackColumns.Slice(d * n + start, count), feedback[d], preSlice, preSlice);
        }

        var w = reservoir.RecurrentWeights;
        SparseMultiplyAdd(w.RowPointers, w.ColumnIndices, w.Values, x, pre, start, end);

        var skips = reservoir.SkipMatrices;
        for (var s = 0; s < skips.Length; s++)
        {
            var delayed = state.DelayedState(reservoir.SkipDelays[s]);
            var ws = skips[s];
            SparseMultiplyAdd(ws.RowPointers, ws.ColumnIndices, ws.Values, delayed, pre, start, end);
        }

        if (reservoir.Activation == Activation.Tanh)
        {
            TensorPrimitives.Tanh(preSlice, preSlice);
        }

        var nextSlice = next.AsSpan(start, count);
        if (reservoir.HasUnitLeakRates)
        {
            // next = x + α ⊙ (f(pre) − x)
            var xSlice = x.AsSpan(start, count);
            TensorPrimitives.Subtract(preSlice, xSlice, preSlice);
            TensorPrimitives.MultiplyAdd(preSlice, reservoir.LeakRateSpan.Slice(start, count), xSlice, nextSlice);
        }
        else
        {
            preSlice.CopyTo(nextSlice);
        }

        var amplitude = reservoir.StateNoise;
        if (amplitude > 0)
        {
            ref var noise = ref state.Noise;
            for (var i = 0; i < nextSlice.Length; i++)
            {
                nextSlice[i] += amplitude * noise.NextSymmetric();
            }
        }
    }
}
