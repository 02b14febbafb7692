using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Reservoir.Readouts;

/// <summary>Span kernels behind <see cref="GramAccumulator"/>: block means, centring, packing and the block Gram product.</summary>
/// <remarks>
/// <para>
/// A block of <c>rows</c> × <c>columns</c> values (row-major) is centred and <em>packed</em> into panels of
/// <see cref="PanelWidth"/> columns: panel p holds columns [8p, 8p + 8) as a contiguous rows × 8 row-major tile, and
/// columns past the end are zero. In that layout the 8 values of one row of a panel are one cache line apart from
/// the next row's, whatever the feature count, so the Gram kernel streams panels without cache-set conflicts.
/// </para>
/// <para>
/// The Gram kernel is register-tiled: a 4 × 8 tile of C = PᵀP is held in eight 256-bit accumulators while the rows
/// are streamed (per row: two vector loads, four broadcasts, eight fused multiply-adds). Only tiles that touch the
/// upper triangle are computed. Kernels check their arguments with <see cref="Debug.Assert(bool)"/> only; callers
/// validate. They allocate nothing.
/// </para>
/// </remarks>
internal static class GramKernels
{
    /// <summary>Number of columns per packed panel.</summary>
    internal const int PanelWidth = 8;

    /// <summary>Rows packed together, so that each panel receives a contiguous run of 8 × 8 values.</summary>
    private const int PackRowGroup = 8;

    /// <summary>Rows of the Gram micro-tile (broadcast operand).</summary>
    private const int TileRows = 4;

    /// <summary>Columns of P per row strip of the Gram kernel (a multiple of <see cref="PanelWidth"/>), sized for L2.</summary>
    private const int RowStripWidth = 64;

    /// <summary>Number of packed panels needed for <paramref name="columns"/> columns.</summary>
    internal static int PanelCount(int columns) => (columns + PanelWidth - 1) / PanelWidth;

    /// <summary>Length of the packed buffer for a <paramref name="rows"/> × <paramref name="columns"/> block.</summary>
    internal static int PackedLength(int rows, int columns) => PanelCount(columns) * PanelWidth * rows;

    /// <summary>Computes the column means of a row-major block, shifted by the first row so that constant columns give their value exactly.</summary>
    /// <param name="block">The rows × columns block, row-major.</param>
    /// <param name="rows">Number of rows, ≥ 1.</param>
    /// <param name="columns">Number of columns, ≥ 1.</param>
    /// <param name="means">Receives the <paramref name="columns"/> means.</param>
    /// <param name="scratch">Scratch of at least <paramref name="columns"/> values.</param>
    internal static void ColumnMeans(ReadOnlySpan<double> block, int rows, int columns, Span<double> means, Span<double> scratch)
    {
        Debug.Assert(rows >= 1 && columns >= 1);
        Debug.Assert(block.Length >= rows * columns && means.Length >= columns && scratch.Length >= columns);

        // mean = x₀ + Σ (x_r − x₀) / n: the shift removes most of the cancellation and makes a constant column exact.
        var first = block[..columns];
        var sum = means[..columns];
        var difference = scratch[..columns];
        sum.Clear();
        for (var r = 1; r < rows; r++)
        {
            TensorPrimitives.Subtract(block.Slice(r * columns, columns), first, difference);
            TensorPrimitives.Add(sum, difference, sum);
        }

        TensorPrimitives.MultiplyAdd(sum, 1.0 / rows, first, sum);
    }

    /// <summary>Subtracts <paramref name="means"/> from each row of a row-major block and writes it into panel layout.</summary>
    /// <param name="block">The rows × columns block, row-major.</param>
    /// <param name="rows">Number of rows, ≥ 1.</param>
    /// <param name="columns">Number of columns, ≥ 1.</param>
    /// <param name="means">The value subtracted from each column.</param>
    /// <param name="packed">Receives the centred block; at least <see cref="PackedLength"/> values. Padding columns are zeroed.</param>
    internal static void PackCentered(ReadOnlySpan<double> block, int rows, int columns, ReadOnlySpan<double> means, Span<double> packed)
    {
        Debug.Assert(rows >= 1 && columns >= 1);
        Debug.Assert(block.Length >= rows * columns && means.Length >= columns);
        Debug.Assert(packed.Length >= PackedLength(rows, columns));

        // Groups of rows are read sequentially and written panel by panel in runs of 8 × 8 contiguous values,
        // which avoids the cache-set conflicts of reading whole columns at a stride of `columns`.
        var fullPanels = columns / PanelWidth;
        ref var source = ref MemoryMarshal.GetReference(block);
        ref var mean = ref MemoryMarshal.GetReference(means);
        ref var destination = ref MemoryMarshal.GetReference(packed);
        for (var r0 = 0; r0 < rows; r0 += PackRowGroup)
        {
            var rowEnd = Math.Min(r0 + PackRowGroup, rows);
            for (var p = 0; p < fullPanels; p++)
            {
                var c0 = p * PanelWidth;
                var mean0 = Vector256.LoadUnsafe(ref mean, (nuint)c0);
                var mean1 = Vector256.LoadUnsafe(ref mean, (nuint)(c0 + 4));
                for (var r = r0; r < rowEnd; r++)
                {
                    ref var from = ref Unsafe.Add(ref source, r * columns + c0);
                    ref var to = ref Unsafe.Add(ref destination, (p * rows + r) * PanelWidth);
                    (Vector256.LoadUnsafe(ref from) - mean0).StoreUnsafe(ref to);
                    (Vector256.LoadUnsafe(ref from, 4) - mean1).StoreUnsafe(ref to, 4);
                }
            }

            if (fullPanels * PanelWidth < columns)
            {
                // Last, partial panel: centre the remaining columns and zero the padding.
                var c0 = fullPanels * PanelWidth;
                for (var r = r0; r < rowEnd; r++)
                {
                    var to = packed.Slice((fullPanels * rows + r) * PanelWidth, PanelWidth);
                    for (var c = 0; c < PanelWidth; c++)
                    {
                        to[c] = c0 + c < columns ? block[r * columns + c0 + c] - means[c0 + c] : 0.0;
                    }
                }
            }
        }
    }

    /// <summary>Adds PᵀP to the upper triangle (j ≥ i) of a row-major columns × columns matrix, where P is a packed block.</summary>
    /// <param name="packed">The block in panel layout (see <see cref="PackCentered"/>).</param>
    /// <param name="rows">Number of rows of the block, ≥ 1.</param>
    /// <param name="columns">Number of columns of the block, ≥ 1.</param>
    /// <param name="upper">The columns × columns accumulator, row-major; entries below the diagonal are not touched.</param>
    internal static void AccumulateUpperGram(ReadOnlySpan<double> packed, int rows, int columns, Span<double> upper)
    {
        Debug.Assert(rows >= 1 && columns >= 1);
        Debug.Assert(packed.Length >= PackedLength(rows, columns));
        Debug.Assert(upper.Length >= columns * columns);

        var panels = PanelCount(columns);
        var panelStride = rows * PanelWidth;
        ref var packedStart = ref MemoryMarshal.GetReference(packed);
        Span<double> spill = stackalloc double[TileRows * PanelWidth];

        // Rows i of C come in strips of RowStripWidth columns of P (rows × 64 doubles, 128 KiB at 256 rows) that stay
        // in L2 while every column panel j ≥ strip start streams past once; each column panel (16 KiB) stays in L1
        // while the strip's 4-row tiles are multiplied with it.
        for (var strip = 0; strip < columns; strip += RowStripWidth)
        {
            var stripEnd = Math.Min(strip + RowStripWidth, columns);
            for (var jp = strip / PanelWidth; jp < panels; jp++)
            {
                var j0 = jp * PanelWidth;
                ref var columnPanel = ref Unsafe.Add(ref packedStart, jp * panelStride);
                var iEnd = Math.Min(stripEnd, j0 + PanelWidth);
                for (var i0 = strip; i0 < iEnd; i0 += TileRows)
                {
                    // The four row operands i0..i0+3 sit at offset (i0 mod 8) inside panel i0 / 8.
                    ref var rowPanel = ref Unsafe.Add(ref packedStart, (i0 / PanelWidth) * panelStride + (i0 % PanelWidth));
                    MultiplyAddTile(ref rowPanel, ref columnPanel, rows, upper, columns, i0, j0, spill);
                }
            }
        }
    }

    /// <summary>Adds PᵀY to a row-major columns × targetCount matrix, where P is a packed block and Y a row-major rows × targetCount block.</summary>
    /// <param name="packed">The feature block in panel layout.</param>
    /// <param name="rows">Number of rows, ≥ 1.</param>
    /// <param name="columns">Number of feature columns, ≥ 1.</param>
    /// <param name="targets">The (centred) target block, row-major rows × targetCount.</param>
    /// <param name="targetCount">Number of target columns, ≥ 1.</param>
    /// <param name="cross">The columns × targetCount accumulator, row-major.</param>
    internal static void AccumulateCross(ReadOnlySpan<double> packed, int rows, int columns,
        ReadOnlySpan<double> targets, int targetCount, Span<double> cross)
    {
        Debug.Assert(rows >= 1 && columns >= 1 && targetCount >= 1);
        Debug.Assert(packed.Length >= PackedLength(rows, columns));
        Debug.Assert(targets.Length >= rows * targetCount && cross.Length >= columns * targetCount);

        var panels = PanelCount(columns);
        ref var packedStart = ref MemoryMarshal.GetReference(packed);
        ref var targetStart = ref MemoryMarshal.GetReference(targets);
        Span<double> spill = stackalloc double[PanelWidth];
        for (var p = 0; p < panels; p++)
        {
            ref var panel = ref Unsafe.Add(ref packedStart, p * rows * PanelWidth);
            var c0 = p * PanelWidth;
            var width = Math.Min(PanelWidth, columns - c0);
            for (var k = 0; k < targetCount; k++)
            {
                var acc0 = Vector256<double>.Zero;
                var acc1 = Vector256<double>.Zero;
                for (var r = 0; r < rows; r++)
                {
                    ref var x = ref Unsafe.Add(ref panel, r * PanelWidth);
                    var y = Vector256.Create(Unsafe.Add(ref targetStart, r * targetCount + k));
                    acc0 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref x), y, acc0);
                    acc1 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref x, 4), y, acc1);
                }

                acc0.CopyTo(spill);
                acc1.CopyTo(spill[4..]);
                for (var c = 0; c < width; c++)
                {
                    cross[(c0 + c) * targetCount + k] += spill[c];
                }
            }
        }
    }

    /// <summary>Adds <paramref name="scale"/> · v vᵀ to the upper triangle (j ≥ i) of a row-major n × n matrix.</summary>
    /// <param name="upper">The n × n matrix, row-major.</param>
    /// <param name="v">The vector of length n.</param>
    /// <param name="scale">The factor applied to the outer product.</param>
    internal static void AddUpperOuterProduct(Span<double> upper, ReadOnlySpan<double> v, double scale)
    {
        var n = v.Length;
        Debug.Assert(upper.Length >= n * n);
        for (var i = 0; i < n; i++)
        {
            var row = upper.Slice(i * n + i, n - i);
            TensorPrimitives.MultiplyAdd(v[i..], scale * v[i], row, row);
        }
    }

    /// <summary>Computes the 4 × 8 tile C[i0..i0+3, j0..j0+7] += Σ_r a_r b_rᵀ by streaming the rows of two panels, and adds its upper part.</summary>
    private static void MultiplyAddTile(ref double rowPanel, ref double columnPanel, int rows,
        Span<double> upper, int columns, int i0, int j0, Span<double> spill)
    {
        var c00 = Vector256<double>.Zero;
        var c01 = Vector256<double>.Zero;
        var c10 = Vector256<double>.Zero;
        var c11 = Vector256<double>.Zero;
        var c20 = Vector256<double>.Zero;
        var c21 = Vector256<double>.Zero;
        var c30 = Vector256<double>.Zero;
        var c31 = Vector256<double>.Zero;
        ref var a = ref rowPanel;
        ref var b = ref columnPanel;
        for (var r = 0; r < rows; r++)
        {
            var b0 = Vector256.LoadUnsafe(ref b);
            var b1 = Vector256.LoadUnsafe(ref b, 4);
            var a0 = Vector256.Create(a);
            c00 = Vector256.MultiplyAddEstimate(a0, b0, c00);
            c01 = Vector256.MultiplyAddEstimate(a0, b1, c01);
            var a1 = Vector256.Create(Unsafe.Add(ref a, 1));
            c10 = Vector256.MultiplyAddEstimate(a1, b0, c10);
            c11 = Vector256.MultiplyAddEstimate(a1, b1, c11);
            var a2 = Vector256.Create(Unsafe.Add(ref a, 2));
            c20 = Vector256.MultiplyAddEstimate(a2, b0, c20);
            c21 = Vector256.MultiplyAddEstimate(a2, b1, c21);
            var a3 = Vector256.Create(Unsafe.Add(ref a, 3));
            c30 = Vector256.MultiplyAddEstimate(a3, b0, c30);
            c31 = Vector256.MultiplyAddEstimate(a3, b1, c31);
            a = ref Unsafe.Add(ref a, PanelWidth);
            b = ref Unsafe.Add(ref b, PanelWidth);
        }

        if (i0 + TileRows <= j0 && j0 + PanelWidth <= columns)
        {
            // Strictly above the diagonal and inside the matrix: add the tile with vector stores.
            ref var row = ref Unsafe.Add(ref MemoryMarshal.GetReference(upper), i0 * columns + j0);
            AddTo(ref row, c00, c01);
            AddTo(ref Unsafe.Add(ref row, columns), c10, c11);
            AddTo(ref Unsafe.Add(ref row, 2 * columns), c20, c21);
            AddTo(ref Unsafe.Add(ref row, 3 * columns), c30, c31);
            return;
        }

        // Diagonal or ragged tile: spill and add only the entries with i ≤ j inside the matrix.
        c00.CopyTo(spill);
        c01.CopyTo(spill[4..]);
        c10.CopyTo(spill[8..]);
        c11.CopyTo(spill[12..]);
        c20.CopyTo(spill[16..]);
        c21.CopyTo(spill[20..]);
        c30.CopyTo(spill[24..]);
        c31.CopyTo(spill[28..]);
        var iEnd = Math.Min(i0 + TileRows, columns);
        var jEnd = Math.Min(j0 + PanelWidth, columns);
        for (var i = i0; i < iEnd; i++)
        {
            for (var j = Math.Max(i, j0); j < jEnd; j++)
            {
                upper[i * columns + j] += spill[(i - i0) * PanelWidth + (j - j0)];
            }
        }
    }

    /// <summary>Adds two vectors to eight consecutive values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo(ref double destination, Vector256<double> low, Vector256<double> high)
    {
        (Vector256.LoadUnsafe(ref destination) + low).StoreUnsafe(ref destination);
        (Vector256.LoadUnsafe(ref destination, 4) + high).StoreUnsafe(ref destination, 4);
    }
}
