using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Reservoir.Readouts;

/// <summary>Span kernels behind <see cref="GramAccumulator"/>: block means, shifting, packing and the block Gram product.</summary>
/// <remarks>
/// <para>
/// <b>Packed layout.</b> A block of <c>rows</c> × <c>columns</c> values (row-major) is shifted and <em>packed</em> in
/// chunks of at most <see cref="ChunkRows"/> rows. Inside a chunk of r rows, panel p holds columns
/// [24p, 24p + 24) as a contiguous r × 24 row-major tile, and columns past the end are zero. A panel of a full chunk
/// (24 KiB) stays in L1 while the kernel streams the other operand past it, and the 24 values of one row are one
/// aligned run (three cache lines), whatever the feature count, so the kernel streams panels without cache-set
/// conflicts. The layout is the same for both micro-kernels.
/// </para>
/// <para>
/// <b>Micro-kernels.</b> Where <see cref="Vector512.IsHardwareAccelerated"/> (AVX-512), an 8 × 24 tile of C = PᵀP lives
/// in 24 of the 32 512-bit registers while the rows of the chunk are streamed: per row three vector loads, eight
/// broadcasts and 24 fused multiply-adds. Otherwise (AVX2, 16 registers) each panel is taken as two 4 × 12 tiles in
/// twelve 256-bit accumulators: per row three loads, four broadcasts and twelve fused multiply-adds, a quarter of the
/// work. Twelve or more independent chains cover the FMA latency in both. Both add every entry over the rows of a chunk in the same order with fused multiply-adds, so on one
/// machine they give the same bits (tested); <see cref="BestInstructionSet"/> picks one. Only tiles that touch the
/// upper triangle are computed. Rows i of C are taken in strips of <see cref="RowStripWidth"/> columns whose operands (a
/// strip of a chunk, 96 KiB) stay in L2 while the column panels pass.
/// </para>
/// <para>
/// <b>Threads.</b> The column panels of the triangle are cut into contiguous ranges of about equal area (panel j costs
/// j + 1 tiles) and the ranges run on the thread pool when the block is large enough to pay for it
/// (<see cref="ParallelThreshold"/>). Every tile is computed by the same code in the same order of rows whichever
/// thread runs it, so the result does not depend on the number of threads (bit for bit).
/// </para>
/// <para>
/// Flop convention: the upper triangle of a rows × D block costs rows · D · (D + 1) flops (one multiply and one add
/// for each of the D(D + 1)/2 entries and each row). Kernels check their arguments with
/// <see cref="Debug.Assert(bool)"/> only; callers validate. Apart from the parallel loop's own bookkeeping, they
/// allocate nothing.
/// </para>
/// </remarks>
internal static class GramKernels
{
    /// <summary>Number of columns per packed panel: three 512-bit vectors, or two 12-column halves of three 256-bit vectors.</summary>
    internal const int PanelWidth = 24;

    /// <summary>Columns of the 256-bit micro-tile: half a panel.</summary>
    private const int HalfWidth = PanelWidth / 2;

    /// <summary>Largest number of rows packed as one chunk: the k-extent of one pass of the micro-kernel (a panel of a full chunk is 24 KiB).</summary>
    internal const int ChunkRows = 128;

    /// <summary>Smallest rows · D · (D + 1) (flops of the triangle) for which a block is split across threads.</summary>
    internal const long ParallelThreshold = 16_000_000;

    /// <summary>Smallest rows · columns for which packing is split across threads.</summary>
    internal const long ParallelPackThreshold = 1 << 17;

    /// <summary>Rows of the 256-bit Gram micro-tile (broadcast operand).</summary>
    private const int TileRows = 4;

    /// <summary>Rows of the 512-bit Gram micro-tile (broadcast operand): 8 × 24 values in 24 of the 32 vector registers.</summary>
    private const int WideTileRows = 8;

    /// <summary>Columns of P per row strip of the Gram kernel (a multiple of <see cref="PanelWidth"/>), sized for L2.</summary>
    private const int RowStripWidth = 96;

    /// <summary>Rows packed together, so that each panel receives a contiguous run of 8 × 12 values.</summary>
    private const int PackRowGroup = 8;

    /// <summary>Gets the widest vector instruction set the Gram kernel can use here: 512-bit vectors where <see cref="Vector512.IsHardwareAccelerated"/>, 256-bit otherwise.</summary>
    internal static GramInstructionSet BestInstructionSet =>
        Vector512.IsHardwareAccelerated ? GramInstructionSet.Vector512 : GramInstructionSet.Vector256;

    /// <summary>A short name of an instruction set for reports: "AVX-512", "AVX2", or the vector width when it is not accelerated by those.</summary>
    /// <param name="instructionSet">The instruction set.</param>
    /// <returns>The name.</returns>
    internal static string NameOf(GramInstructionSet instructionSet) => instructionSet switch
    {
        GramInstructionSet.Vector512 when System.Runtime.Intrinsics.X86.Avx512F.IsSupported => "AVX-512",
        GramInstructionSet.Vector512 => "Vector512",
        _ when System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported => "AVX2",
        _ => Vector256.IsHardwareAccelerated ? "Vector256" : "Vector256 (not accelerated)",
    };

    /// <summary>Number of packed panels needed for <paramref name="columns"/> columns.</summary>
    internal static int PanelCount(int columns) => (columns + PanelWidth - 1) / PanelWidth;

    /// <summary>Length of the packed buffer for a <paramref name="rows"/> × <paramref name="columns"/> block.</summary>
    internal static int PackedLength(int rows, int columns) => PanelCount(columns) * PanelWidth * rows;

    /// <summary>Flops of the upper triangle of the Gram matrix of a rows × columns block: rows · columns · (columns + 1).</summary>
    internal static double TriangleFlops(long rows, long columns) => (double)rows * columns * (columns + 1);

    /// <summary>Allocates a pinned array with room for <paramref name="length"/> values starting on a 64-byte (cache-line) boundary.</summary>
    /// <param name="length">Number of values needed, ≥ 0.</param>
    /// <returns>The values, a cache-line-aligned slice of a pinned array; aligned vector loads never straddle two lines.</returns>
    internal static Memory<double> AllocateAligned(int length)
    {
        const int LineValues = 64 / sizeof(double);
        var array = GC.AllocateArray<double>(length + LineValues, pinned: true);
        nint address;
        unsafe
        {
            address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        }

        var offset = (int)((64 - (address & 63)) & 63) / sizeof(double);
        return new Memory<double>(array, offset, length);
    }

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

    /// <summary>Writes x − shift for each row of a row-major block (row-major again) and adds Σ (x − shift) and Σ (x − shift)² per column.</summary>
    /// <param name="block">The rows × columns block, row-major.</param>
    /// <param name="rows">Number of rows, ≥ 1.</param>
    /// <param name="columns">Number of columns, ≥ 1.</param>
    /// <param name="shift">The value subtracted from each column.</param>
    /// <param name="shifted">Receives the shifted rows × columns block, row-major.</param>
    /// <param name="sums">Receives (adds) Σ_r (x − shift) per column.</param>
    /// <param name="squares">Receives (adds) Σ_r (x − shift)² per column.</param>
    internal static void Shift(ReadOnlySpan<double> block, int rows, int columns, ReadOnlySpan<double> shift,
        Span<double> shifted, Span<double> sums, Span<double> squares) =>
        ShiftAndCross(block, rows, columns, shift, shifted, sums, squares, default, 0, default);

    /// <summary>Like <see cref="Shift"/>, and also adds the cross-products of the shifted rows with shifted targets, transposed (K × columns).</summary>
    /// <param name="block">The rows × columns block, row-major.</param>
    /// <param name="rows">Number of rows, ≥ 1.</param>
    /// <param name="columns">Number of columns, ≥ 1.</param>
    /// <param name="shift">The value subtracted from each column.</param>
    /// <param name="shifted">Receives the shifted rows × columns block, row-major.</param>
    /// <param name="sums">Receives (adds) Σ_r (x − shift) per column.</param>
    /// <param name="squares">Receives (adds) Σ_r (x − shift)² per column.</param>
    /// <param name="targets">The shifted targets, row-major rows × targetCount.</param>
    /// <param name="targetCount">Number of targets K, ≥ 0 (0: no cross-products, as <see cref="Shift"/>).</param>
    /// <param name="crossTransposed">Receives (adds) Σ_r y_r,k (x_r − shift) as a row-major K × columns matrix.</param>
    /// <remarks>Each shifted row is used while it is in L1, so the cross-products cost no extra pass over memory.</remarks>
    internal static void ShiftAndCross(ReadOnlySpan<double> block, int rows, int columns, ReadOnlySpan<double> shift,
        Span<double> shifted, Span<double> sums, Span<double> squares,
        ReadOnlySpan<double> targets, int targetCount, Span<double> crossTransposed)
    {
        Debug.Assert(rows >= 1 && columns >= 1 && targetCount >= 0);
        Debug.Assert(block.Length >= rows * columns && shifted.Length >= rows * columns);
        Debug.Assert(shift.Length >= columns && sums.Length >= columns && squares.Length >= columns);
        Debug.Assert(targets.Length >= rows * targetCount && crossTransposed.Length >= targetCount * columns);

        shift = shift[..columns];
        sums = sums[..columns];
        squares = squares[..columns];
        for (var r = 0; r < rows; r++)
        {
            var to = shifted.Slice(r * columns, columns);
            TensorPrimitives.Subtract(block.Slice(r * columns, columns), shift, to);
            TensorPrimitives.Add(sums, to, sums);
            TensorPrimitives.MultiplyAdd(to, to, squares, squares);
            for (var k = 0; k < targetCount; k++)
            {
                var cross = crossTransposed.Slice(k * columns, columns);
                TensorPrimitives.MultiplyAdd(to, targets[r * targetCount + k], cross, cross);
            }
        }
    }

    /// <summary>Subtracts <paramref name="shift"/> from each row of a row-major block, writes it in chunked panel layout and adds Σ (x − shift) and Σ (x − shift)² per column; the panels are split across threads when the block is large (<see cref="ParallelPackThreshold"/> values).</summary>
    /// <param name="block">The rows × columns block, row-major.</param>
    /// <param name="rows">Number of rows, ≥ 1.</param>
    /// <param name="columns">Number of columns, ≥ 1.</param>
    /// <param name="shift">The value subtracted from each column.</param>
    /// <param name="packed">Receives the shifted block in chunked panel layout.</param>
    /// <param name="sums">Receives (adds) Σ_r (x − shift) per column (padding gets 0).</param>
    /// <param name="squares">Receives (adds) Σ_r (x − shift)² per column (padding gets 0).</param>
    /// <param name="maxThreads">Largest number of threads to use, ≥ 1.</param>
    /// <remarks>Each panel is written by one thread with the same code, so the result does not depend on the number of threads.</remarks>
    internal static void Pack(ReadOnlySpan<double> block, int rows, int columns, ReadOnlySpan<double> shift,
        Span<double> packed, Span<double> sums, Span<double> squares, int maxThreads)
    {
        var panels = PanelCount(columns);
        var threads = (long)rows * columns < ParallelPackThreshold ? 1 : Math.Min(maxThreads, panels);
        if (threads == 1)
        {
            PackPanels(block, rows, columns, shift, packed, sums, squares, 0, panels);
            return;
        }

        unsafe
        {
            // Pinned for the whole parallel loop, which returns before they are unpinned.
            fixed (double* blockPointer = block)
            fixed (double* shiftPointer = shift)
            fixed (double* packedPointer = packed)
            fixed (double* sumPointer = sums)
            fixed (double* squarePointer = squares)
            {
                PackParallel(new PackArguments((nint)blockPointer, block.Length, (nint)shiftPointer, shift.Length,
                    (nint)packedPointer, packed.Length, (nint)sumPointer, (nint)squarePointer, sums.Length, rows, columns), threads);
            }
        }
    }

    /// <summary>Packs contiguous ranges of panels on the thread pool (a separate method, so that the single-thread path allocates no closure).</summary>
    private static void PackParallel(PackArguments arguments, int threads)
    {
        var panels = PanelCount(arguments.Columns);
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, part =>
            arguments.Run(part * panels / threads, (part + 1) * panels / threads));
    }

    /// <summary>Packs panels [<paramref name="firstPanel"/>, <paramref name="endPanel"/>) of a block (see <see cref="Pack"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackPanels(ReadOnlySpan<double> block, int rows, int columns, ReadOnlySpan<double> shift,
        Span<double> packed, Span<double> sums, Span<double> squares, int firstPanel, int endPanel)
    {
        Debug.Assert(rows >= 1 && columns >= 1);
        Debug.Assert(block.Length >= rows * columns && shift.Length >= columns);
        Debug.Assert(packed.Length >= PackedLength(rows, columns));
        var panels = PanelCount(columns);
        Debug.Assert(sums.Length >= panels * PanelWidth && squares.Length >= panels * PanelWidth);
        Debug.Assert(0 <= firstPanel && firstPanel <= endPanel && endPanel <= panels);

        var fullPanels = Math.Min(columns / PanelWidth, endPanel);
        ref var source = ref MemoryMarshal.GetReference(block);
        ref var shiftStart = ref MemoryMarshal.GetReference(shift);
        ref var sumStart = ref MemoryMarshal.GetReference(sums);
        ref var squareStart = ref MemoryMarshal.GetReference(squares);
        for (var chunkStart = 0; chunkStart < rows; chunkStart += ChunkRows)
        {
            var chunkRows = Math.Min(ChunkRows, rows - chunkStart);
            var chunk = packed.Slice(chunkStart * panels * PanelWidth, chunkRows * panels * PanelWidth);
            ref var destination = ref MemoryMarshal.GetReference(chunk);

            // Groups of rows are read sequentially and written half-panel by half-panel (8 rows of 12 values, 192 bytes apart).
            for (var g0 = 0; g0 < chunkRows; g0 += PackRowGroup)
            {
                var groupEnd = Math.Min(g0 + PackRowGroup, chunkRows);
                for (var half = 2 * firstPanel; half < 2 * fullPanels; half++)
                {
                    // Each panel is packed as two 12-column halves (three 256-bit vectors each).
                    var p = half / 2;
                    var c0 = half * HalfWidth;
                    var shift0 = Vector256.LoadUnsafe(ref shiftStart, (nuint)c0);
                    var shift1 = Vector256.LoadUnsafe(ref shiftStart, (nuint)(c0 + 4));
                    var shift2 = Vector256.LoadUnsafe(ref shiftStart, (nuint)(c0 + 8));
                    var sum0 = Vector256.LoadUnsafe(ref sumStart, (nuint)c0);
                    var sum1 = Vector256.LoadUnsafe(ref sumStart, (nuint)(c0 + 4));
                    var sum2 = Vector256.LoadUnsafe(ref sumStart, (nuint)(c0 + 8));
                    var square0 = Vector256.LoadUnsafe(ref squareStart, (nuint)c0);
                    var square1 = Vector256.LoadUnsafe(ref squareStart, (nuint)(c0 + 4));
                    var square2 = Vector256.LoadUnsafe(ref squareStart, (nuint)(c0 + 8));
                    for (var r = g0; r < groupEnd; r++)
                    {
                        ref var from = ref Unsafe.Add(ref source, (chunkStart + r) * columns + c0);
                        ref var to = ref Unsafe.Add(ref destination, (p * chunkRows + r) * PanelWidth + (c0 - p * PanelWidth));
                        var x0 = Vector256.LoadUnsafe(ref from) - shift0;
                        var x1 = Vector256.LoadUnsafe(ref from, 4) - shift1;
                        var x2 = Vector256.LoadUnsafe(ref from, 8) - shift2;
                        x0.StoreUnsafe(ref to);
                        x1.StoreUnsafe(ref to, 4);
                        x2.StoreUnsafe(ref to, 8);
                        sum0 += x0;
                        sum1 += x1;
                        sum2 += x2;
                        square0 = Vector256.MultiplyAddEstimate(x0, x0, square0);
                        square1 = Vector256.MultiplyAddEstimate(x1, x1, square1);
                        square2 = Vector256.MultiplyAddEstimate(x2, x2, square2);
                    }

                    sum0.StoreUnsafe(ref sumStart, (nuint)c0);
                    sum1.StoreUnsafe(ref sumStart, (nuint)(c0 + 4));
                    sum2.StoreUnsafe(ref sumStart, (nuint)(c0 + 8));
                    square0.StoreUnsafe(ref squareStart, (nuint)c0);
                    square1.StoreUnsafe(ref squareStart, (nuint)(c0 + 4));
                    square2.StoreUnsafe(ref squareStart, (nuint)(c0 + 8));
                }

                if (fullPanels < endPanel)
                {
                    // Last, partial panel: shift the remaining columns and zero the padding.
                    var c0 = fullPanels * PanelWidth;
                    for (var r = g0; r < groupEnd; r++)
                    {
                        var to = chunk.Slice((fullPanels * chunkRows + r) * PanelWidth, PanelWidth);
                        var from = (chunkStart + r) * columns;
                        for (var c = 0; c < PanelWidth; c++)
                        {
                            var x = c0 + c < columns ? block[from + c0 + c] - shift[c0 + c] : 0.0;
                            to[c] = x;
                            sums[c0 + c] += x;
                            squares[c0 + c] += x * x;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Adds PᵀP to the upper triangle (j ≥ i) of a row-major columns × columns matrix, where P is a packed block.</summary>
    /// <param name="packed">The block in chunked panel layout (see <see cref="Pack"/>).</param>
    /// <param name="rows">Number of rows of the block, ≥ 1.</param>
    /// <param name="columns">Number of columns of the block, ≥ 1.</param>
    /// <param name="upper">The columns × columns accumulator, row-major; entries below the diagonal are not touched.</param>
    /// <param name="maxThreads">Largest number of threads to use, ≥ 1; blocks below <see cref="ParallelThreshold"/> flops use one.</param>
    internal static void AccumulateUpperGram(ReadOnlyMemory<double> packed, int rows, int columns, Memory<double> upper, int maxThreads) =>
        AccumulateUpperGram(packed, rows, columns, upper, maxThreads, BestInstructionSet);

    /// <summary>Adds PᵀP to the upper triangle as <see cref="AccumulateUpperGram(ReadOnlyMemory{double}, int, int, Memory{double}, int)"/> does, with the given micro-kernel.</summary>
    /// <param name="packed">The block in chunked panel layout (see <see cref="Pack"/>).</param>
    /// <param name="rows">Number of rows of the block, ≥ 1.</param>
    /// <param name="columns">Number of columns of the block, ≥ 1.</param>
    /// <param name="upper">The columns × columns accumulator, row-major; entries below the diagonal are not touched.</param>
    /// <param name="maxThreads">Largest number of threads to use, ≥ 1; blocks below <see cref="ParallelThreshold"/> flops use one.</param>
    /// <param name="instructionSet">
    /// The micro-kernel: an 8 × 24 tile in 24 512-bit accumulators, or 4 × 12 tiles in twelve 256-bit ones. Both
    /// add each entry over the rows of a chunk in the same order, with fused multiply-adds, so on one machine they agree
    /// bit for bit; 512-bit vectors need <see cref="Vector512.IsHardwareAccelerated"/> to be fast.
    /// </param>
    internal static void AccumulateUpperGram(ReadOnlyMemory<double> packed, int rows, int columns, Memory<double> upper, int maxThreads,
        GramInstructionSet instructionSet)
    {
        Debug.Assert(rows >= 1 && columns >= 1 && maxThreads >= 1);
        Debug.Assert(packed.Length >= PackedLength(rows, columns));
        Debug.Assert(upper.Length >= columns * columns);

        var panels = PanelCount(columns);
        var threads = TriangleFlops(rows, columns) < ParallelThreshold ? 1 : Math.Min(maxThreads, panels);
        if (threads == 1)
        {
            AccumulateUpperGramRange(packed.Span, rows, columns, upper.Span, 0, panels, instructionSet);
            return;
        }

        AccumulateUpperGramParallel(packed, rows, columns, upper, threads, instructionSet);
    }

    /// <summary>Runs the column ranges of the Gram product on the thread pool (a separate method, so that the single-thread path allocates no closure).</summary>
    private static void AccumulateUpperGramParallel(ReadOnlyMemory<double> packed, int rows, int columns, Memory<double> upper, int threads,
        GramInstructionSet instructionSet)
    {
        // A few ranges per thread, of about equal area, so that a slow core does not hold the others back.
        var panels = PanelCount(columns);
        var ranges = Math.Min(panels, 3 * threads);
        Parallel.For(0, ranges, new ParallelOptions { MaxDegreeOfParallelism = threads }, range =>
            AccumulateUpperGramRange(packed.Span, rows, columns, upper.Span,
                RangeStart(range, ranges, panels), RangeStart(range + 1, ranges, panels), instructionSet));
    }

    /// <summary>Adds PᵀY to a row-major columns × targetCount matrix, where P is a packed block and Y a row-major rows × targetCount block.</summary>
    /// <param name="packed">The feature block in chunked panel layout.</param>
    /// <param name="rows">Number of rows, ≥ 1.</param>
    /// <param name="columns">Number of feature columns, ≥ 1.</param>
    /// <param name="targets">The (shifted) target block, row-major rows × targetCount.</param>
    /// <param name="targetCount">Number of target columns, ≥ 1.</param>
    /// <param name="cross">The columns × targetCount accumulator, row-major.</param>
    internal static void AccumulateCross(ReadOnlySpan<double> packed, int rows, int columns,
        ReadOnlySpan<double> targets, int targetCount, Span<double> cross) =>
        AccumulateCross(packed, rows, columns, targets, targetCount, cross, BestInstructionSet);

    /// <summary>Adds PᵀY as <see cref="AccumulateCross(ReadOnlySpan{double}, int, int, ReadOnlySpan{double}, int, Span{double})"/> does, with the given vector width.</summary>
    /// <param name="packed">The feature block in chunked panel layout.</param>
    /// <param name="rows">Number of rows, ≥ 1.</param>
    /// <param name="columns">Number of feature columns, ≥ 1.</param>
    /// <param name="targets">The (shifted) target block, row-major rows × targetCount.</param>
    /// <param name="targetCount">Number of target columns, ≥ 1.</param>
    /// <param name="cross">The columns × targetCount accumulator, row-major.</param>
    /// <param name="instructionSet">The vector width; both give the same sums in the same order of rows (bit for bit).</param>
    internal static void AccumulateCross(ReadOnlySpan<double> packed, int rows, int columns,
        ReadOnlySpan<double> targets, int targetCount, Span<double> cross, GramInstructionSet instructionSet)
    {
        Debug.Assert(rows >= 1 && columns >= 1 && targetCount >= 0);
        Debug.Assert(packed.Length >= PackedLength(rows, columns));
        Debug.Assert(targets.Length >= rows * targetCount && cross.Length >= columns * targetCount);

        var panels = PanelCount(columns);
        ref var packedStart = ref MemoryMarshal.GetReference(packed);
        ref var targetStart = ref MemoryMarshal.GetReference(targets);
        Span<double> spill = stackalloc double[PanelWidth];
        ref var spillStart = ref MemoryMarshal.GetReference(spill);
        for (var chunkStart = 0; chunkStart < rows; chunkStart += ChunkRows)
        {
            var chunkRows = Math.Min(ChunkRows, rows - chunkStart);
            ref var chunk = ref Unsafe.Add(ref packedStart, chunkStart * panels * PanelWidth);
            for (var p = 0; p < panels; p++)
            {
                ref var panel = ref Unsafe.Add(ref chunk, p * chunkRows * PanelWidth);
                var c0 = p * PanelWidth;
                var width = Math.Min(PanelWidth, columns - c0);
                for (var k = 0; k < targetCount; k++)
                {
                    ref var y = ref Unsafe.Add(ref targetStart, chunkStart * targetCount + k);
                    if (instructionSet == GramInstructionSet.Vector512)
                    {
                        CrossPanel512(ref panel, ref y, targetCount, chunkRows, ref spillStart);
                    }
                    else
                    {
                        CrossPanel256(ref panel, ref y, targetCount, chunkRows, ref spillStart);
                    }

                    for (var c = 0; c < width; c++)
                    {
                        cross[(c0 + c) * targetCount + k] += spill[c];
                    }
                }
            }
        }
    }

    /// <summary>Writes Σ_r y_r x_r for the rows of one panel (24 values) with 256-bit vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CrossPanel256(ref double panel, ref double y, int targetStride, int rows, ref double result)
    {
        var acc0 = Vector256<double>.Zero;
        var acc1 = Vector256<double>.Zero;
        var acc2 = Vector256<double>.Zero;
        var acc3 = Vector256<double>.Zero;
        var acc4 = Vector256<double>.Zero;
        var acc5 = Vector256<double>.Zero;
        for (var r = 0; r < rows; r++)
        {
            ref var x = ref Unsafe.Add(ref panel, r * PanelWidth);
            var factor = Vector256.Create(Unsafe.Add(ref y, r * targetStride));
            acc0 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref x), factor, acc0);
            acc1 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref x, 4), factor, acc1);
            acc2 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref x, 8), factor, acc2);
            acc3 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref x, 12), factor, acc3);
            acc4 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref x, 16), factor, acc4);
            acc5 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref x, 20), factor, acc5);
        }

        acc0.StoreUnsafe(ref result);
        acc1.StoreUnsafe(ref result, 4);
        acc2.StoreUnsafe(ref result, 8);
        acc3.StoreUnsafe(ref result, 12);
        acc4.StoreUnsafe(ref result, 16);
        acc5.StoreUnsafe(ref result, 20);
    }

    /// <summary>Writes Σ_r y_r x_r for the rows of one panel (24 values) with 512-bit vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CrossPanel512(ref double panel, ref double y, int targetStride, int rows, ref double result)
    {
        var acc0 = Vector512<double>.Zero;
        var acc1 = Vector512<double>.Zero;
        var acc2 = Vector512<double>.Zero;
        for (var r = 0; r < rows; r++)
        {
            ref var x = ref Unsafe.Add(ref panel, r * PanelWidth);
            var factor = Vector512.Create(Unsafe.Add(ref y, r * targetStride));
            acc0 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref x), factor, acc0);
            acc1 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref x, 8), factor, acc1);
            acc2 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref x, 16), factor, acc2);
        }

        acc0.StoreUnsafe(ref result);
        acc1.StoreUnsafe(ref result, 8);
        acc2.StoreUnsafe(ref result, 16);
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

    /// <summary>First column panel of range <paramref name="range"/> when <paramref name="panels"/> panels are cut into ranges of about equal triangle area.</summary>
    /// <remarks>Panel j has j + 1 tile rows of work, so panels [0, p) cost about p²/2: range r starts at p = panels·√(r / ranges).</remarks>
    internal static int RangeStart(int range, int ranges, int panels) =>
        range >= ranges ? panels : (int)Math.Round(panels * Math.Sqrt((double)range / ranges));

    /// <summary>Adds the tiles of column panels [<paramref name="firstPanel"/>, <paramref name="endPanel"/>) of PᵀP to the upper triangle.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateUpperGramRange(ReadOnlySpan<double> packed, int rows, int columns, Span<double> upper,
        int firstPanel, int endPanel, GramInstructionSet instructionSet)
    {
        var panels = PanelCount(columns);
        ref var packedStart = ref MemoryMarshal.GetReference(packed);
        ref var upperStart = ref MemoryMarshal.GetReference(upper);
        var jEnd = Math.Min(endPanel * PanelWidth, columns);
        var wide = instructionSet == GramInstructionSet.Vector512;
        for (var chunkStart = 0; chunkStart < rows; chunkStart += ChunkRows)
        {
            var chunkRows = Math.Min(ChunkRows, rows - chunkStart);
            var panelStride = chunkRows * PanelWidth;
            ref var chunk = ref Unsafe.Add(ref packedStart, chunkStart * panels * PanelWidth);

            // Rows i of C come in strips whose operands stay in L2 while each column panel j ≥ strip start (in L1)
            // meets the strip's 4-row tiles.
            for (var strip = 0; strip < jEnd; strip += RowStripWidth)
            {
                var stripEnd = Math.Min(strip + RowStripWidth, jEnd);
                for (var jp = Math.Max(firstPanel, strip / PanelWidth); jp < endPanel; jp++)
                {
                    var j0 = jp * PanelWidth;
                    ref var columnPanel = ref Unsafe.Add(ref chunk, jp * panelStride);
                    if (wide)
                    {
                        var iEnd = Math.Min(stripEnd, j0 + PanelWidth);
                        for (var i0 = strip; i0 < iEnd; i0 += WideTileRows)
                        {
                            // The eight row operands i0..i0+7 sit at offset (i0 mod 24) inside panel i0 / 24.
                            ref var rowPanel = ref Unsafe.Add(ref chunk, (i0 / PanelWidth) * panelStride + (i0 % PanelWidth));
                            MultiplyAddTile512(ref rowPanel, ref columnPanel, chunkRows, ref upperStart, columns, i0, j0);
                        }

                        continue;
                    }

                    for (var h0 = j0; h0 < j0 + PanelWidth && h0 < columns; h0 += HalfWidth)
                    {
                        ref var columnHalf = ref Unsafe.Add(ref columnPanel, h0 - j0);
                        var iEnd = Math.Min(stripEnd, h0 + HalfWidth);
                        for (var i0 = strip; i0 < iEnd; i0 += TileRows)
                        {
                            ref var rowPanel = ref Unsafe.Add(ref chunk, (i0 / PanelWidth) * panelStride + (i0 % PanelWidth));
                            MultiplyAddTile256(ref rowPanel, ref columnHalf, chunkRows, ref upperStart, columns, i0, h0);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Computes the 4 × 12 tile C[i0..i0+3, j0..j0+11] += Σ_r a_r b_rᵀ with 256-bit vectors by streaming the rows of two panels, and adds its upper part.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyAddTile256(ref double rowPanel, ref double columnPanel, int rows,
        ref double upper, int columns, int i0, int j0)
    {
        var c00 = Vector256<double>.Zero;
        var c01 = Vector256<double>.Zero;
        var c02 = Vector256<double>.Zero;
        var c10 = Vector256<double>.Zero;
        var c11 = Vector256<double>.Zero;
        var c12 = Vector256<double>.Zero;
        var c20 = Vector256<double>.Zero;
        var c21 = Vector256<double>.Zero;
        var c22 = Vector256<double>.Zero;
        var c30 = Vector256<double>.Zero;
        var c31 = Vector256<double>.Zero;
        var c32 = Vector256<double>.Zero;
        ref var a = ref rowPanel;
        ref var b = ref columnPanel;
        for (var r = 0; r < rows; r++)
        {
            var b0 = Vector256.LoadUnsafe(ref b);
            var b1 = Vector256.LoadUnsafe(ref b, 4);
            var b2 = Vector256.LoadUnsafe(ref b, 8);
            var a0 = Vector256.Create(a);
            c00 = Vector256.MultiplyAddEstimate(a0, b0, c00);
            c01 = Vector256.MultiplyAddEstimate(a0, b1, c01);
            c02 = Vector256.MultiplyAddEstimate(a0, b2, c02);
            var a1 = Vector256.Create(Unsafe.Add(ref a, 1));
            c10 = Vector256.MultiplyAddEstimate(a1, b0, c10);
            c11 = Vector256.MultiplyAddEstimate(a1, b1, c11);
            c12 = Vector256.MultiplyAddEstimate(a1, b2, c12);
            var a2 = Vector256.Create(Unsafe.Add(ref a, 2));
            c20 = Vector256.MultiplyAddEstimate(a2, b0, c20);
            c21 = Vector256.MultiplyAddEstimate(a2, b1, c21);
            c22 = Vector256.MultiplyAddEstimate(a2, b2, c22);
            var a3 = Vector256.Create(Unsafe.Add(ref a, 3));
            c30 = Vector256.MultiplyAddEstimate(a3, b0, c30);
            c31 = Vector256.MultiplyAddEstimate(a3, b1, c31);
            c32 = Vector256.MultiplyAddEstimate(a3, b2, c32);
            a = ref Unsafe.Add(ref a, PanelWidth);
            b = ref Unsafe.Add(ref b, PanelWidth);
        }

        if (i0 + TileRows <= j0 && j0 + HalfWidth <= columns)
        {
            // Strictly above the diagonal and inside the matrix: add the tile with vector stores.
            ref var row = ref Unsafe.Add(ref upper, i0 * columns + j0);
            AddTo(ref row, c00, c01, c02);
            AddTo(ref Unsafe.Add(ref row, columns), c10, c11, c12);
            AddTo(ref Unsafe.Add(ref row, 2 * columns), c20, c21, c22);
            AddTo(ref Unsafe.Add(ref row, 3 * columns), c30, c31, c32);
            return;
        }

        // Diagonal or ragged tile: add only the entries with i ≤ j inside the matrix.
        Span<double> tile = stackalloc double[HalfWidth];
        AddUpperPart(ref upper, columns, i0, j0, Spill(tile, c00, c01, c02));
        AddUpperPart(ref upper, columns, i0 + 1, j0, Spill(tile, c10, c11, c12));
        AddUpperPart(ref upper, columns, i0 + 2, j0, Spill(tile, c20, c21, c22));
        AddUpperPart(ref upper, columns, i0 + 3, j0, Spill(tile, c30, c31, c32));
    }

    /// <summary>Computes the 8 × 24 tile C[i0..i0+7, j0..j0+23] += Σ_r a_r b_rᵀ with 512-bit vectors by streaming the rows of two panels, and adds its upper part.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyAddTile512(ref double rowPanel, ref double columnPanel, int rows,
        ref double upper, int columns, int i0, int j0)
    {
        var c00 = Vector512<double>.Zero;
        var c01 = Vector512<double>.Zero;
        var c02 = Vector512<double>.Zero;
        var c10 = Vector512<double>.Zero;
        var c11 = Vector512<double>.Zero;
        var c12 = Vector512<double>.Zero;
        var c20 = Vector512<double>.Zero;
        var c21 = Vector512<double>.Zero;
        var c22 = Vector512<double>.Zero;
        var c30 = Vector512<double>.Zero;
        var c31 = Vector512<double>.Zero;
        var c32 = Vector512<double>.Zero;
        var c40 = Vector512<double>.Zero;
        var c41 = Vector512<double>.Zero;
        var c42 = Vector512<double>.Zero;
        var c50 = Vector512<double>.Zero;
        var c51 = Vector512<double>.Zero;
        var c52 = Vector512<double>.Zero;
        var c60 = Vector512<double>.Zero;
        var c61 = Vector512<double>.Zero;
        var c62 = Vector512<double>.Zero;
        var c70 = Vector512<double>.Zero;
        var c71 = Vector512<double>.Zero;
        var c72 = Vector512<double>.Zero;
        ref var a = ref rowPanel;
        ref var b = ref columnPanel;
        for (var r = 0; r < rows; r++)
        {
            var b0 = Vector512.LoadUnsafe(ref b);
            var b1 = Vector512.LoadUnsafe(ref b, 8);
            var b2 = Vector512.LoadUnsafe(ref b, 16);
            var x = Vector512.Create(a);
            c00 = Vector512.MultiplyAddEstimate(x, b0, c00);
            c01 = Vector512.MultiplyAddEstimate(x, b1, c01);
            c02 = Vector512.MultiplyAddEstimate(x, b2, c02);
            x = Vector512.Create(Unsafe.Add(ref a, 1));
            c10 = Vector512.MultiplyAddEstimate(x, b0, c10);
            c11 = Vector512.MultiplyAddEstimate(x, b1, c11);
            c12 = Vector512.MultiplyAddEstimate(x, b2, c12);
            x = Vector512.Create(Unsafe.Add(ref a, 2));
            c20 = Vector512.MultiplyAddEstimate(x, b0, c20);
            c21 = Vector512.MultiplyAddEstimate(x, b1, c21);
            c22 = Vector512.MultiplyAddEstimate(x, b2, c22);
            x = Vector512.Create(Unsafe.Add(ref a, 3));
            c30 = Vector512.MultiplyAddEstimate(x, b0, c30);
            c31 = Vector512.MultiplyAddEstimate(x, b1, c31);
            c32 = Vector512.MultiplyAddEstimate(x, b2, c32);
            x = Vector512.Create(Unsafe.Add(ref a, 4));
            c40 = Vector512.MultiplyAddEstimate(x, b0, c40);
            c41 = Vector512.MultiplyAddEstimate(x, b1, c41);
            c42 = Vector512.MultiplyAddEstimate(x, b2, c42);
            x = Vector512.Create(Unsafe.Add(ref a, 5));
            c50 = Vector512.MultiplyAddEstimate(x, b0, c50);
            c51 = Vector512.MultiplyAddEstimate(x, b1, c51);
            c52 = Vector512.MultiplyAddEstimate(x, b2, c52);
            x = Vector512.Create(Unsafe.Add(ref a, 6));
            c60 = Vector512.MultiplyAddEstimate(x, b0, c60);
            c61 = Vector512.MultiplyAddEstimate(x, b1, c61);
            c62 = Vector512.MultiplyAddEstimate(x, b2, c62);
            x = Vector512.Create(Unsafe.Add(ref a, 7));
            c70 = Vector512.MultiplyAddEstimate(x, b0, c70);
            c71 = Vector512.MultiplyAddEstimate(x, b1, c71);
            c72 = Vector512.MultiplyAddEstimate(x, b2, c72);
            a = ref Unsafe.Add(ref a, PanelWidth);
            b = ref Unsafe.Add(ref b, PanelWidth);
        }

        if (i0 + WideTileRows <= j0 && j0 + PanelWidth <= columns)
        {
            // Strictly above the diagonal and inside the matrix: add the tile with vector stores.
            ref var row = ref Unsafe.Add(ref upper, i0 * columns + j0);
            AddTo(ref row, c00, c01, c02);
            AddTo(ref Unsafe.Add(ref row, columns), c10, c11, c12);
            AddTo(ref Unsafe.Add(ref row, 2 * columns), c20, c21, c22);
            AddTo(ref Unsafe.Add(ref row, 3 * columns), c30, c31, c32);
            AddTo(ref Unsafe.Add(ref row, 4 * columns), c40, c41, c42);
            AddTo(ref Unsafe.Add(ref row, 5 * columns), c50, c51, c52);
            AddTo(ref Unsafe.Add(ref row, 6 * columns), c60, c61, c62);
            AddTo(ref Unsafe.Add(ref row, 7 * columns), c70, c71, c72);
            return;
        }

        // Diagonal or ragged tile: add only the entries with i ≤ j inside the matrix.
        Span<double> tile = stackalloc double[PanelWidth];
        AddUpperPart(ref upper, columns, i0, j0, Spill(tile, c00, c01, c02));
        AddUpperPart(ref upper, columns, i0 + 1, j0, Spill(tile, c10, c11, c12));
        AddUpperPart(ref upper, columns, i0 + 2, j0, Spill(tile, c20, c21, c22));
        AddUpperPart(ref upper, columns, i0 + 3, j0, Spill(tile, c30, c31, c32));
        AddUpperPart(ref upper, columns, i0 + 4, j0, Spill(tile, c40, c41, c42));
        AddUpperPart(ref upper, columns, i0 + 5, j0, Spill(tile, c50, c51, c52));
        AddUpperPart(ref upper, columns, i0 + 6, j0, Spill(tile, c60, c61, c62));
        AddUpperPart(ref upper, columns, i0 + 7, j0, Spill(tile, c70, c71, c72));
    }

    /// <summary>Writes three 256-bit vectors to the first 12 values of <paramref name="tile"/> and returns them.</summary>
    private static ReadOnlySpan<double> Spill(Span<double> tile, Vector256<double> low, Vector256<double> middle, Vector256<double> high)
    {
        low.CopyTo(tile);
        middle.CopyTo(tile[4..]);
        high.CopyTo(tile[8..]);
        return tile[..HalfWidth];
    }

    /// <summary>Writes three 512-bit vectors to the first 24 values of <paramref name="tile"/> and returns them.</summary>
    private static ReadOnlySpan<double> Spill(Span<double> tile, Vector512<double> low, Vector512<double> middle, Vector512<double> high)
    {
        low.CopyTo(tile);
        middle.CopyTo(tile[8..]);
        high.CopyTo(tile[16..]);
        return tile[..PanelWidth];
    }

    /// <summary>Adds the entries j ≥ i, j &lt; columns of one tile row (its values start at column j0) to row i (if i is inside the matrix).</summary>
    private static void AddUpperPart(ref double upper, int columns, int i, int j0, ReadOnlySpan<double> values)
    {
        if (i >= columns)
        {
            return;
        }

        var jEnd = Math.Min(j0 + values.Length, columns);
        for (var j = Math.Max(i, j0); j < jEnd; j++)
        {
            Unsafe.Add(ref upper, i * columns + j) += values[j - j0];
        }
    }

    /// <summary>Pinned spans of one parallel <see cref="Pack"/>, as addresses.</summary>
    private readonly record struct PackArguments(nint Block, int BlockLength, nint Shift, int ShiftLength,
        nint Packed, int PackedLength, nint Sums, nint Squares, int SumLength, int Rows, int Columns)
    {
        /// <summary>Packs panels [first, end).</summary>
        public unsafe void Run(int first, int end) => PackPanels(
            new ReadOnlySpan<double>((double*)Block, BlockLength), Rows, Columns, new ReadOnlySpan<double>((double*)Shift, ShiftLength),
            new Span<double>((double*)Packed, PackedLength), new Span<double>((double*)Sums, SumLength),
            new Span<double>((double*)Squares, SumLength), first, end);
    }

    /// <summary>Adds three 256-bit vectors to twelve consecutive values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo(ref double destination, Vector256<double> low, Vector256<double> middle, Vector256<double> high)
    {
        (Vector256.LoadUnsafe(ref destination) + low).StoreUnsafe(ref destination);
        (Vector256.LoadUnsafe(ref destination, 4) + middle).StoreUnsafe(ref destination, 4);
        (Vector256.LoadUnsafe(ref destination, 8) + high).StoreUnsafe(ref destination, 8);
    }

    /// <summary>Adds three 512-bit vectors to 24 consecutive values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo(ref double destination, Vector512<double> low, Vector512<double> middle, Vector512<double> high)
    {
        (Vector512.LoadUnsafe(ref destination) + low).StoreUnsafe(ref destination);
        (Vector512.LoadUnsafe(ref destination, 8) + middle).StoreUnsafe(ref destination, 8);
        (Vector512.LoadUnsafe(ref destination, 16) + high).StoreUnsafe(ref destination, 16);
    }
}

/// <summary>The vector width of the managed Gram micro-kernel.</summary>
internal enum GramInstructionSet
{
    /// <summary>256-bit vectors (AVX2 + FMA on x86): 4 × 12 tiles.</summary>
    Vector256 = 0,

    /// <summary>512-bit vectors (AVX-512 F on x86): 8 × 24 tiles.</summary>
    Vector512 = 1,
}
