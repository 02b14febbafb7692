using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MathNet.Numerics;

namespace Reservoir.Benchmarks;

/// <summary>Runs each workload once with a stopwatch and prints one JSON object (the <c>quick</c> argument).</summary>
public static class QuickRun
{
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
            ["mathnet_provider"] = Control.Describe().Trim(),
            ["processor_count"] = Environment.ProcessorCount,
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            ["date_utc"] = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        Console.WriteLine(JsonSerializer.Serialize(report));
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
