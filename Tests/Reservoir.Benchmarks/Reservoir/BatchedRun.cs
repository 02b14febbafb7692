using System.Diagnostics;
using System.Globalization;
using Reservoir.Numerics;

namespace Reservoir.Benchmarks.Reservoir;

/// <summary>The batched-run rate alone (<c>batched [N] [B] [repeats] [threads] [compare | block]</c>), by the wall clock and by the processor time received.</summary>
public static class BatchedRun
{
    /// <summary>
    /// Prints one line per repeat: N, B, the threads, and the best of five timed runs after a warm-up of the workload of
    /// <see cref="StepWorkload.MeasureBatched"/>, as series-steps per second of wall-clock time and per second of processor
    /// time used by the process (on a shared machine the second shows what a core does while it runs the step).
    /// </summary>
    /// <param name="args">"batched", then optionally N (default 500), B (default 32), the repeats (default 3) and the most threads (default −1, the runtime's choice); a sixth argument is either <c>compare</c>, which alternates the 256-bit and 512-bit block products in the same process, or the most sequences per block (default <see cref="EchoStateReservoir.MaxBatchSize"/>).</param>
    public static void Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int Argument(int index, int fallback) =>
            args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
        var units = Argument(1, 500);
        var batch = Argument(2, 32);
        var repeats = Argument(3, 3);
        var threads = Argument(4, -1);
        var reservoir = StepWorkload.CreateReservoir(units);
        var steps = Math.Max(1000, 20_000_000 / (units * batch));
        var sequences = StepWorkload.CreateSequences(batch, steps);
        var compare = args.Length > 5 && args[5] == "compare";
        var maxBatchSize = args.Length > 5 && !compare ? Argument(5, EchoStateReservoir.MaxBatchSize) : EchoStateReservoir.MaxBatchSize;
        using var process = Process.GetCurrentProcess();
        for (var r = 0; r < repeats * (compare ? 2 : 1); r++)
        {
            if (compare)
            {
                ReservoirKernels.UseWideVectors = r % 2 == 1;
            }

            double bestWall = 0, bestProcessor = 0;
            for (var run = 0; run < 6; run++)
            {
                process.Refresh();
                var processorStart = process.TotalProcessorTime;
                var stopwatch = Stopwatch.StartNew();
                reservoir.RunMany(sequences, 0, null, threads, null, maxBatchSize);
                stopwatch.Stop();
                process.Refresh();
                var processor = (process.TotalProcessorTime - processorStart).TotalSeconds;
                if (run > 0)
                {
                    bestWall = Math.Max(bestWall, (double)batch * steps / stopwatch.Elapsed.TotalSeconds);
                    bestProcessor = Math.Max(bestProcessor, (double)batch * steps / processor);
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"batched N={units} B={batch} threads={threads} blocks of up to {maxBatchSize}{(compare ? ReservoirKernels.UseWideVectors ? " 512-bit" : " 256-bit" : "")}: {bestWall:F0} series-steps/s, {bestProcessor:F0} per processor-second"));
        }
    }
}
