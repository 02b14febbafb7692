using BenchmarkDotNet.Running;
using MathNet.Numerics;

namespace Reservoir.Benchmarks;

/// <summary>Benchmark entry point: BenchmarkDotNet's switcher, <c>quick</c> for one stopwatch pass printed as JSON, or <c>gram</c> for the Gram timings alone.</summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected by the arguments.</summary>
    /// <param name="args">BenchmarkDotNet arguments (for example <c>--filter '*Step*'</c>), <c>quick</c>, <c>quick --plot file.png</c>, <c>gram [features]</c> for the Gram timings alone, <c>roofline</c> for the step's bandwidth evidence, <c>step-loop N seconds</c> for an external profiler, <c>batched [N] [B] [repeats] [threads]</c> for the batched-run rate alone, <c>fit-memory</c> (used by <c>quick</c>), <c>fuzz-pipelines</c> for the pipeline-file fuzz at full size (see <see cref="Pipelines.PipelineFuzzRun"/>), <c>large-reservoir</c> to build and run 100 000 units of in-degree 10 from their options (see <see cref="Reservoir.LargeReservoirRun"/>), <c>big-one N [double|single]</c> for one size (and step precision) of the quick run's <c>big</c> key, <c>precision-pair N [bursts]</c> for Double against Single steps of one size in alternating bursts, or <c>big-fit [N] [T]</c> to fit N = 10⁴ units on 10⁵ steps and report the time and peak memory against the Gram's.</param>
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "quick")
        {
            QuickRun.Run(args.Length > 2 && args[1] == "--plot" ? args[2] : null);
            return;
        }

        if (args.Length > 0 && args[0] == "fuzz-pipelines")
        {
            Environment.ExitCode = Pipelines.PipelineFuzzRun.Run(args);
            return;
        }

        if (args.Length > 0 && args[0] == "big-fit")
        {
            Pipelines.FitWorkload.RunBigFit(
                args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000,
                args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 100_000);
            return;
        }

        if (args.Length > 1 && args[0] == "precision-pair")
        {
            Environment.ExitCode = Reservoir.LargeReservoirRun.RunPrecisionPair(args);
            return;
        }

        if (args.Length > 1 && args[0] == "big-one")
        {
            Environment.ExitCode = Reservoir.LargeReservoirRun.RunBigOne(args);
            return;
        }

        if (args.Length > 0 && args[0] == "large-reservoir")
        {
            Environment.ExitCode = Reservoir.LargeReservoirRun.Run(args);
            return;
        }

        if (args.Length > 0 && args[0] == "fit-memory")
        {
            Console.WriteLine(Pipelines.FitWorkload.MeasureLongFitPeakWorkingSet().ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            return;
        }

        if (args.Length > 2 && args[0] == "step-loop")
        {
            // A plain loop of steps for an external profiler (perf record): N, then seconds.
            var rate = StepWorkload.RunFor(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture),
                TimeSpan.FromSeconds(double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)));
            Console.WriteLine($"{rate:F0} steps/s");
            return;
        }

        if (args.Length > 0 && args[0] == "batched")
        {
            // The batched workload alone: N, B, repeats and threads (defaults 500, 32, 3, -1), one line per repeat.
            Reservoir.BatchedRun.Run(args);
            return;
        }

        if (args.Length > 0 && args[0] == "roofline")
        {
            Reservoir.StepRoofline.Run();
            return;
        }

        if (args.Length > 0 && args[0] == "gram")
        {
            QuickRun.RunGram(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000);
            return;
        }

        Control.UseBestProviders();
        Console.WriteLine(Control.Describe());
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
