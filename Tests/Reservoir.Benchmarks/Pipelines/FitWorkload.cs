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
}
