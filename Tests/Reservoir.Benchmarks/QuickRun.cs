using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using MathNet.Numerics;
using Reservoir.Benchmarks.Readouts;
using Reservoir.Readouts;

namespace Reservoir.Benchmarks;

/// <summary>Runs each workload once with a stopwatch and prints one JSON object (the <c>quick</c> argument).</summary>
public static class QuickRun
{
    private const int GramRows = 10_000;
    private const int GramFeatures = 1000;

    /// <summary>Plain JSON: keeps characters such as '+' readable instead of escaping them for HTML.</summary>
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Measures and prints.</summary>
    public static void Run()
    {
        Control.UseBestProviders();
        var stepsPerSecond = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var n in new[] { 100, 500, 1000, 2000 })
        {
            stepsPerSecond[n.ToString(CultureInfo.InvariantCulture)] = Math.Round(MeasureSteps(n));
        }

        var report = new Dictionary<string, object>
        {
            ["steps_per_s"] = stepsPerSecond,
            ["gram_10000x1000"] = MeasureGram(GramRows, GramFeatures),
            ["mathnet_provider"] = Control.Describe().Trim(),
            ["processor_count"] = Environment.ProcessorCount,
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            ["date_utc"] = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        Console.WriteLine(JsonSerializer.Serialize(report, JsonOptions));
    }

    /// <summary>Measures the Gram matrix for T = 10⁴ rows and the given feature count and prints it as JSON.</summary>
    /// <param name="features">Features D, ≥ 1.</param>
    public static void RunGram(int features)
    {
        Console.WriteLine(LinearAlgebraBackend.Description);
        Console.WriteLine(JsonSerializer.Serialize(MeasureGram(GramRows, features), JsonOptions));
    }

    /// <summary>Managed and native Gram timings (seconds, GFLOP/s, fraction of peak) and a direct cblas_dsyrk call for reference.</summary>
    private static Dictionary<string, object> MeasureGram(int rows, int features)
    {
        var (peak, clock) = GramWorkload.MachinePeak();
        var result = new Dictionary<string, object>
        {
            ["flops"] = "T*D*(D+1)",
            ["peak_gflops"] = Math.Round(peak, 1),
            ["clock_ghz"] = Math.Round(clock, 3),
            ["backend"] = LinearAlgebraBackend.Description,
        };
        var (seconds, gflops) = GramWorkload.Measure(rows, features, native: false);
        result["managed_s"] = Math.Round(seconds, 4);
        result["managed_gflops"] = Math.Round(gflops, 1);
        result["managed_fraction_of_peak"] = peak > 0 ? Math.Round(gflops / peak, 3) : 0;
        if (LinearAlgebraBackend.Choose(null).Native is not null)
        {
            var (accumulator, direct, ratio) = GramWorkload.CompareNativeWithDirect(rows, features);
            result["native_s"] = Math.Round(accumulator.Seconds, 4);
            result["native_gflops"] = Math.Round(accumulator.Gflops, 1);
            result["direct_dsyrk_s"] = Math.Round(direct.Seconds, 4);
            result["direct_dsyrk_gflops"] = Math.Round(direct.Gflops, 1);
            result["native_over_direct"] = Math.Round(ratio, 3);
        }

        return result;
    }

    /// <summary>The best of five timed runs of single-sequence steps, after a warm-up.</summary>
    private static double MeasureSteps(int unitCount)
    {
        var reservoir = StepWorkload.CreateReservoir(unitCount);
        var state = reservoir.CreateState();
        var steps = Math.Max(2000, 4_000_000 / unitCount);
        var inputs = StepWorkload.CreateInputs(steps);
        var input = new double[1];
        var best = 0.0;
        for (var repeat = 0; repeat < 6; repeat++)
        {
            var stopwatch = Stopwatch.StartNew();
            for (var t = 0; t < steps; t++)
            {
                input[0] = inputs[t];
                reservoir.Step(state, input);
            }

            stopwatch.Stop();
            if (repeat > 0)
            {
                best = Math.Max(best, steps / stopwatch.Elapsed.TotalSeconds);
            }
        }

        return best;
    }
}
