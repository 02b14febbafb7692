using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MathNet.Numerics;
using Reservoir.Benchmarks.Pipelines;

namespace Reservoir.Benchmarks;

/// <summary>Runs each end-to-end workload once (best of a few) with a stopwatch and prints one JSON object (the <c>quick</c> argument).</summary>
/// <remarks>
/// Keys: <c>steps_per_s</c> (by N), <c>batched_steps_per_s</c> ("500x32"), <c>gram</c> (by backend: seconds and GFLOP/s for
/// T = 10⁴, N = 1000), <c>fit_seconds</c> (readout fit on 9 900 states, by N), <c>mg_job_seconds</c>,
/// <c>peak_working_set_mb</c> (N = 1000, T = 10⁵ fit, measured in a child process), <c>blas_backend</c>,
/// <c>mathnet_provider</c>.
/// </remarks>
public static class QuickRun
{
    private static readonly int[] UnitCounts = [100, 500, 1000, 2000];

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

        var (mgSeconds, mgNrmse) = MackeyGlassJob.Measure();
        var report = new Dictionary<string, object>
        {
            ["steps_per_s"] = stepsPerSecond,
            ["fit_seconds"] = fitSeconds,
            ["mg_job_seconds"] = Math.Round(mgSeconds, 4),
            ["mg_job_nrmse"] = mgNrmse,
            ["peak_working_set_mb"] = Math.Round(PeakWorkingSetOfLongFit(), 1),
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

        Console.WriteLine(JsonSerializer.Serialize(report));
    }

    /// <summary>Runs the long fit in a fresh process, so that the peak working set is the fit's own.</summary>
    private static double PeakWorkingSetOfLongFit()
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark's executable path is unknown.");
        var start = new ProcessStartInfo(path, "fit-memory") { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            start.ArgumentList.Clear();
            start.ArgumentList.Add(typeof(QuickRun).Assembly.Location);
            start.ArgumentList.Add("fit-memory");
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the memory measurement.");
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"The memory measurement failed with exit code {child.ExitCode}: {output}");
        }

        return double.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }
}
