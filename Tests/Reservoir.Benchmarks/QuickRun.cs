using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using MathNet.Numerics;
using Reservoir.Benchmarks.Pipelines;
using Reservoir.Benchmarks.Readouts;
using Reservoir.Readouts;

namespace Reservoir.Benchmarks;

/// <summary>Runs each end-to-end workload once (best of a few) with a stopwatch and prints one JSON object (the <c>quick</c> argument).</summary>
/// <remarks>
/// Keys: <c>steps_per_s</c> (by N), <c>batched_steps_per_s</c> ("500x32", "500x128"), <c>gram</c> (by backend, "managed" and, when a
/// native BLAS is found, "native", each with <c>seconds</c>, <c>gflops</c> and <c>fraction_of_peak</c> for T = 10⁴,
/// N = 1000; plus the direct cblas_dsyrk reference; <c>gram.managed.isa</c> (also <c>gram["managed.isa"]</c>) names the
/// managed kernel's instruction set, "AVX-512" or "AVX2"; <c>managed_avx2_tile</c> times the 256-bit kernel in
/// alternation with it; <c>peak_gflops</c> is the formula peak for that instruction set at the nominal clock and
/// <c>peak_basis</c> says how it is counted; <c>measured_fma_peak_gflops</c> is the rate of independent FMAs on all
/// cores, the peak at the clock the cores actually run; <c>kernel_alone_gflops</c> times both micro-kernels on packed
/// blocks; <c>selected_backend</c>, <c>selection</c>, <c>native_core</c> and <c>calibration_seconds</c> report the
/// automatic backend choice), <c>fit_seconds</c> (readout fit on 9 900 states, by N: 100, 500, 1000, 2000), <c>mg_job_seconds</c>,
/// <c>forecast_defaults_seconds_5000</c> (SeriesForecaster with its defaults, fit and forecast, 5 000 values, H = 48),
/// <c>peak_working_set_mb</c> (N = 1000, T = 10⁵ fit, measured in a child process), <c>big</c> (N = 10⁴ and 10⁵ with
/// in-degree 10, each in a child process: <c>steps_per_s</c>, <c>batched_32_steps_per_s</c>, <c>peak_working_set_mb</c>;
/// weights drawn and scaled by the circular law, see <see cref="Reservoir.LargeReservoirRun.RunBigOne"/>), <c>blas_backend</c>,
/// <c>mathnet_provider</c>.
/// </remarks>
public static class QuickRun
{
    private const int GramRows = 10_000;
    private const int GramFeatures = 1000;
    private static readonly int[] UnitCounts = [100, 500, 1000, 2000];
    private static readonly int[] BigUnitCounts = [10_000, 100_000];

    /// <summary>Plain JSON: keeps characters such as '+' readable instead of escaping them for HTML.</summary>
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Measures and prints; with a plot path, also draws steps/s against ReservoirPy's.</summary>
    /// <param name="plotPath">Where to write the PNG plot of steps/s, or null.</param>
    public static void Run(string? plotPath = null)
    {
        Control.UseBestProviders();
        var total = Stopwatch.StartNew();
        var stepsPerSecond = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var fitSeconds = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var n in UnitCounts)
        {
            var key = n.ToString(CultureInfo.InvariantCulture);
            stepsPerSecond[key] = Math.Round(StepWorkload.MeasureSingle(n));
            fitSeconds[key] = Math.Round(FitWorkload.MeasureReadoutFit(n), 4);
        }

        var batched = StepWorkload.MeasureBatched(500, 32);
        var batched128 = StepWorkload.MeasureBatched(500, 128);
        var (mgSeconds, mgNrmse) = MackeyGlassJob.Measure();
        var forecastSeconds = ForecastWorkload.Measure();
        var report = new Dictionary<string, object>
        {
            ["steps_per_s"] = stepsPerSecond,
            ["batched_steps_per_s"] = new Dictionary<string, double> { ["500x32"] = Math.Round(batched), ["500x128"] = Math.Round(batched128) },
            ["batched_over_single_500"] = Math.Round(batched / stepsPerSecond["500"], 2),
            ["gram"] = MeasureGram(GramRows, GramFeatures),
            ["fit_seconds"] = fitSeconds,
            ["mg_job_seconds"] = Math.Round(mgSeconds, 4),
            ["mg_job_nrmse"] = mgNrmse,
            ["forecast_defaults_seconds_5000"] = Math.Round(forecastSeconds, 3),
            ["peak_working_set_mb"] = Math.Round(PeakWorkingSetOfLongFit(), 1),
            ["big"] = MeasureBig(),
            ["blas_backend"] = LinearAlgebraBackend.Name,
            ["mathnet_provider"] = Control.Describe().Trim(),
            ["processor_count"] = Environment.ProcessorCount,
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            ["date_utc"] = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        report["quick_run_seconds"] = Math.Round(total.Elapsed.TotalSeconds, 1);
        if (plotPath is not null)
        {
            report["plot"] = StepRatePlot.Write(stepsPerSecond, plotPath);
        }

        Console.WriteLine(JsonSerializer.Serialize(report, JsonOptions));
    }

    /// <summary>Measures the Gram matrix for T = 10⁴ rows and the given feature count and prints it as JSON.</summary>
    /// <param name="features">Features D, ≥ 1.</param>
    public static void RunGram(int features)
    {
        Console.WriteLine(LinearAlgebraBackend.Description);
        Console.WriteLine(JsonSerializer.Serialize(MeasureGram(GramRows, features), JsonOptions));
    }

    /// <summary>Gram timings by backend (seconds, GFLOP/s, fraction of peak), both managed micro-kernels, and a direct cblas_dsyrk call for reference.</summary>
    private static Dictionary<string, object> MeasureGram(int rows, int features)
    {
        var (peak, clock) = GramWorkload.MachinePeak();
        var fraction = (double gflops) => peak > 0 ? Math.Round(gflops / peak, 3) : 0;
        var flops = GramWorkload.TriangleFlops(rows, features) / 1e9;
        var timing = (double seconds) => new Dictionary<string, object>
        {
            ["seconds"] = Math.Round(seconds, 4), ["gflops"] = Math.Round(flops / seconds, 1),
            ["fraction_of_peak"] = fraction(flops / seconds),
        };
        var best = GramKernels.BestInstructionSet;
        var (narrowSeconds, wideSeconds) = GramWorkload.CompareInstructionSets(rows, features);
        var fmaRate = GramWorkload.MeasureFmaRate(best);
        var managedSeconds = best == GramInstructionSet.Vector512 ? wideSeconds : narrowSeconds;
        var managed = timing(managedSeconds);
        managed["isa"] = GramKernels.NameOf(best);
        var result = new Dictionary<string, object>
        {
            ["flops_convention"] = "T*D*(D+1)",
            ["peak_gflops"] = Math.Round(peak, 1),
            ["peak_basis"] = GramWorkload.PeakBasis,
            ["clock_ghz"] = Math.Round(clock, 3),
            ["managed.isa"] = GramKernels.NameOf(best),
            ["managed"] = managed,
            ["measured_fma_peak_gflops"] = Math.Round(fmaRate, 1),
            ["managed_over_measured_fma_peak"] = fmaRate > 0 ? Math.Round(flops / managedSeconds / fmaRate, 3) : 0,
            ["managed_avx2_tile"] = timing(narrowSeconds),
            ["selected_backend"] = LinearAlgebraBackend.Name,
            ["selection"] = LinearAlgebraBackend.Description,
            ["native_core"] = LinearAlgebraBackend.FindNative()?.CoreName ?? "none",
            ["calibration_seconds"] = Math.Round(LinearAlgebraBackend.Calibration?.ElapsedSeconds ?? 0, 4),
        };
        if (best == GramInstructionSet.Vector512)
        {
            result["managed_512_over_256_speedup"] = Math.Round(narrowSeconds / wideSeconds, 3);
        }

        // The micro-kernels alone on packed 1024-row blocks (T rounded up to whole blocks): what the shifting, packing and
        // cross-products of the accumulator add.
        var (kernelNarrow, kernelWide) = GramWorkload.MeasureKernelsAlone(rows, features);
        var kernelFlops = GramWorkload.TriangleFlops((rows + 1023) / 1024 * 1024, features) / 1e9;
        result["kernel_alone_gflops"] = new Dictionary<string, double>
        {
            [GramKernels.NameOf(GramInstructionSet.Vector256)] = Math.Round(kernelFlops / kernelNarrow, 1),
            [GramKernels.NameOf(GramInstructionSet.Vector512)] = double.IsNaN(kernelWide) ? 0 : Math.Round(kernelFlops / kernelWide, 1),
        };

        if (LinearAlgebraBackend.FindNative() is not null)
        {
            var (accumulator, direct, ratio) = GramWorkload.CompareNativeWithDirect(rows, features);
            result["native"] = new Dictionary<string, double>
            {
                ["seconds"] = Math.Round(accumulator.Seconds, 4), ["gflops"] = Math.Round(accumulator.Gflops, 1),
                ["fraction_of_peak"] = fraction(accumulator.Gflops),
            };
            result["direct_dsyrk"] = new Dictionary<string, double>
            {
                ["seconds"] = Math.Round(direct.Seconds, 4), ["gflops"] = Math.Round(direct.Gflops, 1),
            };
            result["native_over_direct"] = Math.Round(ratio, 3);
        }

        return result;
    }

    /// <summary>Runs the long fit in a fresh process, so that the peak working set is the fit's own.</summary>
    private static double PeakWorkingSetOfLongFit() => double.Parse(RunChild("fit-memory").Trim(), CultureInfo.InvariantCulture);

    /// <summary>The <c>big</c> key: steps/s, series-steps/s of 32 sequences and peak memory at N = 10⁴ and 10⁵ (in-degree 10), each in its own process.</summary>
    private static Dictionary<string, JsonElement> MeasureBig() =>
        BigUnitCounts.ToDictionary(
            n => n.ToString(CultureInfo.InvariantCulture),
            n => JsonSerializer.Deserialize<JsonElement>(RunChild("big-one", n.ToString(CultureInfo.InvariantCulture))));

    /// <summary>Runs this benchmark program again with the given arguments, so that its peak memory is its own, and returns what it printed.</summary>
    private static string RunChild(params string[] arguments)
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark's executable path is unknown.");
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            start.ArgumentList.Add(typeof(QuickRun).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{string.Join(' ', arguments)}'.");
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{string.Join(' ', arguments)}' failed with exit code {child.ExitCode}: {output}");
        }

        return output;
    }
}
