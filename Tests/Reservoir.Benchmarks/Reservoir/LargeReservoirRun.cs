using System.Diagnostics;
using System.Globalization;

namespace Reservoir.Benchmarks.Reservoir;

/// <summary>
/// <c>large-reservoir</c>: builds a reservoir of 100 000 units with in-degree 10 from its options (spectral-radius
/// rescaling included) and runs 300 steps, reporting time and memory; <c>big-one N [double|single]</c>: the step rates and
/// peak memory of a reservoir of N units with in-degree 10 built from drawn weights, stepping in the given precision (the
/// <c>big</c> key of the quick run).
/// </summary>
/// <remarks>The test suite runs 100 000 units from drawn weights (without the slow spectral-radius estimate); <c>large-reservoir</c> runs the whole path, which takes about a minute.</remarks>
internal static class LargeReservoirRun
{
    /// <summary>The bound the issue of large reservoirs is held to: build and run within 1 GB.</summary>
    private const long MemoryBoundBytes = 1L << 30;

    /// <summary>Runs it and prints one JSON object; returns 0 when the peak working set stays under 1 GiB.</summary>
    /// <param name="args">Optional: <c>large-reservoir [units] [in-degree]</c>.</param>
    /// <returns>The process exit code.</returns>
    internal static int Run(string[] args)
    {
        var units = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var inDegree = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;
        using var process = Process.GetCurrentProcess();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var reservoir = new EchoStateReservoir(new ReservoirOptions { UnitCount = units, Seed = 3, RecurrentInDegree = inDegree });
        var build = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var state = reservoir.CreateState();
        var input = new double[1];
        for (var t = 0; t < 300; t++)
        {
            input[0] = Math.Sin(0.1 * t);
            reservoir.Step(state, input);
        }

        var run = clock.Elapsed.TotalSeconds;
        process.Refresh();
        var peak = process.PeakWorkingSet64;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var finite = state.Values.ToArray().All(double.IsFinite);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"units\": {units}, \"in_degree\": {inDegree}, \"build_seconds\": {build:F2}, \"run_300_steps_seconds\": {run:F3}, "
            + $"\"allocated_mib\": {allocated >> 20}, \"peak_working_set_mib\": {peak >> 20}, \"states_finite\": {(finite ? "true" : "false")}, "
            + $"\"within_1_gib\": {(peak < MemoryBoundBytes ? "true" : "false")}}}"));
        return peak < MemoryBoundBytes && finite ? 0 : 1;
    }

    /// <summary>The in-degree of the big reservoirs: 10 weights per unit.</summary>
    private const int BigInDegree = 10;

    /// <summary>
    /// Measures one big reservoir in this process and prints one JSON object: the weights are drawn as the options path
    /// draws them and scaled by 0.9/√k (the circular law puts the spectral radius near 0.9), so the minute-long
    /// spectral-radius estimate of 10⁵ units is not part of it; then one sequence's steps/s (both cores), 32 sequences'
    /// series-steps/s, and the process's peak working set. With <c>single</c> the reservoir steps in
    /// <see cref="Precision.Single"/>, its 32 sequences too.
    /// </summary>
    /// <param name="args"><c>big-one N [double|single]</c>; the precision defaults to double.</param>
    /// <returns>The process exit code: 0 when every state stayed finite.</returns>
    internal static int RunBigOne(string[] args)
    {
        var units = int.Parse(args[1], CultureInfo.InvariantCulture);
        var precision = args.Length > 2 ? ParsePrecision(args[2]) : Precision.Double;
        var clock = Stopwatch.StartNew();
        var (reservoir, _) = Tests.DrawnReservoirs.WithInDegree(units, BigInDegree, leakRate: 0.5, precision);
        var build = clock.Elapsed.TotalSeconds;

        // Enough steps for about a second of work at each size.
        var steps = Math.Max(100, 20_000_000 / (units * BigInDegree));
        var single = 0.0;
        var state = reservoir.CreateState();
        var value = new double[1];
        for (var repeat = 0; repeat < 3; repeat++)
        {
            clock.Restart();
            for (var t = 0; t < steps; t++)
            {
                value[0] = Math.Sin(0.1 * t);
                reservoir.Step(state, value);
            }

            single = Math.Max(single, steps / clock.Elapsed.TotalSeconds);
        }

        var sequences = StepWorkload.CreateSequences(32, Math.Max(20, steps / 8));
        var batched = 0.0;
        for (var repeat = 0; repeat < 3; repeat++)
        {
            clock.Restart();
            reservoir.RunMany(sequences, 0, null, -1, null);
            batched = Math.Max(batched, 32.0 * sequences[0].GetLength(0) / clock.Elapsed.TotalSeconds);
        }

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var finite = state.Values.ToArray().All(double.IsFinite);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"units\": {units}, \"in_degree\": {BigInDegree}, \"precision\": \"{precision.ToString().ToLowerInvariant()}\", \"build_seconds\": {build:F2}, \"steps_per_s\": {single:F0}, "
            + $"\"batched_32_steps_per_s\": {batched:F0}, \"peak_working_set_mb\": {process.PeakWorkingSet64 / 1e6:F1}}}"));
        return finite ? 0 : 1;
    }

    /// <summary>
    /// <c>precision-pair N [bursts]</c>: the drawn reservoir of N units (in-degree 10) in Double and in Single in one process,
    /// stepped in alternating bursts (10⁷ weight-steps, at least 20 steps, each), so that both see the same machine load; prints one JSON object with
    /// the median steps/s of each and the median and range of the per-pair ratio Single/Double, for the automatic step
    /// threads and for one thread.
    /// </summary>
    /// <param name="args"><c>precision-pair N [bursts]</c>; 15 bursts per precision and thread setting by default.</param>
    /// <returns>The process exit code: 0 when every state stayed finite.</returns>
    internal static int RunPrecisionPair(string[] args)
    {
        var units = int.Parse(args[1], CultureInfo.InvariantCulture);
        var bursts = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 15;
        var (reference, _) = Tests.DrawnReservoirs.WithInDegree(units, BigInDegree, leakRate: 0.5);
        var (single, _) = Tests.DrawnReservoirs.WithInDegree(units, BigInDegree, leakRate: 0.5, Precision.Single);
        var steps = Math.Max(20, 10_000_000 / (units * BigInDegree));
        var finite = true;
        string Measure(Numerics.StepThreads threads)
        {
            var states = new[] { reference.CreateState(), single.CreateState() };
            var rates = new[] { new List<double>(), new List<double>() };
            var value = new double[1];
            var clock = new Stopwatch();
            for (var burst = -1; burst < bursts; burst++)
            {
                for (var which = 0; which < 2; which++)
                {
                    var reservoir = which == 0 ? reference : single;
                    var state = states[which];
                    state.Threads = threads;
                    clock.Restart();
                    for (var t = 0; t < steps; t++)
                    {
                        value[0] = Math.Sin(0.1 * t);
                        reservoir.Step(state, value);
                    }

                    if (burst >= 0)
                    {
                        rates[which].Add(steps / clock.Elapsed.TotalSeconds);
                    }
                }
            }

            finite &= states.All(s => s.Values.ToArray().All(double.IsFinite));
            var ratios = rates[1].Zip(rates[0], (s, d) => s / d).ToList();
            return string.Create(CultureInfo.InvariantCulture,
                $"{{\"double_steps_per_s\": {Median(rates[0]):F0}, \"single_steps_per_s\": {Median(rates[1]):F0}, "
                + $"\"ratio_median\": {Median(ratios):F2}, \"ratio_min\": {ratios.Min():F2}, \"ratio_max\": {ratios.Max():F2}}}");
        }

        var auto = Measure(Numerics.StepThreads.Auto);
        var one = Measure(Numerics.StepThreads.One);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"units\": {units}, \"in_degree\": {BigInDegree}, \"steps_per_burst\": {steps}, \"bursts\": {bursts}, \"auto_threads\": {auto}, \"one_thread\": {one}}}"));
        return finite ? 0 : 1;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>The precision named by <paramref name="text"/>: <c>double</c> or <c>single</c>, in any case.</summary>
    /// <exception cref="ArgumentException"><paramref name="text"/> names neither.</exception>
    private static Precision ParsePrecision(string text) => text.ToLowerInvariant() switch
    {
        "double" => Precision.Double,
        "single" => Precision.Single,
        _ => throw new ArgumentException($"precision must be 'double' or 'single'; was '{text}'.", nameof(text)),
    };
}
