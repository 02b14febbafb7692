using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using MathNet.Numerics.Random;
using Reservoir.Readouts;

namespace Reservoir.Benchmarks.Readouts;

/// <summary>Stopwatch measurements of the Gram matrix XᵀX (one triangle) for the quick JSON run and for checks by hand.</summary>
/// <remarks>
/// Flop convention: the upper triangle of XᵀX for a T × D matrix costs T · D · (D + 1) flops (a multiply and an add for
/// each of the D(D + 1)/2 entries and each row). Each measurement is the best of several timed runs after one warm-up,
/// because the machine may be shared.
/// </remarks>
public static class GramWorkload
{
    private const int Seed = 42;
    private const int TimedRuns = 5;
    private const int Targets = 1;

    /// <summary>Flops of one triangle of XᵀX for a rows × features matrix: rows · features · (features + 1).</summary>
    /// <param name="rows">Rows T, ≥ 1.</param>
    /// <param name="features">Features D, ≥ 1.</param>
    /// <returns>The flop count.</returns>
    public static double TriangleFlops(int rows, int features) => (double)rows * features * (features + 1);

    /// <summary>Times one <see cref="GramAccumulator.Accumulate"/> call over a seeded rows × features matrix.</summary>
    /// <param name="rows">Rows T, ≥ 1.</param>
    /// <param name="features">Features D, ≥ 1.</param>
    /// <param name="native">True to use the native BLAS that <see cref="LinearAlgebraBackend"/> finds automatically; false for the managed kernels.</param>
    /// <returns>The best time in seconds and the rate in GFLOP/s (T · D · (D + 1) flops).</returns>
    /// <exception cref="InvalidOperationException"><paramref name="native"/> is true and no native BLAS can be loaded.</exception>
    public static (double Seconds, double Gflops) Measure(int rows, int features, bool native) =>
        Measure(rows, features, native, GramKernels.BestInstructionSet);

    /// <summary>Times one <see cref="GramAccumulator.Accumulate"/> call over a seeded rows × features matrix with the given managed micro-kernel.</summary>
    /// <param name="rows">Rows T, ≥ 1.</param>
    /// <param name="features">Features D, ≥ 1.</param>
    /// <param name="native">True to use the native BLAS that <see cref="LinearAlgebraBackend"/> finds automatically; false for the managed kernels.</param>
    /// <param name="instructionSet">The managed micro-kernel's vector width (ignored when <paramref name="native"/> is true).</param>
    /// <returns>The best time in seconds and the rate in GFLOP/s (T · D · (D + 1) flops).</returns>
    /// <exception cref="InvalidOperationException"><paramref name="native"/> is true and no native BLAS can be loaded.</exception>
    internal static (double Seconds, double Gflops) Measure(int rows, int features, bool native, GramInstructionSet instructionSet)
    {
        var blas = native
            ? LinearAlgebraBackend.FindNative()
                ?? throw new InvalidOperationException("No native BLAS could be loaded; install libopenblas0-pthread or MKL.")
            : null;
        var x = CreateFeatures(rows, features);
        var y = new double[rows * Targets];
        var gram = new GramAccumulator(features, Targets, blas, instructionSet);
        return Best(rows, features, () =>
        {
            gram.Reset();
            gram.Accumulate(x, y, rows);
        });
    }

    /// <summary>Times the managed accumulator with the 256-bit and the 512-bit micro-kernel in alternation, so that both see the same load.</summary>
    /// <param name="rows">Rows T, ≥ 1.</param>
    /// <param name="features">Features D, ≥ 1.</param>
    /// <returns>The best seconds of each micro-kernel (in the order of <see cref="GramInstructionSet"/>); 512-bit only where it is accelerated, else <see cref="double.NaN"/>.</returns>
    internal static (double Vector256Seconds, double Vector512Seconds) CompareInstructionSets(int rows, int features)
    {
        var x = CreateFeatures(rows, features);
        var y = new double[rows * Targets];
        var narrow = new GramAccumulator(features, Targets, null, GramInstructionSet.Vector256);
        var wide = Vector512.IsHardwareAccelerated ? new GramAccumulator(features, Targets, null, GramInstructionSet.Vector512) : null;
        var bestNarrow = double.PositiveInfinity;
        var bestWide = wide is null ? double.NaN : double.PositiveInfinity;
        for (var i = 0; i <= TimedRuns; i++)
        {
            // The first round warms up both and is not counted.
            var stopwatch = Stopwatch.StartNew();
            narrow.Reset();
            narrow.Accumulate(x, y, rows);
            var narrowSeconds = stopwatch.Elapsed.TotalSeconds;
            bestNarrow = i == 0 ? bestNarrow : Math.Min(bestNarrow, narrowSeconds);
            if (wide is not null)
            {
                stopwatch.Restart();
                wide.Reset();
                wide.Accumulate(x, y, rows);
                var wideSeconds = stopwatch.Elapsed.TotalSeconds;
                bestWide = i == 0 ? bestWide : Math.Min(bestWide, wideSeconds);
            }
        }

        return (bestNarrow, bestWide);
    }

    /// <summary>Times the managed Gram micro-kernels alone on already packed 1024-row blocks (no shifting, packing or cross-products), alternately.</summary>
    /// <param name="rows">Rows T, ≥ 1 (rounded up to whole 1024-row blocks).</param>
    /// <param name="features">Features D, ≥ 1.</param>
    /// <returns>The best seconds of the 256-bit and the 512-bit kernel for all blocks (512-bit: <see cref="double.NaN"/> where it is not accelerated).</returns>
    internal static (double Vector256Seconds, double Vector512Seconds) MeasureKernelsAlone(int rows, int features)
    {
        const int BlockRows = 1024;
        var blocks = (rows + BlockRows - 1) / BlockRows;
        var x = CreateFeatures(BlockRows, features);
        var packed = GramKernels.AllocateAligned(GramKernels.PackedLength(BlockRows, features));
        var padded = GramKernels.PanelCount(features) * GramKernels.PanelWidth;
        GramKernels.Pack(x, BlockRows, features, new double[features], packed.Span, new double[padded], new double[padded], 1);
        var upper = new double[features * features];
        var wide = Vector512.IsHardwareAccelerated;
        double Time(GramInstructionSet instructionSet)
        {
            var stopwatch = Stopwatch.StartNew();
            for (var b = 0; b < blocks; b++)
            {
                GramKernels.AccumulateUpperGram(packed, BlockRows, features, upper, Environment.ProcessorCount, instructionSet);
            }

            return stopwatch.Elapsed.TotalSeconds;
        }

        var bestNarrow = double.PositiveInfinity;
        var bestWide = wide ? double.PositiveInfinity : double.NaN;
        for (var i = 0; i <= TimedRuns; i++)
        {
            var narrow = Time(GramInstructionSet.Vector256);
            bestNarrow = i == 0 ? bestNarrow : Math.Min(bestNarrow, narrow);
            if (wide)
            {
                var seconds = Time(GramInstructionSet.Vector512);
                bestWide = i == 0 ? bestWide : Math.Min(bestWide, seconds);
            }
        }

        return (bestNarrow, bestWide);
    }

    /// <summary>Times one direct <c>cblas_dsyrk</c> call on the whole (uncentred) rows × features matrix: the native reference.</summary>
    /// <param name="rows">Rows T, ≥ 1.</param>
    /// <param name="features">Features D, ≥ 1.</param>
    /// <returns>The best time in seconds and the rate in GFLOP/s.</returns>
    /// <exception cref="InvalidOperationException">No native BLAS can be loaded.</exception>
    public static (double Seconds, double Gflops) MeasureDirectSyrk(int rows, int features)
    {
        var blas = LinearAlgebraBackend.FindNative()
            ?? throw new InvalidOperationException("No native BLAS could be loaded; install libopenblas0-pthread or MKL.");
        var x = CreateFeatures(rows, features);
        var c = new double[features * features];
        return Best(rows, features, () => blas.SyrkUpperTransposed(features, rows, x, c));
    }

    /// <summary>Times the native accumulator and a direct <c>cblas_dsyrk</c> call in alternation, so that both see the same load on a shared machine.</summary>
    /// <param name="rows">Rows T, ≥ 1.</param>
    /// <param name="features">Features D, ≥ 1.</param>
    /// <returns>The best seconds and GFLOP/s of each, and the ratio of the best times (accumulator / direct).</returns>
    /// <exception cref="InvalidOperationException">No native BLAS can be loaded.</exception>
    public static ((double Seconds, double Gflops) Accumulator, (double Seconds, double Gflops) Direct, double Ratio) CompareNativeWithDirect(
        int rows, int features)
    {
        var blas = LinearAlgebraBackend.FindNative()
            ?? throw new InvalidOperationException("No native BLAS could be loaded; install libopenblas0-pthread or MKL.");
        var x = CreateFeatures(rows, features);
        var y = new double[rows * Targets];
        var c = new double[features * features];
        var gram = new GramAccumulator(features, Targets, blas);
        gram.Accumulate(x, y, rows);
        blas.SyrkUpperTransposed(features, rows, x, c);
        var bestAccumulator = double.PositiveInfinity;
        var bestDirect = double.PositiveInfinity;
        for (var i = 0; i < 2 * TimedRuns; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            gram.Reset();
            gram.Accumulate(x, y, rows);
            bestAccumulator = Math.Min(bestAccumulator, stopwatch.Elapsed.TotalSeconds);
            stopwatch.Restart();
            blas.SyrkUpperTransposed(features, rows, x, c);
            bestDirect = Math.Min(bestDirect, stopwatch.Elapsed.TotalSeconds);
        }

        var flops = TriangleFlops(rows, features) / 1e9;
        return ((bestAccumulator, flops / bestAccumulator), (bestDirect, flops / bestDirect), bestAccumulator / bestDirect);
    }

    /// <summary>How <see cref="MachinePeak"/> counts, for the JSON report.</summary>
    public static string PeakBasis =>
        $"cores x FMA units x doubles per vector x 2 x nominal clock, for {GramKernels.NameOf(GramKernels.BestInstructionSet)}: " +
        (GramKernels.BestInstructionSet == GramInstructionSet.Vector512 && IsZen4()
            ? "Zen 4 runs a 512-bit FMA on its two 256-bit pipes (double-pumped), so 1 x 8 doubles per cycle, the same as 2 x 4 with AVX2"
            : GramKernels.BestInstructionSet == GramInstructionSet.Vector512
                ? "2 x 8 doubles per cycle (two 512-bit FMA units assumed)"
                : "2 x 4 doubles per cycle (two 256-bit FMA pipes)");

    /// <summary>This machine's peak double-precision rate for the instruction set the managed Gram kernel uses: cores × FMA units × doubles per vector × 2 flops × clock.</summary>
    /// <returns>The peak in GFLOP/s and the clock in GHz, read from <c>/proc/cpuinfo</c> (0 when it cannot be read).</returns>
    /// <remarks>
    /// The clock is the one the kernel reports (nominal in a virtual machine; cores may boost above it, so a measured rate
    /// can exceed this peak). AVX2: two 256-bit FMA pipes (Zen 2–4, Haswell and later). AVX-512: one 512-bit FMA per cycle
    /// on Zen 4 (AMD family 25), which splits it over its two 256-bit pipes; two 512-bit units assumed elsewhere.
    /// </remarks>
    public static (double Gflops, double ClockGhz) MachinePeak()
    {
        var clockGhz = 0.0;
        foreach (var line in CpuInfoLines())
        {
            if (line.StartsWith("cpu MHz", StringComparison.Ordinal))
            {
                clockGhz = Math.Max(clockGhz, double.Parse(line[(line.IndexOf(':') + 1)..], CultureInfo.InvariantCulture) / 1000);
            }
        }

        var wide = GramKernels.BestInstructionSet == GramInstructionSet.Vector512;
        var fmaUnits = wide && IsZen4() ? 1 : 2;
        var doublesPerVector = wide ? 8 : 4;
        const int FlopsPerFma = 2;
        return (Environment.ProcessorCount * fmaUnits * doublesPerVector * FlopsPerFma * clockGhz, clockGhz);
    }

    /// <summary>Measures the rate of independent fused multiply-adds on all cores at once: the peak the managed kernels can reach here, at the clock the cores actually run.</summary>
    /// <param name="instructionSet">The vector width to measure.</param>
    /// <returns>The best of three rates in GFLOP/s (each core runs 12 independent chains for about 20 ms).</returns>
    internal static double MeasureFmaRate(GramInstructionSet instructionSet)
    {
        const int Iterations = 2_000_000;
        var threads = Environment.ProcessorCount;
        var lanes = instructionSet == GramInstructionSet.Vector512 ? 8 : 4;
        var flops = 2.0 * 12 * lanes * Iterations * threads;
        var sink = new double[threads];
        var best = 0.0;
        for (var round = 0; round < 4; round++)
        {
            var stopwatch = Stopwatch.StartNew();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
                sink[t] = instructionSet == GramInstructionSet.Vector512 ? FmaChains512(Iterations) : FmaChains256(Iterations));
            var seconds = stopwatch.Elapsed.TotalSeconds;
            best = round == 0 ? 0 : Math.Max(best, flops / seconds / 1e9);
        }

        return double.IsFinite(sink[0]) ? best : 0;
    }

    private static double FmaChains256(int iterations)
    {
        var m = Vector256.Create(0.999999);
        var a = Vector256.Create(1e-6);
        Vector256<double> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a;
        for (var i = 0; i < iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, m, a);
            c1 = Vector256.FusedMultiplyAdd(c1, m, a);
            c2 = Vector256.FusedMultiplyAdd(c2, m, a);
            c3 = Vector256.FusedMultiplyAdd(c3, m, a);
            c4 = Vector256.FusedMultiplyAdd(c4, m, a);
            c5 = Vector256.FusedMultiplyAdd(c5, m, a);
            c6 = Vector256.FusedMultiplyAdd(c6, m, a);
            c7 = Vector256.FusedMultiplyAdd(c7, m, a);
            c8 = Vector256.FusedMultiplyAdd(c8, m, a);
            c9 = Vector256.FusedMultiplyAdd(c9, m, a);
            c10 = Vector256.FusedMultiplyAdd(c10, m, a);
            c11 = Vector256.FusedMultiplyAdd(c11, m, a);
        }

        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    private static double FmaChains512(int iterations)
    {
        var m = Vector512.Create(0.999999);
        var a = Vector512.Create(1e-6);
        Vector512<double> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a;
        for (var i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, m, a);
            c1 = Vector512.FusedMultiplyAdd(c1, m, a);
            c2 = Vector512.FusedMultiplyAdd(c2, m, a);
            c3 = Vector512.FusedMultiplyAdd(c3, m, a);
            c4 = Vector512.FusedMultiplyAdd(c4, m, a);
            c5 = Vector512.FusedMultiplyAdd(c5, m, a);
            c6 = Vector512.FusedMultiplyAdd(c6, m, a);
            c7 = Vector512.FusedMultiplyAdd(c7, m, a);
            c8 = Vector512.FusedMultiplyAdd(c8, m, a);
            c9 = Vector512.FusedMultiplyAdd(c9, m, a);
            c10 = Vector512.FusedMultiplyAdd(c10, m, a);
            c11 = Vector512.FusedMultiplyAdd(c11, m, a);
        }

        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    /// <summary>True on AMD family 25 (Zen 3 and Zen 4; only Zen 4 has AVX-512).</summary>
    private static bool IsZen4()
    {
        var amd = false;
        var family = 0;
        foreach (var line in CpuInfoLines())
        {
            if (line.StartsWith("vendor_id", StringComparison.Ordinal))
            {
                amd = line.Contains("AuthenticAMD", StringComparison.Ordinal);
            }
            else if (line.StartsWith("cpu family", StringComparison.Ordinal))
            {
                _ = int.TryParse(line[(line.IndexOf(':') + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out family);
                break;
            }
        }

        return amd && family == 25;
    }

    private static string[] CpuInfoLines()
    {
        try
        {
            return File.ReadAllLines("/proc/cpuinfo");
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>A seeded rows × features matrix of values uniform in [-1, 1) plus a per-column offset, like reservoir states with a bias.</summary>
    internal static double[] CreateFeatures(int rows, int features)
    {
        var random = new Xoshiro256StarStar(Seed);
        var x = new double[rows * features];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = 0.1 * (i % features) / features + 2 * random.NextDouble() - 1;
        }

        return x;
    }

    private static (double Seconds, double Gflops) Best(int rows, int features, Action run)
    {
        run();
        var best = double.PositiveInfinity;
        for (var i = 0; i < TimedRuns; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            run();
            best = Math.Min(best, stopwatch.Elapsed.TotalSeconds);
        }

        return (best, TriangleFlops(rows, features) / best / 1e9);
    }
}
