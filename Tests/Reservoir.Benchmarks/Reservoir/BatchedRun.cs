using System.Globalization;

namespace Reservoir.Benchmarks.Reservoir;

/// <summary>The batched-run rate alone (<c>batched [N] [B] [repeats]</c>): <see cref="StepWorkload.MeasureBatched"/>, repeated.</summary>
public static class BatchedRun
{
    /// <summary>Prints one line per repeat: N, B and the series-steps per second (the best of five timed runs after a warm-up).</summary>
    /// <param name="args">"batched", then optionally N (default 500), B (default 32) and the repeats (default 3).</param>
    public static void Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int Argument(int index, int fallback) =>
            args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
        var units = Argument(1, 500);
        var batch = Argument(2, 32);
        var repeats = Argument(3, 3);
        for (var r = 0; r < repeats; r++)
        {
            var rate = StepWorkload.MeasureBatched(units, batch);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batched N={units} B={batch}: {rate:F0} series-steps/s"));
        }
    }
}
