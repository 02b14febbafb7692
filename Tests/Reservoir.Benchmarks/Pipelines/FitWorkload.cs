using System.Diagnostics;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Benchmarks.Pipelines;

/// <summary>Readout fits: from given states (XᵀX + solve, as in the published comparison) and a long streamed fit for memory.</summary>
public static class FitWorkload
{
    /// <summary>The number of states in the readout-fit comparison (10⁴ steps less a washout of 100).</summary>
    public const int States = 9_900;

    /// <summary>Seconds to fit a ridge readout (Gram accumulation + Cholesky) on 9 900 given states of N units; best of a few runs.</summary>
    /// <param name="unitCount">N.</param>
    /// <returns>The best time in seconds.</returns>
    public static double MeasureReadoutFit(int unitCount)
    {
        var random = new Random(5);
        var features = new double[States * unitCount];
        var targets = new double[States];
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = Math.Tanh(2 * random.NextDouble() - 1);
        }

        for (var i = 0; i < targets.Length; i++)
        {
            targets[i] = random.NextDouble();
        }

        var readout = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 1e-6 });
        var best = double.MaxValue;
        for (var repeat = 0; repeat < 4; repeat++)
        {
            var stopwatch = Stopwatch.StartNew();
            var gram = new GramAccumulator(unitCount, 1);
            gram.Accumulate(features, targets, States);
            readout.Fit(gram);
            if (repeat > 0)
            {
                best = Math.Min(best, stopwatch.Elapsed.TotalSeconds);
            }
        }

        return best;
    }

    /// <summary>Fits a 1 000-unit network on 10⁵ steps of a univariate series (streamed) and returns the peak working set in MB.</summary>
    /// <returns>The process's peak working set after the fit, in MB.</returns>
    /// <remarks>Meant to run in a fresh process (the <c>fit-memory</c> argument), so that the peak belongs to this fit alone.</remarks>
    public static double MeasureLongFitPeakWorkingSet()
    {
        const int steps = 100_000;
        var series = new double[steps + 1];
        for (var t = 0; t < series.Length; t++)
        {
            series[t] = Math.Sin(0.05 * t) * Math.Cos(0.011 * t);
        }

        var options = new EchoStateNetworkOptions
        {
            Reservoir = new ReservoirOptions { UnitCount = 1000, Seed = 1, LeakRates = 0.3, SpectralRadius = 0.9 },
            WashoutSteps = 100,
        };
        EchoStateNetwork.Fit(options, series[..steps], series[1..]);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64 / (1024.0 * 1024.0);
    }

    /// <summary>
    /// Fits a reservoir of <paramref name="units"/> units with in-degree 10 on <paramref name="steps"/> steps of one series
    /// (one-step prediction, fixed λ) and prints one JSON object: seconds, peak working set, the memory the Gram
    /// matrix of its features needs, (N + 2)² doubles, the process's processor time (a steadier measure than the
    /// seconds on a shared machine) and the Gram backend in use (the <c>big-fit</c> mode).
    /// </summary>
    /// <param name="units">N.</param>
    /// <param name="steps">T.</param>
    public static void RunBigFit(int units, int steps)
    {
        var series = new double[steps + 1];
        for (var t = 0; t < series.Length; t++)
        {
            series[t] = Math.Sin(0.05 * t) * Math.Cos(0.011 * t);
        }

        var options = new EchoStateNetworkOptions
        {
            Reservoir = new ReservoirOptions { UnitCount = units, Seed = 1, LeakRates = 0.3, SpectralRadius = 0.9, RecurrentInDegree = 10 },
            Readout = new RidgeReadoutOptions { L2Regularization = 1e-6 },
            WashoutSteps = 100,
        };
        var clock = Stopwatch.StartNew();
        var network = EchoStateNetwork.Fit(options, series[..steps], series[1..]);
        var seconds = clock.Elapsed.TotalSeconds;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var features = units + 2;
        var gramMb = (double)features * features * sizeof(double) / 1e6;
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{{\"units\": {units}, \"steps\": {steps}, \"fit_seconds\": {seconds:F1}, \"peak_working_set_mb\": {process.PeakWorkingSet64 / 1e6:F0}, "
            + $"\"gram_mb\": {gramMb:F0}, \"cpu_seconds\": {process.TotalProcessorTime.TotalSeconds:F1}, \"readout_outputs\": {network.OutputDimension}, "
            + $"\"gram_backend\": \"{LinearAlgebraBackend.Description.Replace("\"", "'", StringComparison.Ordinal)}\"}}"));
    }
}
