using System.Globalization;

namespace Reservoir.Benchmarks.Reservoir;

/// <summary>The batched-run rate alone (<c>batched [N] [B] [repeats] [threads]</c>): <see cref="StepWorkload.MeasureBatched"/>, repeated.</summary>
public static class BatchedRun
{
    /// <summary>Prints one line per repeat: N, B and the series-steps per second (the best of five timed runs after a warm-up).</summary>
    /// <param name="args">"batched", then optionally N (default 500), B (default 32), the repeats (default 3) and the most threads (default −1, the runtime's choice).</param>
    public static void Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int Argument(int index, int fallback) =>
            args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
        var units = Argument(1, 500);
        var batch = Argument(2, 32);
        var repeats = Argument(3, 3);
        var threads = Argument(4, -1);
        for (var r = 0; r < repeats; r++)
        {
            var rate = StepWorkload.MeasureBatched(units, batch, threads);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batched N={units} B={batch} threads={threads}: {rate:F0} series-steps/s"));
        }
    }
}
