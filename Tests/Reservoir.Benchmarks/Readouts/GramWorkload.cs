using System.Diagnostics;
using System.Globalization;
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
    public static (double Seconds, double Gflops) Measure(int rows, int features, bool native)
    {
        var blas = native
            ? LinearAlgebraBackend.Choose(null).Native
                ?? throw new InvalidOperationException("No native BLAS could be loaded; install libopenblas0-pthread or MKL.")
            : null;
        var x = CreateFeatures(rows, features);
        var y = new double[rows * Targets];
        var gram = new GramAccumulator(features, Targets, blas);
        return Best(rows, features, () =>
        {
            gram.Reset();
            gram.Accumulate(x, y, rows);
        });
    }

    /// <summary>Times one direct <c>cblas_dsyrk</c> call on the whole (uncentred) rows × features matrix: the native reference.</summary>
    /// <param name="rows">Rows T, ≥ 1.</param>
    /// <param name="features">Features D, ≥ 1.</param>
    /// <returns>The best time in seconds and the rate in GFLOP/s.</returns>
    /// <exception cref="InvalidOperationException">No native BLAS can be loaded.</exception>
    public static (double Seconds, double Gflops) MeasureDirectSyrk(int rows, int features)
    {
        var blas = LinearAlgebraBackend.Choose(null).Native
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
        var blas = LinearAlgebraBackend.Choose(null).Native
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

    /// <summary>This machine's peak double-precision rate: cores × 2 FMA pipes × 4 doubles × 2 flops × clock.</summary>
    /// <returns>The peak in GFLOP/s and the clock in GHz, read from <c>/proc/cpuinfo</c> (0 when it cannot be read).</returns>
    /// <remarks>Assumes AVX2 with two 256-bit FMA pipes per core (Zen 2/3, Haswell and later); the clock is the current one reported by the kernel.</remarks>
    public static (double Gflops, double ClockGhz) MachinePeak()
    {
        var clockGhz = 0.0;
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("cpu MHz", StringComparison.Ordinal))
                {
                    clockGhz = Math.Max(clockGhz, double.Parse(line[(line.IndexOf(':') + 1)..], CultureInfo.InvariantCulture) / 1000);
                }
            }
        }
        catch (IOException)
        {
            clockGhz = 0;
        }
        catch (UnauthorizedAccessException)
        {
            clockGhz = 0;
        }

        const int FmaPipes = 2;
        const int DoublesPerVector = 4;
        const int FlopsPerFma = 2;
        return (Environment.ProcessorCount * FmaPipes * DoublesPerVector * FlopsPerFma * clockGhz, clockGhz);
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
