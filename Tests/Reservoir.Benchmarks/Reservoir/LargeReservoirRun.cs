using System.Diagnostics;
using System.Globalization;

namespace Reservoir.Benchmarks.Reservoir;

/// <summary><c>large-reservoir</c>: builds a reservoir of 100 000 units with in-degree 10 from its options (spectral-radius rescaling included) and runs 300 steps, reporting time and memory.</summary>
/// <remarks>The test suite runs the same size from drawn weights (without the slow spectral-radius estimate); this mode runs the whole path, which takes about a minute.</remarks>
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
}
