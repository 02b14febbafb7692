using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Reservoir.Numerics;

/// <summary>The per-step arithmetic primitives of the reservoir: sparse products, affine input terms, activation and leaky update.</summary>
/// <remarks>
/// <para>Spans in, nothing allocated; arguments are checked by the public callers (Debug.Assert here).</para>
/// <para>
/// <b>Layout.</b> The primitives work on a block of B state columns stored row-major with row length <c>stride</c>: unit i
/// of column j is at <c>i·stride + j</c>, and an input or fed-back vector of K values is K rows of the same stride. One
/// sequence is stride 1; a block of several sequences has a stride that is a multiple of 4, and only the first
/// <c>width</c> columns (a multiple of 4) of a row are computed. <see cref="StepEngine"/> composes them into one step.
/// </para>
/// <para>
/// <b>Block product.</b> For a block, each row's non-zeros are walked once per pass over up to 32 columns (four 512-bit
/// vectors, then a pass of 16 and one of 8; or, without 512-bit vectors, passes of 8 and 4): each stored weight is
/// loaded and broadcast once per pass and multiplied into a vector of x[j, ·] per 8 columns, so for the 32 columns of a
/// full block every weight is loaded once per step. The columns of a unit are contiguous, so these are whole-vector
/// loads. A pass keeps four accumulator vectors per 8 columns (sixteen registers for 32 columns).
/// </para>
/// <para>
/// <b>Summation contract.</b> Every path that multiplies a CSR row by a state (one or two threads,
/// one sequence or a block of sequences) computes the row's dot product in one canonical order, so that their
/// results are bit-identical: for row i with non-zeros k in [p, q), partial sum s_l (l = 0..3) accumulates, in
/// increasing k, the terms with (k − p) mod 4 = l and k &lt; p + 4·⌊(q − p)/4⌋; then the tail terms
/// (the last (q − p) mod 4) are added to s_0 in increasing k; the result is (s_0 + s_1) + (s_2 + s_3). Each term
/// is a separate multiply then add (never a fused multiply-add), starting from +0. The l-th of four accumulators of a
/// column block is exactly s_l of each of its columns. The row's sum is then added to the pre-activation,
/// which already holds ((b + W_in[:,0]·u_0) + W_in[:,1]·u_1 …) + W_fb terms, each again multiply then add.
/// </para>
/// <para>
/// The activation is the vector tanh of <see cref="VectorTanh"/> (with 512-bit vectors and FMA; elsewhere
/// <c>TensorPrimitives.Tanh</c>, whose vector code it reproduces bit for bit), which differs from <see cref="Math.Tanh"/>
/// in the last bit; every value takes the vector code whatever the span length (short spans and tails are padded).
/// The leaky update is next = x + α·(f − x) (subtract, multiply, add) and the noise is added last, drawn in unit
/// order per sequence. With a carry matrix C (the edge-of-stability update) the same leaky update reads the carried
/// state C·x (<see cref="CarryState"/>) in place of x: next = C·x + α·(f − C·x) = (1−α)·C·x + α·f.
/// </para>
/// </remarks>
internal static class ReservoirKernels
{
    /// <summary>The shortest span handed to the vectorised activation; shorter spans are padded to it.</summary>
    internal const int MinActivationLength = 8;

    /// <summary>
    /// Whether the block product of several sequences uses 512-bit vectors (32, 16 or 8 columns per pass over a row) rather
    /// than 256-bit ones (8 or 4): true where 512-bit vectors are hardware-accelerated. Both give bit-identical results;
    /// tests and benchmarks switch it off to reach the 256-bit path on such machines.
    /// </summary>
    internal static bool UseWideVectors { get; set; } = Vector512.IsHardwareAccelerated;

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

    /// <summary>
    /// Y[i, j] += Σ_k A[i, k]·X[k, j] for rows [rowStart, rowEnd) and columns j in [0, width), in the canonical order
    /// of the class remarks. With stride 1 (one column) each row is one scalar dot product; otherwise stride and width
    /// are multiples of 4 and each group of four columns gets four accumulator vectors, vector l holding s_l.
    /// </summary>
    internal static void SparseMultiplyAdd(CompactRows a, ReadOnlySpan<double> x, Span<double> y, int stride, int width,
        int rowStart, int rowEnd)
    {
        Debug.Assert(rowEnd <= a.RowCount && y.Length >= rowEnd * stride && rowStart >= 0 && width <= stride);
        if (stride == 1)
        {
            if (a.NarrowColumns is { } narrow)
            {
                MultiplyAdd<ushort>(a.RowPointers, narrow, a.Values, x, y, rowStart, rowEnd);
            }
            else
            {
                MultiplyAdd<int>(a.RowPointers, a.WideColumns!, a.Values, x, y, rowStart, rowEnd);
            }

            return;
        }

        Debug.Assert(stride % Vector256<double>.Count == 0 && width % Vector256<double>.Count == 0);
        if (a.NarrowColumns is { } narrowBlock)
        {
            MultiplyAddBlock<ushort>(a.RowPointers, narrowBlock, a.Values, x, y, stride, width, rowStart, rowEnd);
        }
        else
        {
            MultiplyAddBlock<int>(a.RowPointers, a.WideColumns!, a.Values, x, y, stride, width, rowStart, rowEnd);
        }
    }

    /// <summary>
    /// The carried state of the update, carried[i, j] = Σ_k C[i, k]·x[k, j] for rows [start, end) and columns [0, width):
    /// the rows are cleared, then the block product of <see cref="SparseMultiplyAdd"/> (the canonical order) is added, so a
    /// column of a block equals the one sequence alone. The leaky update then reads it in place of x.
    /// </summary>
    internal static void CarryState(CompactRows carry, ReadOnlySpan<double> x, Span<double> carried, int stride, int width,
        int start, int end)
    {
        carried[(start * stride)..(end * stride)].Clear();
        SparseMultiplyAdd(carry, x, carried, stride, width, start, end);
    }

    /// <summary>
    /// The affine part of the pre-activation, pre[i, j] = ((b[i] + Σ_d W_in[i, d]·u[d, j]) + Σ_e W_fb[i, e]·y[e, j]),
    /// for rows [start, end) and columns [0, width): the bias first, then each input and each fed-back value in order,
    /// each a multiply then an add.
    /// </summary>
    /// <param name="bias">b, length N.</param>
    /// <param name="inputColumns">W_in column-major (column d is [d·N, (d + 1)·N)).</param>
    /// <param name="inputs">u, D rows of <paramref name="stride"/> values.</param>
    /// <param name="feedbackColumns">W_fb column-major.</param>
    /// <param name="feedback">y, F rows of <paramref name="stride"/> values (empty without feedback).</param>
    /// <param name="pre">The pre-activation block, N rows of <paramref name="stride"/> values.</param>
    /// <param name="stride">The row length: 1, or a multiple of 4.</param>
    /// <param name="width">The columns computed: 1 with stride 1, otherwise a multiple of 4 up to the stride.</param>
    /// <param name="start">The first unit.</param>
    /// <param name="end">One past the last unit.</param>
    internal static void AffineTerms(ReadOnlySpan<double> bias, ReadOnlySpan<double> inputColumns, ReadOnlySpan<double> inputs,
        ReadOnlySpan<double> feedbackColumns, ReadOnlySpan<double> feedback, Span<double> pre, int stride, int width,
        int start, int end)
    {
        var n = bias.Length;
        var inputDimension = inputs.Length / stride;
        var feedbackDimension = feedback.Length / stride;
        Debug.Assert(inputColumns.Length == n * inputDimension && feedbackColumns.Length == n * feedbackDimension);
        var count = end - start;
        if (stride == 1)
        {
            // Column-major W_in, so each input is one SIMD axpy (multiply, then add) over the units.
            var slice = pre.Slice(start, count);
            bias.Slice(start, count).CopyTo(slice);
            for (var d = 0; d < inputDimension; d++)
            {
                TensorPrimitives.MultiplyAdd(inputColumns.Slice(d * n + start, count), inputs[d], slice, slice);
            }

            for (var d = 0; d < feedbackDimension; d++)
            {
                TensorPrimitives.MultiplyAdd(feedbackColumns.Slice(d * n + start, count), feedback[d], slice, slice);
            }

            return;
        }

        Debug.Assert(stride % Vector256<double>.Count == 0 && width % Vector256<double>.Count == 0);
        ref var preStart = ref MemoryMarshal.GetReference(pre);
        ref var u = ref MemoryMarshal.GetReference(inputs);
        ref var y = ref MemoryMarshal.GetReference(feedback);
        var vector = Vector256<double>.Count;
        for (var i = start; i < end; i++)
        {
            ref var row = ref Unsafe.Add(ref preStart, (nint)i * stride);
            var b = Vector256.Create(bias[i]);
            for (var j = 0; j < width; j += vector)
            {
                b.StoreUnsafe(ref row, (nuint)j);
            }

            AddColumnTerms(ref row, inputColumns, ref u, inputDimension, n, i, stride, width);
            AddColumnTerms(ref row, feedbackColumns, ref y, feedbackDimension, n, i, stride, width);
        }
    }

    /// <summary>row[j] += W[i, d]·v[d, j] for d in [0, dimension), in increasing d (multiply, then add), W column-major with N rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddColumnTerms(ref double row, ReadOnlySpan<double> columns, ref double values, int dimension, int n,
        int i, int stride, int width)
    {
        var vector = Vector256<double>.Count;
        for (var d = 0; d < dimension; d++)
        {
            var w = Vector256.Create(columns[d * n + i]);
            for (var j = 0; j < width; j += vector)
            {
                var value = Vector256.LoadUnsafe(ref values, (nuint)(d * stride + j));
                (w * value + Vector256.LoadUnsafe(ref row, (nuint)j)).StoreUnsafe(ref row, (nuint)j);
            }
        }
    }

    /// <summary>
    /// The leaky update next[i, j] = x[i, j] + α[i]·(f[i, j] − x[i, j]) (subtract, multiply, add) for rows
    /// [start, end) and columns [0, width); <paramref name="activated"/> is used as scratch.
    /// </summary>
    internal static void LeakyUpdate(ReadOnlySpan<double> leakRates, Span<double> activated, ReadOnlySpan<double> x,
        Span<double> next, int stride, int width, int start, int end)
    {
        var count = end - start;
        if (stride == 1)
        {
            var f = activated.Slice(start, count);
            var xSlice = x.Slice(start, count);
            TensorPrimitives.Subtract(f, xSlice, f);
            TensorPrimitives.MultiplyAdd(f, leakRates.Slice(start, count), xSlice, next.Slice(start, count));
            return;
        }

        Debug.Assert(stride % Vector256<double>.Count == 0 && width % Vector256<double>.Count == 0);
        ref var fr = ref MemoryMarshal.GetReference(activated);
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var nextr = ref MemoryMarshal.GetReference(next);
        var vector = Vector256<double>.Count;
        for (var i = start; i < end; i++)
        {
            var alpha = Vector256.Create(leakRates[i]);
            var offset = (nint)i * stride;
            for (var j = 0; j < width; j += vector)
            {
                var index = (nuint)(offset + j);
                var xv = Vector256.LoadUnsafe(ref xr, index);
                ((Vector256.LoadUnsafe(ref fr, index) - xv) * alpha + xv).StoreUnsafe(ref nextr, index);
            }
        }
    }

    /// <summary>
    /// sums[j] = Σ_i block[i, j] for columns j in [0, sums.Length) over the first <paramref name="rows"/> rows, each column
    /// summed in increasing i from +0 (the finiteness check of a step).
    /// </summary>
    /// <param name="block">The block, rows of <paramref name="stride"/> values.</param>
    /// <param name="stride">The row length, a multiple of 4.</param>
    /// <param name="rows">The rows summed.</param>
    /// <param name="sums">The column sums; its length is the columns summed, a multiple of 4 up to the stride.</param>
    internal static void ColumnSums(ReadOnlySpan<double> block, int stride, int rows, Span<double> sums)
    {
        var width = sums.Length;
        Debug.Assert(width % Vector256<double>.Count == 0 && width <= stride && block.Length >= rows * stride);
        ref var b = ref MemoryMarshal.GetReference(block);
        ref var s = ref MemoryMarshal.GetReference(sums);
        var offset = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            const int W = 8;
            for (; offset + 4 * W <= width; offset += 4 * W)
            {
                Vector512<double> s0 = default, s1 = default, s2 = default, s3 = default;
                ref var column = ref Unsafe.Add(ref b, offset);
                for (var i = 0; i < rows; i++)
                {
                    ref var row = ref Unsafe.Add(ref column, (nint)i * stride);
                    s0 += Vector512.LoadUnsafe(ref row);
                    s1 += Vector512.LoadUnsafe(ref row, W);
                    s2 += Vector512.LoadUnsafe(ref row, 2 * W);
                    s3 += Vector512.LoadUnsafe(ref row, 3 * W);
                }

                s0.StoreUnsafe(ref s, (nuint)offset);
                s1.StoreUnsafe(ref s, (nuint)(offset + W));
                s2.StoreUnsafe(ref s, (nuint)(offset + 2 * W));
                s3.StoreUnsafe(ref s, (nuint)(offset + 3 * W));
            }
        }

        for (; offset < width; offset += Vector256<double>.Count)
        {
            var sum = Vector256<double>.Zero;
            ref var column = ref Unsafe.Add(ref b, offset);
            for (var i = 0; i < rows; i++)
            {
                sum += Vector256.LoadUnsafe(ref column, (nuint)((nint)i * stride));
            }

            sum.StoreUnsafe(ref s, (nuint)offset);
        }
    }

    /// <summary>Applies the activation in place, padding short spans so that every value takes the vector code (<see cref="VectorTanh.Apply"/>).</summary>
    internal static void Activate(Activation activation, Span<double> values)
    {
        if (values.IsEmpty)
        {
            return;
        }

        switch (activation)
        {
            case Activation.Tanh:
                VectorTanh.Apply(values);
                break;
            case Activation.Sigmoid:
                Sigmoid(values);
                break;
        }
    }

    /// <summary>
    /// <c>TensorPrimitives.Sigmoid</c> in place, spans shorter than <see cref="MinActivationLength"/> padded so that every
    /// value takes the vector code; a value's result does not depend on its neighbours unless one of them exceeds ~700 in
    /// magnitude (where the vector exponential falls back to the scalar one for its whole vector).
    /// </summary>
    private static void Sigmoid(Span<double> values)
    {
        if (values.Length >= MinActivationLength)
        {
            TensorPrimitives.Sigmoid(values, values);
            return;
        }

        Span<double> padded = stackalloc double[MinActivationLength];
        padded.Clear();
        values.CopyTo(padded);
        TensorPrimitives.Sigmoid(padded, padded);
        padded[..values.Length].CopyTo(values);
    }

    /// <summary>
    /// The activation and the leaky update of rows [start, end), columns [0, width): next = x + α·(f(pre) − x), or
    /// next = f(pre) when <paramref name="leakRates"/> is empty (every α is 1); <paramref name="pre"/> may be used as scratch.
    /// </summary>
    /// <remarks>
    /// A block of several sequences with tanh and <see cref="VectorTanh.IsSupported"/> takes one pass per row (tanh, subtract,
    /// multiply, add on each vector while it is in registers); otherwise <see cref="Activate"/> then <see cref="LeakyUpdate"/>.
    /// Both do the same operations on each value, so the bits are the same.
    /// </remarks>
    internal static void ActivateAndLeak(Activation activation, ReadOnlySpan<double> leakRates, Span<double> pre,
        ReadOnlySpan<double> x, Span<double> next, int stride, int width, int start, int end)
    {
        if (activation == Activation.Tanh && stride > 1 && width % Vector512<double>.Count == 0 && VectorTanh.IsSupported)
        {
            TanhLeakyBlock(leakRates, pre, x, next, stride, width, start, end);
            return;
        }

        var rows = (start * stride)..(end * stride);
        Activate(activation, pre[rows]);
        if (leakRates.IsEmpty)
        {
            pre[rows].CopyTo(next[rows]);
        }
        else
        {
            LeakyUpdate(leakRates, pre, x, next, stride, width, start, end);
        }
    }

    /// <summary>next[i, j] = x[i, j] + α[i]·(tanh(pre[i, j]) − x[i, j]) (or tanh(pre[i, j]) without leak rates), one pass per row, width a multiple of 8.</summary>
    private static void TanhLeakyBlock(ReadOnlySpan<double> leakRates, ReadOnlySpan<double> pre, ReadOnlySpan<double> x,
        Span<double> next, int stride, int width, int start, int end)
    {
        const int W = 8;
        Debug.Assert(width % W == 0 && width <= stride && next.Length >= end * stride);
        ref var p = ref MemoryMarshal.GetReference(pre);
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var nextr = ref MemoryMarshal.GetReference(next);
        if (leakRates.IsEmpty)
        {
            for (var i = start; i < end; i++)
            {
                var offset = (nint)i * stride;
                for (var j = 0; j < width; j += W)
                {
                    var index = (nuint)(offset + j);
                    VectorTanh.Tanh(Vector512.LoadUnsafe(ref p, index)).StoreUnsafe(ref nextr, index);
                }
            }

            return;
        }

        for (var i = start; i < end; i++)
        {
            var alpha = Vector512.Create(leakRates[i]);
            var offset = (nint)i * stride;
            for (var j = 0; j < width; j += W)
            {
                var index = (nuint)(offset + j);
                var xv = Vector512.LoadUnsafe(ref xr, index);
                ((VectorTanh.Tanh(Vector512.LoadUnsafe(ref p, index)) - xv) * alpha + xv).StoreUnsafe(ref nextr, index);
            }
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

    /// <summary>The column index at position <paramref name="k"/> of a CSR column array of ushort or int, for the double and the float kernels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static nint Column<TIndex>(ref TIndex c, int k)
        where TIndex : unmanaged =>
        typeof(TIndex) == typeof(ushort)
            ? Unsafe.As<TIndex, ushort>(ref Unsafe.Add(ref c, k))
            : Unsafe.As<TIndex, int>(ref Unsafe.Add(ref c, k));

    private static void MultiplyAdd<TIndex>(int[] rowPointers, TIndex[] columns, double[] values, ReadOnlySpan<double> x,
        Span<double> y, int rowStart, int rowEnd)
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

    private static void MultiplyAddBlock<TIndex>(int[] rowPointers, TIndex[] columns, double[] values,
        ReadOnlySpan<double> x, Span<double> y, int stride, int width, int rowStart, int rowEnd)
        where TIndex : unmanaged
    {
        ref var c = ref MemoryMarshal.GetArrayDataReference(columns);
        ref var v = ref MemoryMarshal.GetArrayDataReference(values);
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        var wide = UseWideVectors && width % Vector512<double>.Count == 0;
        var vector = Vector256<double>.Count;
        for (var i = rowStart; i < rowEnd; i++)
        {
            var start = rowPointers[i];
            var end = rowPointers[i + 1];
            ref var target = ref Unsafe.Add(ref yr, (nint)i * stride);
            var offset = 0;
            if (wide)
            {
                for (; offset + 4 * Vector512<double>.Count <= width; offset += 4 * Vector512<double>.Count)
                {
                    RowDotBlock32(ref c, ref v, ref xr, stride, offset, start, end, ref Unsafe.Add(ref target, offset));
                }

                if (offset + 2 * Vector512<double>.Count <= width)
                {
                    RowDotBlock16(ref c, ref v, ref xr, stride, offset, start, end, ref Unsafe.Add(ref target, offset));
                    offset += 2 * Vector512<double>.Count;
                }

                if (offset < width)
                {
                    RowDotBlock8(ref c, ref v, ref xr, stride, offset, start, end, ref Unsafe.Add(ref target, offset));
                }

                continue;
            }

            for (; offset + 2 * vector <= width; offset += 2 * vector)
            {
                RowDotBlockPair(ref c, ref v, ref xr, stride, offset, start, end, ref Unsafe.Add(ref target, offset));
            }

            if (offset < width)
            {
                RowDotBlockSingle(ref c, ref v, ref xr, stride, offset, start, end, ref Unsafe.Add(ref target, offset));
            }
        }
    }

    /// <summary>
    /// Thirty-two columns of one row's block product (four 512-bit vectors, four accumulators each: sixteen registers),
    /// added to <paramref name="target"/>: each stored weight is loaded and broadcast once for all 32 columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowDotBlock32<TIndex>(ref TIndex c, ref double v, ref double x, int stride, int offset, int start,
        int end, ref double target)
        where TIndex : unmanaged
    {
        const int W = 8;
        Vector512<double> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector512<double> b0 = default, b1 = default, b2 = default, b3 = default;
        Vector512<double> c0 = default, c1 = default, c2 = default, c3 = default;
        Vector512<double> d0 = default, d1 = default, d2 = default, d3 = default;
        ref var xo = ref Unsafe.Add(ref x, offset);
        var k = start;
        for (; k + 4 <= end; k += 4)
        {
            ref var x0 = ref Unsafe.Add(ref xo, Column(ref c, k) * stride);
            var w0 = Vector512.Create(Unsafe.Add(ref v, k));
            a0 += w0 * Vector512.LoadUnsafe(ref x0);
            b0 += w0 * Vector512.LoadUnsafe(ref x0, W);
            c0 += w0 * Vector512.LoadUnsafe(ref x0, 2 * W);
            d0 += w0 * Vector512.LoadUnsafe(ref x0, 3 * W);
            ref var x1 = ref Unsafe.Add(ref xo, Column(ref c, k + 1) * stride);
            var w1 = Vector512.Create(Unsafe.Add(ref v, k + 1));
            a1 += w1 * Vector512.LoadUnsafe(ref x1);
            b1 += w1 * Vector512.LoadUnsafe(ref x1, W);
            c1 += w1 * Vector512.LoadUnsafe(ref x1, 2 * W);
            d1 += w1 * Vector512.LoadUnsafe(ref x1, 3 * W);
            ref var x2 = ref Unsafe.Add(ref xo, Column(ref c, k + 2) * stride);
            var w2 = Vector512.Create(Unsafe.Add(ref v, k + 2));
            a2 += w2 * Vector512.LoadUnsafe(ref x2);
            b2 += w2 * Vector512.LoadUnsafe(ref x2, W);
            c2 += w2 * Vector512.LoadUnsafe(ref x2, 2 * W);
            d2 += w2 * Vector512.LoadUnsafe(ref x2, 3 * W);
            ref var x3 = ref Unsafe.Add(ref xo, Column(ref c, k + 3) * stride);
            var w3 = Vector512.Create(Unsafe.Add(ref v, k + 3));
            a3 += w3 * Vector512.LoadUnsafe(ref x3);
            b3 += w3 * Vector512.LoadUnsafe(ref x3, W);
            c3 += w3 * Vector512.LoadUnsafe(ref x3, 2 * W);
            d3 += w3 * Vector512.LoadUnsafe(ref x3, 3 * W);
        }

        for (; k < end; k++)
        {
            ref var xk = ref Unsafe.Add(ref xo, Column(ref c, k) * stride);
            var w = Vector512.Create(Unsafe.Add(ref v, k));
            a0 += w * Vector512.LoadUnsafe(ref xk);
            b0 += w * Vector512.LoadUnsafe(ref xk, W);
            c0 += w * Vector512.LoadUnsafe(ref xk, 2 * W);
            d0 += w * Vector512.LoadUnsafe(ref xk, 3 * W);
        }

        (Vector512.LoadUnsafe(ref target) + ((a0 + a1) + (a2 + a3))).StoreUnsafe(ref target);
        (Vector512.LoadUnsafe(ref target, W) + ((b0 + b1) + (b2 + b3))).StoreUnsafe(ref target, W);
        (Vector512.LoadUnsafe(ref target, 2 * W) + ((c0 + c1) + (c2 + c3))).StoreUnsafe(ref target, 2 * W);
        (Vector512.LoadUnsafe(ref target, 3 * W) + ((d0 + d1) + (d2 + d3))).StoreUnsafe(ref target, 3 * W);
    }

    /// <summary>Sixteen columns of one row's block product (two 512-bit vectors, four accumulators each), added to <paramref name="target"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowDotBlock16<TIndex>(ref TIndex c, ref double v, ref double x, int stride, int offset, int start,
        int end, ref double target)
        where TIndex : unmanaged
    {
        const int W = 8;
        Vector512<double> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector512<double> b0 = default, b1 = default, b2 = default, b3 = default;
        ref var xo = ref Unsafe.Add(ref x, offset);
        var k = start;
        for (; k + 4 <= end; k += 4)
        {
            ref var x0 = ref Unsafe.Add(ref xo, Column(ref c, k) * stride);
            var w0 = Vector512.Create(Unsafe.Add(ref v, k));
            a0 += w0 * Vector512.LoadUnsafe(ref x0);
            b0 += w0 * Vector512.LoadUnsafe(ref x0, W);
            ref var x1 = ref Unsafe.Add(ref xo, Column(ref c, k + 1) * stride);
            var w1 = Vector512.Create(Unsafe.Add(ref v, k + 1));
            a1 += w1 * Vector512.LoadUnsafe(ref x1);
            b1 += w1 * Vector512.LoadUnsafe(ref x1, W);
            ref var x2 = ref Unsafe.Add(ref xo, Column(ref c, k + 2) * stride);
            var w2 = Vector512.Create(Unsafe.Add(ref v, k + 2));
            a2 += w2 * Vector512.LoadUnsafe(ref x2);
            b2 += w2 * Vector512.LoadUnsafe(ref x2, W);
            ref var x3 = ref Unsafe.Add(ref xo, Column(ref c, k + 3) * stride);
            var w3 = Vector512.Create(Unsafe.Add(ref v, k + 3));
            a3 += w3 * Vector512.LoadUnsafe(ref x3);
            b3 += w3 * Vector512.LoadUnsafe(ref x3, W);
        }

        for (; k < end; k++)
        {
            ref var xk = ref Unsafe.Add(ref xo, Column(ref c, k) * stride);
            var w = Vector512.Create(Unsafe.Add(ref v, k));
            a0 += w * Vector512.LoadUnsafe(ref xk);
            b0 += w * Vector512.LoadUnsafe(ref xk, W);
        }

        (Vector512.LoadUnsafe(ref target) + ((a0 + a1) + (a2 + a3))).StoreUnsafe(ref target);
        (Vector512.LoadUnsafe(ref target, W) + ((b0 + b1) + (b2 + b3))).StoreUnsafe(ref target, W);
    }

    /// <summary>Eight columns of one row's block product (one 512-bit vector, four accumulators), added to <paramref name="target"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowDotBlock8<TIndex>(ref TIndex c, ref double v, ref double x, int stride, int offset, int start,
        int end, ref double target)
        where TIndex : unmanaged
    {
        Vector512<double> a0 = default, a1 = default, a2 = default, a3 = default;
        ref var xo = ref Unsafe.Add(ref x, offset);
        var k = start;
        for (; k + 4 <= end; k += 4)
        {
            a0 += Vector512.Create(Unsafe.Add(ref v, k)) * Vector512.LoadUnsafe(ref Unsafe.Add(ref xo, Column(ref c, k) * stride));
            a1 += Vector512.Create(Unsafe.Add(ref v, k + 1)) * Vector512.LoadUnsafe(ref Unsafe.Add(ref xo, Column(ref c, k + 1) * stride));
            a2 += Vector512.Create(Unsafe.Add(ref v, k + 2)) * Vector512.LoadUnsafe(ref Unsafe.Add(ref xo, Column(ref c, k + 2) * stride));
            a3 += Vector512.Create(Unsafe.Add(ref v, k + 3)) * Vector512.LoadUnsafe(ref Unsafe.Add(ref xo, Column(ref c, k + 3) * stride));
        }

        for (; k < end; k++)
        {
            a0 += Vector512.Create(Unsafe.Add(ref v, k)) * Vector512.LoadUnsafe(ref Unsafe.Add(ref xo, Column(ref c, k) * stride));
        }

        (Vector512.LoadUnsafe(ref target) + ((a0 + a1) + (a2 + a3))).StoreUnsafe(ref target);
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
