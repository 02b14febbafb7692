using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Reservoir.Numerics;

/// <summary>The step in <see cref="Precision.Single"/>: the terms of <see cref="StepEngine"/> computed in float, for one sequence or a block.</summary>
/// <remarks>
/// <para>
/// <see cref="Prepare"/> rounds x(t−1), each delayed state x(t−d), u(t) and y(t−1) to float. <see cref="ComputeUnits"/>
/// then computes, for units [start, end): pre = ((b + W_in[:,0]·u_0) + …) + W_fb terms (each a multiply then an add), plus
/// W·x, plus each W_skip·x(t−d) in order; f = activation(pre); c = x, or c = C·x with a carry matrix C (the
/// edge-of-stability update); next = c + α·(f − c) (subtract, multiply, add; or f when every α is 1), all in float, and writes next widened to double into the state's next block. The engine adds the noise
/// in double and commits as for <see cref="Precision.Double"/>. The layout is that of <see cref="ReservoirKernels"/>:
/// stride 1 for one sequence, otherwise N rows of the stride, of which the first <c>width</c> columns (a multiple of 8,
/// one 256-bit vector of floats) are computed.
/// </para>
/// <para>
/// Each row's sparse dot product follows the summation contract of <see cref="ReservoirKernels"/> in float (four partial
/// sums over k mod 4, the tail into the first, (s_0 + s_1) + (s_2 + s_3), added to the pre-activation; never a fused
/// multiply-add), for one sequence as scalars and for a block as vectors of 16 or 8 columns with one accumulator vector per
/// partial sum. The affine terms and the leaky update are the same element-wise operations in both forms, and the
/// activation pads short spans to <see cref="MinActivationLength"/> so that every value takes the same vector code. So a
/// unit's value depends only on its own operations: column b of a block equals the sequence stepped alone, a step split
/// over two threads equals the step on one, and runs are bit-identical.
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
    /// <param name="state">The states, of a reservoir in <see cref="Precision.Single"/>.</param>
    /// <param name="inputs">u(t), D rows of the state's stride.</param>
    /// <param name="feedback">y(t−1), F rows of the state's stride.</param>
    internal static void Prepare(StateColumns state, ReadOnlySpan<double> inputs, ReadOnlySpan<double> feedback)
    {
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
    /// The pre-activation, activation and leaky update of units [start, end) and columns [0, width) in float, from the
    /// operands rounded by <see cref="Prepare"/>, written widened to double into the state's next block (without the noise).
    /// </summary>
    /// <remarks>Disjoint unit ranges touch disjoint rows of the buffers, so two threads may run two ranges at once.</remarks>
    internal static void ComputeUnits(StateColumns state, SingleWeights weights, int start, int end, int width)
    {
        var reservoir = state.Owner;
        var scratch = state.SingleScratch;
        var stride = state.Stride;
        var rows = (start * stride)..(end * stride);
        var pre = scratch.PreActivation.AsSpan(rows);
        if (stride == 1)
        {
            AffineTerms(weights, scratch, start, end);
            SparseMultiplyAdd(weights.Recurrent, scratch.Current, scratch.PreActivation, start, end);
            for (var s = 0; s < weights.Skips.Length; s++)
            {
                SparseMultiplyAdd(weights.Skips[s], scratch.Delayed[s], scratch.PreActivation, start, end);
            }
        }
        else
        {
            Debug.Assert(stride % Vector256<float>.Count == 0 && width % Vector256<float>.Count == 0 && width <= stride);
            AffineTermsBlock(weights, scratch, stride, width, start, end);
            SparseMultiplyAddBlock(weights.Recurrent, scratch.Current, scratch.PreActivation, stride, width, start, end);
            for (var s = 0; s < weights.Skips.Length; s++)
            {
                SparseMultiplyAddBlock(weights.Skips[s], scratch.Delayed[s], scratch.PreActivation, stride, width, start, end);
            }
        }

        Activate(reservoir.Activation, pre);
        if (reservoir.HasUnitLeakRates)
        {
            var carried = scratch.Current;
            if (weights.Carry is { } carry)
            {
                // The carried state C·x(t−1), in float and the canonical order, read by the leaky update in place of x.
                carried = scratch.Carried;
                carried.AsSpan(rows).Clear();
                if (stride == 1)
                {
                    SparseMultiplyAdd(carry, scratch.Current, carried, start, end);
                }
                else
                {
                    SparseMultiplyAddBlock(carry, scratch.Current, carried, stride, width, start, end);
                }
            }

            LeakyUpdate(weights.LeakRates, pre, carried.AsSpan(rows), stride, width, start);
        }

        Widen(pre, state.Next[rows]);
    }

    /// <summary>pre[i] = ((b[i] + Σ_d W_in[i, d]·u_d) + Σ_e W_fb[i, e]·y_e) for units [start, end) of one sequence, each term a multiply then an add.</summary>
    private static void AffineTerms(SingleWeights weights, SingleScratch scratch, int start, int end)
    {
        var n = weights.Bias.Length;
        var count = end - start;
        var pre = scratch.PreActivation.AsSpan(start, count);
        weights.Bias.AsSpan(start, count).CopyTo(pre);
        var inputs = scratch.Inputs;
        for (var d = 0; d < inputs.Length; d++)
        {
            AddScaled(weights.InputColumns.AsSpan(d * n + start, count), inputs[d], pre);
        }

        var feedback = scratch.Feedback;
        for (var e = 0; e < feedback.Length; e++)
        {
            AddScaled(weights.FeedbackColumns.AsSpan(e * n + start, count), feedback[e], pre);
        }
    }

    /// <summary>The affine terms of <see cref="AffineTerms"/> for rows [start, end) and columns [0, width) of a block, in the same order.</summary>
    private static void AffineTermsBlock(SingleWeights weights, SingleScratch scratch, int stride, int width, int start, int end)
    {
        var n = weights.Bias.Length;
        var inputDimension = scratch.Inputs.Length / stride;
        var feedbackDimension = scratch.Feedback.Length / stride;
        ref var preStart = ref MemoryMarshal.GetArrayDataReference(scratch.PreActivation);
        ref var u = ref MemoryMarshal.GetArrayDataReference(scratch.Inputs);
        ref var y = ref MemoryMarshal.GetArrayDataReference(scratch.Feedback);
        var vector = Vector256<float>.Count;
        for (var i = start; i < end; i++)
        {
            ref var row = ref Unsafe.Add(ref preStart, (nint)i * stride);
            var b = Vector256.Create(weights.Bias[i]);
            for (var j = 0; j < width; j += vector)
            {
                b.StoreUnsafe(ref row, (nuint)j);
            }

            for (var d = 0; d < inputDimension; d++)
            {
                var w = Vector256.Create(weights.InputColumns[d * n + i]);
                for (var j = 0; j < width; j += vector)
                {
                    (w * Vector256.LoadUnsafe(ref u, (nuint)(d * stride + j)) + Vector256.LoadUnsafe(ref row, (nuint)j)).StoreUnsafe(ref row, (nuint)j);
                }
            }

            for (var e = 0; e < feedbackDimension; e++)
            {
                var w = Vector256.Create(weights.FeedbackColumns[e * n + i]);
                for (var j = 0; j < width; j += vector)
                {
                    (w * Vector256.LoadUnsafe(ref y, (nuint)(e * stride + j)) + Vector256.LoadUnsafe(ref row, (nuint)j)).StoreUnsafe(ref row, (nuint)j);
                }
            }
        }
    }

    /// <summary>y[i] = a[i]·scale + y[i] (multiply, then add; never fused).</summary>
    private static void AddScaled(ReadOnlySpan<float> a, float scale, Span<float> y)
    {
        Debug.Assert(a.Length == y.Length);
        ref var ar = ref MemoryMarshal.GetReference(a);
        ref var yr = ref MemoryMarshal.GetReference(y);
        var w = Vector256.Create(scale);
        var i = 0;
        for (; i + Vector256<float>.Count <= a.Length; i += Vector256<float>.Count)
        {
            (Vector256.LoadUnsafe(ref ar, (nuint)i) * w + Vector256.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
        }

        for (; i < a.Length; i++)
        {
            Unsafe.Add(ref yr, i) = Unsafe.Add(ref ar, i) * scale + Unsafe.Add(ref yr, i);
        }
    }

    /// <summary>
    /// f ← x + α·(f − x) (subtract, multiply, add; never fused) in place for the rows from <paramref name="start"/> of
    /// <paramref name="activated"/> and <paramref name="x"/> (both starting at that row), columns [0, width) of each.
    /// </summary>
    private static void LeakyUpdate(float[] leakRates, Span<float> activated, ReadOnlySpan<float> x, int stride, int width, int start)
    {
        Debug.Assert(activated.Length == x.Length && activated.Length % stride == 0);
        ref var fr = ref MemoryMarshal.GetReference(activated);
        ref var xr = ref MemoryMarshal.GetReference(x);
        var rows = activated.Length / stride;
        if (stride == 1)
        {
            var i = 0;
            ref var alpha = ref leakRates[start];
            for (; i + Vector256<float>.Count <= rows; i += Vector256<float>.Count)
            {
                var xv = Vector256.LoadUnsafe(ref xr, (nuint)i);
                ((Vector256.LoadUnsafe(ref fr, (nuint)i) - xv) * Vector256.LoadUnsafe(ref alpha, (nuint)i) + xv).StoreUnsafe(ref fr, (nuint)i);
            }

            for (; i < rows; i++)
            {
                var xi = Unsafe.Add(ref xr, i);
                Unsafe.Add(ref fr, i) = (Unsafe.Add(ref fr, i) - xi) * Unsafe.Add(ref alpha, i) + xi;
            }

            return;
        }

        for (var r = 0; r < rows; r++)
        {
            var a = Vector256.Create(leakRates[start + r]);
            for (var j = 0; j < width; j += Vector256<float>.Count)
            {
                var index = (nuint)((nint)r * stride + j);
                var xv = Vector256.LoadUnsafe(ref xr, index);
                ((Vector256.LoadUnsafe(ref fr, index) - xv) * a + xv).StoreUnsafe(ref fr, index);
            }
        }
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

    /// <summary>
    /// Y[i, j] += Σ_k A[i, k]·X[k, j] for rows [rowStart, rowEnd) and columns [0, width) of a block, in float, in the
    /// canonical order: per pass of 16 columns (one 512-bit vector) or, for the last 8, one 256-bit vector, four
    /// accumulator vectors, vector l holding s_l of each column.
    /// </summary>
    internal static void SparseMultiplyAddBlock(SingleRows a, ReadOnlySpan<float> x, Span<float> y, int stride, int width,
        int rowStart, int rowEnd)
    {
        Debug.Assert(rowEnd < a.RowPointers.Length && y.Length >= rowEnd * stride && width % Vector256<float>.Count == 0);
        if (a.NarrowColumns is { } narrow)
        {
            MultiplyAddBlock(a.RowPointers, narrow, a.Values, x, y, stride, width, rowStart, rowEnd);
        }
        else
        {
            MultiplyAddBlock(a.RowPointers, a.WideColumns!, a.Values, x, y, stride, width, rowStart, rowEnd);
        }
    }

    private static void MultiplyAddBlock<TIndex>(int[] rowPointers, TIndex[] columns, float[] values, ReadOnlySpan<float> x,
        Span<float> y, int stride, int width, int rowStart, int rowEnd)
        where TIndex : unmanaged
    {
        ref var c = ref MemoryMarshal.GetArrayDataReference(columns);
        ref var v = ref MemoryMarshal.GetArrayDataReference(values);
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        for (var i = rowStart; i < rowEnd; i++)
        {
            var start = rowPointers[i];
            var end = rowPointers[i + 1];
            ref var target = ref Unsafe.Add(ref yr, (nint)i * stride);
            var offset = 0;
            for (; offset + Vector512<float>.Count <= width; offset += Vector512<float>.Count)
            {
                RowDotBlock16(ref c, ref v, ref Unsafe.Add(ref xr, offset), stride, start, end, ref Unsafe.Add(ref target, offset));
            }

            if (offset < width)
            {
                RowDotBlock8(ref c, ref v, ref Unsafe.Add(ref xr, offset), stride, start, end, ref Unsafe.Add(ref target, offset));
            }
        }
    }

    /// <summary>Sixteen columns of one row's block product (one 512-bit vector, four accumulators), added to <paramref name="target"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowDotBlock16<TIndex>(ref TIndex c, ref float v, ref float x, int stride, int start, int end, ref float target)
        where TIndex : unmanaged
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        var k = start;
        for (; k + 4 <= end; k += 4)
        {
            a0 += Vector512.Create(Unsafe.Add(ref v, k)) * Vector512.LoadUnsafe(ref Unsafe.Add(ref x, ReservoirKernels.Column(ref c, k) * stride));
            a1 += Vector512.Create(Unsafe.Add(ref v, k + 1)) * Vector512.LoadUnsafe(ref Unsafe.Add(ref x, ReservoirKernels.Column(ref c, k + 1) * stride));
            a2 += Vector512.Create(Unsafe.Add(ref v, k + 2)) * Vector512.LoadUnsafe(ref Unsafe.Add(ref x, ReservoirKernels.Column(ref c, k + 2) * stride));
            a3 += Vector512.Create(Unsafe.Add(ref v, k + 3)) * Vector512.LoadUnsafe(ref Unsafe.Add(ref x, ReservoirKernels.Column(ref c, k + 3) * stride));
        }

        for (; k < end; k++)
        {
            a0 += Vector512.Create(Unsafe.Add(ref v, k)) * Vector512.LoadUnsafe(ref Unsafe.Add(ref x, ReservoirKernels.Column(ref c, k) * stride));
        }

        (Vector512.LoadUnsafe(ref target) + ((a0 + a1) + (a2 + a3))).StoreUnsafe(ref target);
    }

    /// <summary>Eight columns of one row's block product (one 256-bit vector, four accumulators), added to <paramref name="target"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowDotBlock8<TIndex>(ref TIndex c, ref float v, ref float x, int stride, int start, int end, ref float target)
        where TIndex : unmanaged
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        var k = start;
        for (; k + 4 <= end; k += 4)
        {
            a0 += Vector256.Create(Unsafe.Add(ref v, k)) * Vector256.LoadUnsafe(ref Unsafe.Add(ref x, ReservoirKernels.Column(ref c, k) * stride));
            a1 += Vector256.Create(Unsafe.Add(ref v, k + 1)) * Vector256.LoadUnsafe(ref Unsafe.Add(ref x, ReservoirKernels.Column(ref c, k + 1) * stride));
            a2 += Vector256.Create(Unsafe.Add(ref v, k + 2)) * Vector256.LoadUnsafe(ref Unsafe.Add(ref x, ReservoirKernels.Column(ref c, k + 2) * stride));
            a3 += Vector256.Create(Unsafe.Add(ref v, k + 3)) * Vector256.LoadUnsafe(ref Unsafe.Add(ref x, ReservoirKernels.Column(ref c, k + 3) * stride));
        }

        for (; k < end; k++)
        {
            a0 += Vector256.Create(Unsafe.Add(ref v, k)) * Vector256.LoadUnsafe(ref Unsafe.Add(ref x, ReservoirKernels.Column(ref c, k) * stride));
        }

        (Vector256.LoadUnsafe(ref target) + ((a0 + a1) + (a2 + a3))).StoreUnsafe(ref target);
    }

    /// <summary>Applies the activation in place in float, padding short spans so that every value takes the vector code.</summary>
    internal static void Activate(Activation activation, Span<float> values)
    {
        if (activation == Activation.Identity || values.IsEmpty)
        {
            return;
        }

        var tanh = activation == Activation.Tanh;
        if (values.Length >= MinActivationLength)
        {
            Apply(tanh, values);
            return;
        }

        Span<float> padded = stackalloc float[MinActivationLength];
        padded.Clear();
        values.CopyTo(padded);
        Apply(tanh, padded);
        padded[..values.Length].CopyTo(values);

        static void Apply(bool tanh, Span<float> span)
        {
            if (tanh)
            {
                TensorPrimitives.Tanh(span, span);
            }
            else
            {
                TensorPrimitives.Sigmoid(span, span);
            }
        }
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
            s0 += Unsafe.Add(ref v, k) * Unsafe.Add(ref x, ReservoirKernels.Column(ref c, k));
            s1 += Unsafe.Add(ref v, k + 1) * Unsafe.Add(ref x, ReservoirKernels.Column(ref c, k + 1));
            s2 += Unsafe.Add(ref v, k + 2) * Unsafe.Add(ref x, ReservoirKernels.Column(ref c, k + 2));
            s3 += Unsafe.Add(ref v, k + 3) * Unsafe.Add(ref x, ReservoirKernels.Column(ref c, k + 3));
        }

        for (; k < end; k++)
        {
            s0 += Unsafe.Add(ref v, k) * Unsafe.Add(ref x, ReservoirKernels.Column(ref c, k));
        }

        return (s0 + s1) + (s2 + s3);
    }
}
