using System.Diagnostics.CodeAnalysis;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Reservoir.Datasets;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Benchmarks.Pipelines;

/// <summary>The main example's one-step job: build a 500-unit reservoir, run 10⁴ steps, fit the ridge readout, predict the test set.</summary>
public static class MackeyGlassJob
{
    /// <summary>The series length.</summary>
    public const int Steps = 10_000;

    /// <summary>The training length.</summary>
    public const int TrainSteps = 8_000;

    /// <summary>The Mackey–Glass series (τ = 17) rescaled to [−1, 1]; generated once, outside the timed job.</summary>
    public static double[] Series { get; } = Datasets.Series.Rescale(MackeyGlass.Generate(Steps, 42));

    /// <summary>The options of the main example (500 units, leak 0.3, ρ 1.25, ridge 1e-6, washout 100).</summary>
    public static EchoStateNetworkOptions Options(int seed = 42) => new()
    {
        Reservoir = new ReservoirOptions
        {
            UnitCount = 500, Seed = seed, LeakRates = 0.3, SpectralRadius = 1.25, InputScaling = 1.0,
            RecurrentConnectivity = 0.1, InputConnectivity = 0.2, BiasScaling = 1.0,
        },
        Readout = new RidgeReadoutOptions { L2Regularization = 1e-6 },
        WashoutSteps = 100,
    };

    /// <summary>Runs the whole job once and returns the one-step NRMSE.</summary>
    /// <param name="seed">The reservoir seed.</param>
    /// <returns>The test NRMSE, so that the work is not optimised away and can be checked.</returns>
    public static double Run(int seed = 42)
    {
        var series = Series;
        var esn = EchoStateNetwork.Fit(Options(seed), series[..(TrainSteps - 1)], series[1..TrainSteps]);
        var prediction = esn.Predict(series[(TrainSteps - 1)..^1]);
        return Metrics.Nrmse(series.AsSpan(TrainSteps), prediction);
    }

    /// <summary>The best wall time of several runs after a warm-up, in seconds.</summary>
    /// <param name="repeats">The number of timed runs.</param>
    /// <returns>The best time and that run's NRMSE.</returns>
    public static (double Seconds, double Nrmse) Measure(int repeats = 5)
    {
        Run();
        var best = double.MaxValue;
        var nrmse = 0.0;
        for (var i = 0; i < repeats; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            nrmse = Run();
            best = Math.Min(best, stopwatch.Elapsed.TotalSeconds);
        }

        return (best, nrmse);
    }
}

/// <summary>BenchmarkDotNet view of <see cref="MackeyGlassJob"/>.</summary>
[MemoryDiagnoser]
public class MackeyGlassJobBenchmarks
{
    /// <summary>The whole one-step job.</summary>
    /// <returns>The NRMSE.</returns>
    [Benchmark]
    [SuppressMessage("Performance", "CA1822:Mark members as static",
        Justification = "BenchmarkDotNet requires benchmark methods to be instance methods.")]
    public double MackeyGlassOneStepJob() => MackeyGlassJob.Run();
}
