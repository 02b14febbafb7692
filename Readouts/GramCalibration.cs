using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics.X86;

namespace Reservoir.Readouts;

/// <summary>The measurement that decided whether a native BLAS found automatically computes Gram products faster than the managed kernels.</summary>
/// <remarks>
/// <para>
/// The same seeded <see cref="Rows"/> × <see cref="Features"/> block is accumulated by a <see cref="GramAccumulator"/> on
/// each backend: once each to warm up, then <see cref="TimedRounds"/> rounds alternately; the best time of each is kept.
/// It takes a few milliseconds and runs once per process (see <see cref="LinearAlgebraBackend"/>).
/// </para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
/// <param name="Rows">Rows of the block timed (1024).</param>
/// <param name="Features">Features of the block timed (384).</param>
/// <param name="ManagedSeconds">Best time of the managed kernels, in seconds.</param>
/// <param name="NativeSeconds">Best time of the native library, in seconds; <see cref="double.NaN"/> when it was not timed (see <see cref="NativeCoreName"/>).</param>
/// <param name="ManagedInstructionSet">The managed kernels' instruction set ("AVX-512", "AVX2", …).</param>
/// <param name="NativeCoreName">The kernel target the native library reports (<c>openblas_get_corename</c>, for example "Haswell" or "Prescott"), or <see langword="null"/> when it has no such report.</param>
public sealed record GramCalibration(int Rows, int Features, double ManagedSeconds, double NativeSeconds,
    string ManagedInstructionSet, string? NativeCoreName)
{
    /// <summary>Rows of the calibration block.</summary>
    internal const int CalibrationRows = 1024;

    /// <summary>Features of the calibration block.</summary>
    internal const int CalibrationFeatures = 384;

    /// <summary>Timed rounds per backend after the warm-up.</summary>
    internal const int TimedRounds = 3;

    /// <summary>OpenBLAS kernel targets without AVX2: an OpenBLAS that reports one of these runs SSE-era kernels.</summary>
    private static readonly string[] PreAvx2Cores =
    [
        "Katmai", "Coppermine", "Northwood", "Prescott", "Banias", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom",
        "Athlon", "Opteron", "Opteron_SSE3", "Barcelona", "Nano", "Sandybridge", "Bobcat", "Bulldozer", "Piledriver",
        "Steamroller",
    ];

    /// <summary>Gets a value indicating whether the native library was faster than the managed kernels (false when it was not timed).</summary>
    public bool NativeIsFaster => NativeSeconds < ManagedSeconds;

    /// <summary>Returns one line with the block size, both times and the kernel target, for logs.</summary>
    /// <returns>For example "calibration 1024 × 384: managed AVX-512 2.10 ms, native 2.95 ms".</returns>
    public override string ToString()
    {
        var native = double.IsNaN(NativeSeconds)
            ? $"native not timed, its kernels ({NativeCoreName}) predate AVX2"
            : string.Create(CultureInfo.InvariantCulture, $"native {NativeSeconds * 1e3:0.00} ms");
        return string.Create(CultureInfo.InvariantCulture,
            $"calibration {Rows} × {Features}: managed {ManagedInstructionSet} {ManagedSeconds * 1e3:0.00} ms, {native}");
    }

    /// <summary>True when <paramref name="coreName"/> is an OpenBLAS kernel target older than AVX2 while the managed kernels have AVX2 or wider.</summary>
    /// <param name="coreName">The target the library reports, or null.</param>
    /// <returns>Whether timing the library can be skipped.</returns>
    internal static bool IsOutclassedCore(string? coreName) =>
        coreName is not null && Avx2.IsSupported && Fma.IsSupported
        && Array.Exists(PreAvx2Cores, core => string.Equals(core, coreName, StringComparison.OrdinalIgnoreCase));

    /// <summary>Times the managed kernels and a native library on the calibration block.</summary>
    /// <param name="native">The library.</param>
    /// <returns>The calibration.</returns>
    internal static GramCalibration Measure(NativeBlas native) => Measure(native, CalibrationRows, CalibrationFeatures);

    /// <summary>Times the managed kernels and a native library on a seeded rows × features block.</summary>
    /// <param name="native">The library.</param>
    /// <param name="rows">Rows, ≥ 1.</param>
    /// <param name="features">Features, ≥ 1.</param>
    /// <returns>The calibration.</returns>
    internal static GramCalibration Measure(NativeBlas native, int rows, int features)
    {
        var isa = GramKernels.NameOf(GramKernels.BestInstructionSet);
        var x = new double[rows * features];
        for (var i = 0; i < x.Length; i++)
        {
            // A fixed, cheap pattern in [-0.5, 0.5): the values do not matter for the time, only that they are finite.
            x[i] = (int)((uint)(i * 2654435761u) >> 22) / 1024.0 - 0.5;
        }

        var y = new double[rows];
        var managed = new GramAccumulator(features, 1, null);
        managed.Accumulate(x, y, rows);
        if (IsOutclassedCore(native.CoreName))
        {
            return new GramCalibration(rows, features, Time(managed, x, y, rows), double.NaN, isa, native.CoreName);
        }

        var blas = new GramAccumulator(features, 1, native);
        blas.Accumulate(x, y, rows);
        var bestManaged = double.PositiveInfinity;
        var bestNative = double.PositiveInfinity;
        for (var round = 0; round < TimedRounds; round++)
        {
            bestManaged = Math.Min(bestManaged, Time(managed, x, y, rows));
            bestNative = Math.Min(bestNative, Time(blas, x, y, rows));
        }

        return new GramCalibration(rows, features, bestManaged, bestNative, isa, native.CoreName);
    }

    private static double Time(GramAccumulator gram, double[] x, double[] y, int rows)
    {
        var stopwatch = Stopwatch.StartNew();
        gram.Reset();
        gram.Accumulate(x, y, rows);
        return stopwatch.Elapsed.TotalSeconds;
    }
}
