using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Reservoir.Numerics;

/// <summary>How a CSR row is multiplied by a state vector; every choice gives bit-identical results.</summary>
internal enum SparseKernel
{
    /// <summary>Scalar code with four partial sums.</summary>
    Scalar,

    /// <summary>AVX2 gathers, one 256-bit accumulator whose lanes are the four partial sums (scalar where AVX2 is missing).</summary>
    Gather,
}

/// <summary>The per-step arithmetic of the reservoir: sparse products, input terms, activation and leaky update.</summary>
/// <remarks>
/// <para>Spans in, nothing allocated; arguments are checked by the public callers (Debug.Assert here).</para>
/// <para>
/// <b>Summation contract.</b> Every path that multiplies a CSR row by a state (scalar, gather, one or two threads,
/// one sequence or a block of sequences) computes the row's dot product in one canonical order, so that their
/// results are bit-identical: for row i with non-zeros k in [p, q), partial sum s_l (l = 0..3) accumulates, in
/// increasing k, the terms with (k − p) mod 4 = l and k &lt; p + 4·⌊(q − p)/4⌋; then the tail terms
/// (the last (q − p) mod 4) are added to s_0 in increasing k; the result is (s_0 + s_1) + (s_2 + s_3). Each term
/// is a separate multiply then add (never a fused multiply-add), starting from +0. A 256-bit lane l, or the l-th
/// of four accumulators of a column block, is exactly s_l. The row's sum is then added to the pre-activation,
/// which already holds ((b + W_in[:,0]·u_0) + W_in[:,1]·u_1 …) + W_fb terms, each again multiply then add.
/// </para>
/// <para>
/// The activation goes through <c>TensorPrimitives.Tanh</c>, whose
/// vector code differs from <see cref="Math.Tanh"/> in the last bit; spans shorter than
/// <see cref="MinActivationLength"/> are padded so that every value takes the vector code whatever the span length.
/// The leaky update is next = x + α·(f − x) (subtract, multiply, add) and the noise is added last, drawn in unit
/// order per sequence.
/// </para>
/// </remarks>
internal static class ReservoirKernels
{
    /// <summary>The shortest span handed to the vectorised activation; shorter spans are padded to it.</summary>
    internal const int MinActivationLength = 8;

    /// <summary>The sparse kernel used by steps; gather is available for comparison, scalar measured faster on Zen 3.</summary>
    internal static SparseKernel DefaultSparseKernel { get; set; } = SparseKernel.Scalar;

    /// <summary>y[i] = Σ_k A[i, k]·x[k] for rows [rowStart, rowEnd) of a CSR matrix, in the canonical order.</summary>
    internal static void SparseMultiply(ReadOnlySpan<int> rowPointers, ReadOnlySpan<int> columns,
        ReadOnlySpan<double> values, ReadOnlySpan<double> x, Span<double> y, int rowStart, int rowEnd)
    {
        Debug.Assert(rowPointers.Length > rowEnd && columns.Length == values.Length);
        ref var c = ref MemoryMarshal.GetReference(columns);
        ref var v = ref MemoryMarshal.GetReference(values);
        ref var xr = ref MemoryMarshal.GetReference(x);
        for (var i = rowStart; i < rowEnd; i++)
        {
            y[i] = RowDot(ref c, ref v, ref xr, rowPointers[i], rowPointers[i + 1]);
        }
    }

    /// <summary>y[i] += Σ_k A[i, k]·x[k] for rows [rowStart, rowEnd), in the canonical order of the class remarks.</summary>
    internal static void SparseMultiplyAdd(CompactRows a, ReadOnlySpan<double> x, Span<double> y, int rowStart, int rowEnd,
        SparseKernel kernel)
    {
        Debug.Assert(rowEnd <= a.RowCount && y.Length >= rowEnd && rowStart >= 0);
        if (a.NarrowColumns is { } narrow)
        {
            MultiplyAdd<ushort>(a.RowPointers, narrow, a.Values, x, y, rowStart, rowEnd, kernel);
        }
        else
        {
            MultiplyAdd<int>(a.RowPointers, a.WideColumns!, a.Values, x, y, rowStart, rowEnd, kernel);
        }
    }

    /// <summary>
    /// Y[i, j] += Σ_k A[i, k]·X[k, j] for rows [rowStart, rowEnd) and columns j in [0, width), with X and Y row-major
    /// with row length <paramref name="stride"/>; stride and width are multiples of 4. Each column gets the canonical
    /// order of a single row: four accumulator vectors per group of four columns, vector l holding s_l.
    /// </summary>
    internal static void SparseMultiplyAddBlock(CompactRows a, ReadOnlySpan<double> x, Span<double> y, int stride,
        int width, int rowStart, int rowEnd)
    {
        Debug.Assert(stride % Vector256<double>.Count == 0 && width % Vector256<double>.Count == 0 && width <= stride);
        Debug.Assert(y.Length >= rowEnd * stride && rowStart >= 0);
        if (a.NarrowColumns is { } narrow)
        {
            MultiplyAddBlock<ushort>(a.RowPointers, narrow, a.Values, x, y, stride, width, rowStart, rowEnd);
        }
        else
        {
            MultiplyAddBlock<int>(a.RowPointers, a.WideColumns!, a.Values, x, y, stride, width, rowStart, rowEnd);
        }
    }

    /// <summary>Applies the activation in place, padding short spans so that every value takes the vector code.</summary>
    internal static void Activate(Activation activation, Span<double> values)
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

        Span<double> padded = stackalloc double[MinActivationLength];
        padded.Clear();
        values.CopyTo(padded);
        TensorPrimitives.Tanh(padded, padded);
        padded[..values.Length].CopyTo(values);
    }

    /// <summary>
    /// One reservoir step for the units in [start, end), without the noise: reads the state's current buffer,
    /// writes the new values into its next buffer and uses its pre-activation buffer as scratch.
    /// </summary>
    /// <remarks>Disjoint unit ranges touch disjoint parts of the buffers, so two threads may run two ranges at once.</remarks>
    internal static void ComputeUnits(EchoStateReservoir reservoir, ReservoirState state, ReadOnlySpan<double> input,
        ReadOnlySpan<double> feedback, int start, int end, SparseKernel kernel)
    {
        var x = state.CurrentBuffer;
        var next = state.NextBuffer;
        var pre = state.PreActivationBuffer;
        var count = end - start;
        var preSlice = pre.AsSpan(start, count);
        var n = reservoir.UnitCount;

        // Bias and input terms: column-major W_in, so each input is one SIMD axpy (multiply, then add) over the slice.
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

        SparseMultiplyAdd(reservoir.CompactRecurrent, x, pre, start, end, kernel);
        var skips = reservoir.CompactSkips;
        for (var s = 0; s < skips.Length; s++)
        {
            SparseMultiplyAdd(skips[s], state.DelayedState(reservoir.SkipDelays[s]), pre, start, end, kernel);
        }

        Activate(reservoir.Activation, preSlice);
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
    }

    /// <summary>Adds the state noise to the next values of units [start, end), drawn in unit order from the state's stream.</summary>
    internal static void AddNoise(double amplitude, ref NoiseSource noise, Span<double> next)
    {
        for (var i = 0; i < next.Length; i++)
        {
            next[i] += amplitude * noise.NextSymmetric();
        }
    }

    /// <summary>Σ values[k]·x[columns[k]] over k in [start, end), in the canonical order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double RowDot<TIndex>(ref TIndex c, ref double v, ref double x, int start, int end)
        where TIndex : unmanaged
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
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

    private static void MultiplyAdd<TIndex>(int[] rowPointers, TIndex[] columns, double[] values, ReadOnlySpan<double> x,
        Span<double> y, int rowStart, int rowEnd, SparseKernel kernel)
        where TIndex : unmanaged
    {
        if (kernel == SparseKernel.Gather && Avx2.IsSupported && Sse41.IsSupported)
        {
            MultiplyAddGather(rowPointers, columns, values, x, y, rowStart, rowEnd);
            return;
        }

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

    private static unsafe void MultiplyAddGather<TIndex>(int[] rowPointers, TIndex[] columns, double[] values,
        ReadOnlySpan<double> x, Span<double> y, int rowStart, int rowEnd)
        where TIndex : unmanaged
    {
        fixed (TIndex* c = columns)
        fixed (double* v = values)
        fixed (double* xp = x)
        {
            for (var i = rowStart; i < rowEnd; i++)
            {
                var start = rowPointers[i];
                var end = rowPointers[i + 1];
                var acc = Vector256<double>.Zero;
                var k = start;
                for (; k + 4 <= end; k += 4)
                {
                    var index = typeof(TIndex) == typeof(ushort)
                        ? Sse41.ConvertToVector128Int32((ushort*)c + k)
                        : Sse2.LoadVector128((int*)c + k);
                    var gathered = Avx2.GatherVector256(xp, index, 8);
                    acc = Avx.Add(acc, Avx.Multiply(Avx.LoadVector256(v + k), gathered));
                }

                var s0 = acc.GetElement(0);
                for (; k < end; k++)
                {
                    var column = typeof(TIndex) == typeof(ushort) ? ((ushort*)c)[k] : ((int*)c)[k];
                    s0 += v[k] * xp[column];
                }

                y[i] += (s0 + acc.GetElement(1)) + (acc.GetElement(2) + acc.GetElement(3));
            }
        }
    }

    private static void MultiplyAddBlock<TIndex>(int[] rowPointers, TIndex[] columns, double[] values,
        ReadOnlySpan<double> x, Span<double> y, int stride, int width, int rowStart, int rowEnd)
        where TIndex : unmanaged
    {
        ref var c = ref MemoryMarshal.GetArrayDataReference(columns);
        ref var v = ref MemoryMarshal.GetArrayDataReference(values);
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        var vector = Vector256<double>.Count;
        for (var i = rowStart; i < rowEnd; i++)
        {
            var start = rowPointers[i];
            var end = rowPointers[i + 1];
            var offset = 0;
            for (; offset + 2 * vector <= width; offset += 2 * vector)
            {
                RowDotBlockPair(ref c, ref v, ref xr, stride, offset, start, end, ref Unsafe.Add(ref yr, (nint)i * stride + offset));
            }

            if (offset < width)
            {
                RowDotBlockSingle(ref c, ref v, ref xr, stride, offset, start, end, ref Unsafe.Add(ref yr, (nint)i * stride + offset));
            }
        }
    }

    /// <summary>Eight columns of one row's block product (two vectors, four accumulators each), added to <paramref name="target"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowDotBlockPair<TIndex>(ref TIndex c, ref double v, ref double x, int stride, int offset, int start,
        int end, ref double target)
        where TIndex : unmanaged
    {
        var width = Vector256<double>.Count;
        Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector256<double> b0 = default, b1 = default, b2 = default, b3 = default;
        var k = start;
        for (; k + 4 <= end; k += 4)
        {
            ref var x0 = ref Unsafe.Add(ref x, Column(ref c, k) * stride + offset);
            ref var x1 = ref Unsafe.Add(ref x, Column(ref c, k + 1) * stride + offset);
            ref var x2 = ref Unsafe.Add(ref x, Column(ref c, k + 2) * stride + offset);
            ref var x3 = ref Unsafe.Add(ref x, Column(ref c, k + 3) * stride + offset);
            var w0 = Vector256.Create(Unsafe.Add(ref v, k));
            var w1 = Vector256.Create(Unsafe.Add(ref v, k + 1));
            var w2 = Vector256.Create(Unsafe.Add(ref v, k + 2));
            var w3 = Vector256.Create(Unsafe.Add(ref v, k + 3));
            a0 += w0 * Vector256.LoadUnsafe(ref x0);
            b0 += w0 * Vector256.LoadUnsafe(ref x0, (nuint)width);
            a1 += w1 * Vector256.LoadUnsafe(ref x1);
            b1 += w1 * Vector256.LoadUnsafe(ref x1, (nuint)width);
            a2 += w2 * Vector256.LoadUnsafe(ref x2);
            b2 += w2 * Vector256.LoadUnsafe(ref x2, (nuint)width);
            a3 += w3 * Vector256.LoadUnsafe(ref x3);
            b3 += w3 * Vector256.LoadUnsafe(ref x3, (nuint)width);
        }

        for (; k < end; k++)
        {
            ref var xk = ref Unsafe.Add(ref x, Column(ref c, k) * stride + offset);
            var w = Vector256.Create(Unsafe.Add(ref v, k));
            a0 += w * Vector256.LoadUnsafe(ref xk);
            b0 += w * Vector256.LoadUnsafe(ref xk, (nuint)width);
        }

        var sumA = (a0 + a1) + (a2 + a3);
        var sumB = (b0 + b1) + (b2 + b3);
        (Vector256.LoadUnsafe(ref target) + sumA).StoreUnsafe(ref target);
        (Vector256.LoadUnsafe(ref target, (nuint)width) + sumB).StoreUnsafe(ref target, (nuint)width);
    }

    /// <summary>Four columns of one row's block product (one vector, four accumulators), added to <paramref name="target"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowDotBlockSingle<TIndex>(ref TIndex c, ref double v, ref double x, int stride, int offset,
        int start, int end, ref double target)
        where TIndex : unmanaged
    {
        Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
        var k = start;
        for (; k + 4 <= end; k += 4)
        {
            a0 += Vector256.Create(Unsafe.Add(ref v, k)) * Vector256.LoadUnsafe(ref Unsafe.Add(ref x, Column(ref c, k) * stride + offset));
            a1 += Vector256.Create(Unsafe.Add(ref v, k + 1)) * Vector256.LoadUnsafe(ref Unsafe.Add(ref x, Column(ref c, k + 1) * stride + offset));
            a2 += Vector256.Create(Unsafe.Add(ref v, k + 2)) * Vector256.LoadUnsafe(ref Unsafe.Add(ref x, Column(ref c, k + 2) * stride + offset));
            a3 += Vector256.Create(Unsafe.Add(ref v, k + 3)) * Vector256.LoadUnsafe(ref Unsafe.Add(ref x, Column(ref c, k + 3) * stride + offset));
        }

        for (; k < end; k++)
        {
            a0 += Vector256.Create(Unsafe.Add(ref v, k)) * Vector256.LoadUnsafe(ref Unsafe.Add(ref x, Column(ref c, k) * stride + offset));
        }

        (Vector256.LoadUnsafe(ref target) + ((a0 + a1) + (a2 + a3))).StoreUnsafe(ref target);
    }
}
