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

    /// <summary>Rows of the Gram micro-tile (broadcast operand).</summary>
    private const int TileRows = 4;

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

        var panels = PanelCount(columns);
        for (var p = 0; p < panels; p++)
        {
            var c0 = p * PanelWidth;
            var width = Math.Min(PanelWidth, columns - c0);
            var panelMeans = means.Slice(c0, width);
            var panel = packed.Slice(p * rows * PanelWidth, rows * PanelWidth);
            for (var r = 0; r < rows; r++)
            {
                var destination = panel.Slice(r * PanelWidth, PanelWidth);
                TensorPrimitives.Subtract(block.Slice(r * columns + c0, width), panelMeans, destination);
                if (width < PanelWidth)
                {
                    destination[width..].Clear();
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
        ref var upperStart = ref MemoryMarshal.GetReference(upper);
        Span<double> tile = stackalloc double[TileRows * PanelWidth];

        for (var jp = 0; jp < panels; jp++)
        {
            var j0 = jp * PanelWidth;
            ref var columnPanel = ref Unsafe.Add(ref packedStart, jp * panelStride);
            var fullWidth = j0 + PanelWidth <= columns;
            for (var i0 = 0; i0 < Math.Min(j0 + PanelWidth, columns); i0 += TileRows)
            {
                // The four row operands i0..i0+3 sit at offset (i0 mod 8) inside panel i0 / 8.
                ref var rowPanel = ref Unsafe.Add(ref packedStart, (i0 / PanelWidth) * panelStride + (i0 % PanelWidth));
                MultiplyTile(ref rowPanel, ref columnPanel, rows,
                    out var c00, out var c01, out var c10, out var c11,
                    out var c20, out var c21, out var c30, out var c31);

                if (fullWidth && i0 + TileRows <= j0)
                {
                    // Strictly above the diagonal and inside the matrix: add the tile with vector stores.
                    ref var row0 = ref Unsafe.Add(ref upperStart, i0 * columns + j0);
                    AddTo(ref row0, c00, c01);
                    AddTo(ref Unsafe.Add(ref row0, columns), c10, c11);
                    AddTo(ref Unsafe.Add(ref row0, 2 * columns), c20, c21);
                    AddTo(ref Unsafe.Add(ref row0, 3 * columns), c30, c31);
                }
                else
                {
                    // Diagonal or ragged tile: spill and add only the entries with i ≤ j inside the matrix.
                    c00.CopyTo(tile);
                    c01.CopyTo(tile[4..]);
                    c10.CopyTo(tile[8..]);
                    c11.CopyTo(tile[12..]);
                    c20.CopyTo(tile[16..]);
                    c21.CopyTo(tile[20..]);
                    c30.CopyTo(tile[24..]);
                    c31.CopyTo(tile[28..]);
                    for (var ii = 0; ii < TileRows; ii++)
                    {
                        var i = i0 + ii;
                        if (i >= columns)
                        {
                            break;
                        }

                        var jEnd = Math.Min(j0 + PanelWidth, columns);
                        for (var j = Math.Max(i, j0); j < jEnd; j++)
                        {
                            upper[i * columns + j] += tile[ii * PanelWidth + (j - j0)];
                        }
                    }
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

    /// <summary>Streams the rows of two panels and returns the 4 × 8 tile of their products.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyTile(ref double rowPanel, ref double columnPanel, int rows,
        out Vector256<double> c00, out Vector256<double> c01, out Vector256<double> c10, out Vector256<double> c11,
        out Vector256<double> c20, out Vector256<double> c21, out Vector256<double> c30, out Vector256<double> c31)
    {
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = Vector256<double>.Zero;
        for (var r = 0; r < rows; r++)
        {
            var offset = (nuint)(r * PanelWidth);
            var b0 = Vector256.LoadUnsafe(ref columnPanel, offset);
            var b1 = Vector256.LoadUnsafe(ref columnPanel, offset + 4);
            ref var a = ref Unsafe.Add(ref rowPanel, offset);

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
