using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics.X86;

namespace Reservoir.Readouts;

/// <summary>The measurement that decided whether a native BLAS found automatically computes Gram products faster than the managed kernels.</summary>
/// <remarks>
/// <para>
/// The upper triangle of the Gram matrix of the same <see cref="Rows"/> × <see cref="Features"/> block is computed by
/// each backend's product alone (the managed kernel on the packed block, <c>cblas_dsyrk</c> on the row-major one):
/// once each to warm up, then <see cref="TimedRounds"/> rounds alternately; the best time of each is kept.
/// It runs once per process, when the first accumulator is created and a native library was found (see
/// <see cref="LinearAlgebraBackend"/>); <see cref="ElapsedSeconds"/> says how long it took (about 0.6 GFLOP per run,
/// six runs and the packing: a few tens of milliseconds on a two-core machine). A smaller block would be quicker but would not
/// measure what matters: the native library is used only from 1500 features on, and its advantage, if any, grows
/// with the width (its fixed costs per call are repaid).
/// </para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
/// <param name="Rows">Rows of the block timed (256).</param>
/// <param name="Features">Features of the block timed (1536: the smallest width at which a native library found automatically is used, so the width where it must pay).</param>
/// <param name="ManagedSeconds">Best time of the managed kernels, in seconds.</param>
/// <param name="NativeSeconds">Best time of the native library, in seconds; <see cref="double.NaN"/> when it was not timed (see <see cref="NativeCoreName"/>).</param>
/// <param name="ManagedInstructionSet">The managed kernels' instruction set ("AVX-512", "AVX2", …).</param>
/// <param name="NativeCoreName">The kernel target the native library reports (<c>openblas_get_corename</c>, for example "Haswell" or "Prescott"), or <see langword="null"/> when it has no such report.</param>
public sealed record GramCalibration(int Rows, int Features, double ManagedSeconds, double NativeSeconds,
    string ManagedInstructionSet, string? NativeCoreName)
{
    /// <summary>Rows of the calibration block: one block of the native path at this width.</summary>
    internal const int CalibrationRows = 256;

    /// <summary>Features of the calibration block: the smallest width at which a native library found automatically may be used (1500, rounded up to whole 24-column panels).</summary>
    internal const int CalibrationFeatures = 1536;

    /// <summary>Timed rounds per backend after the warm-up.</summary>
    internal const int TimedRounds = 2;

    /// <summary>OpenBLAS kernel targets without AVX2: an OpenBLAS that reports one of these runs SSE-era kernels.</summary>
    private static readonly string[] PreAvx2Cores =
    [
        "Katmai", "Coppermine", "Northwood", "Prescott", "Banias", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom",
        "Athlon", "Opteron", "Opteron_SSE3", "Barcelona", "Nano", "Sandybridge", "Bobcat", "Bulldozer", "Piledriver",
        "Steamroller",
    ];

    /// <summary>Gets the wall-clock time the calibration took, in seconds (warm-up included).</summary>
    public double ElapsedSeconds { get; init; }

    /// <summary>Gets a value indicating whether the native library was faster than the managed kernels (false when it was not timed).</summary>
    public bool NativeIsFaster => NativeSeconds < ManagedSeconds;

    /// <summary>Returns one line with the block size, both times and the kernel target, for logs.</summary>
    /// <returns>For example "calibration 256 × 1536: managed AVX-512 6.10 ms, native 7.95 ms".</returns>
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
        var elapsed = Stopwatch.StartNew();
        var instructionSet = GramKernels.BestInstructionSet;
        var isa = GramKernels.NameOf(instructionSet);
        var x = new double[rows * features];
        for (var i = 0; i < x.Length; i++)
        {
            // A fixed, cheap pattern in [-0.5, 0.5): the values do not matter for the time, only that they are finite.
            x[i] = (int)((uint)(i * 2654435761u) >> 22) / 1024.0 - 0.5;
        }

        // The products alone: the managed kernel on the packed block against cblas_dsyrk on the row-major block.
        var packed = GramKernels.AllocateAligned(GramKernels.PackedLength(rows, features));
        var padded = GramKernels.PanelCount(features) * GramKernels.PanelWidth;
        GramKernels.Pack(x, rows, features, new double[features], packed.Span, new double[padded], new double[padded], Environment.ProcessorCount);
        var upper = new double[features * features];
        var threads = Environment.ProcessorCount;
        double Managed() => Time(() => GramKernels.AccumulateUpperGram(packed, rows, features, upper, threads, instructionSet));
        double Native() => Time(() => native.SyrkUpperTransposed(features, rows, x, upper));

        Managed();
        if (IsOutclassedCore(native.CoreName))
        {
            return new GramCalibration(rows, features, Managed(), double.NaN, isa, native.CoreName)
            {
                ElapsedSeconds = elapsed.Elapsed.TotalSeconds,
            };
        }

        Native();
        var bestManaged = double.PositiveInfinity;
        var bestNative = double.PositiveInfinity;
        for (var round = 0; round < TimedRounds; round++)
        {
            bestManaged = Math.Min(bestManaged, Managed());
            bestNative = Math.Min(bestNative, Native());
        }

        return new GramCalibration(rows, features, bestManaged, bestNative, isa, native.CoreName)
        {
            ElapsedSeconds = elapsed.Elapsed.TotalSeconds,
        };
    }

    private static double Time(Action run)
    {
        var stopwatch = Stopwatch.StartNew();
        run();
        return stopwatch.Elapsed.TotalSeconds;
    }
}
