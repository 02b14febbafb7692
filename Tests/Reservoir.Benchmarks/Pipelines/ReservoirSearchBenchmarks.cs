using BenchmarkDotNet.Attributes;
using Reservoir.Datasets;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Benchmarks.Pipelines;

/// <summary>A reservoir search on NARMA-10 (200 units, 3 000 steps, 24 candidates): λ alone searched, or every parameter.</summary>
/// <remarks>Uses the public API only, so that the same file measures a build before and after a change of the search.</remarks>
public class ReservoirSearchBenchmarks
{
    private double[,] _inputs = new double[0, 0];
    private double[,] _targets = new double[0, 0];

    /// <summary>Gets or sets whether only λ is searched (every reservoir range fixed), so that all candidates share one reservoir.</summary>
    [Params(true, false)]
    public bool OnlyLambda { get; set; }

    /// <summary>Generates the series.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var series = Narma.Generate(3000, seed: 2);
        _inputs = new double[series.Input.Length, 1];
        _targets = new double[series.Target.Length, 1];
        for (var t = 0; t < series.Input.Length; t++)
        {
            _inputs[t, 0] = series.Input[t];
            _targets[t, 0] = series.Target[t];
        }
    }

    /// <summary>Runs the search.</summary>
    /// <returns>The best score.</returns>
    [Benchmark]
    public double Search()
    {
        var options = new ReservoirSearchOptions
        {
            Seed = 1,
            Network = new EchoStateNetworkOptions
            {
                Reservoir = new ReservoirOptions { UnitCount = 200, Seed = 3 },
                Readout = new RidgeReadoutOptions { L2Regularization = 1e-6 },
                WashoutSteps = 100,
            },
            MaxEvaluations = 24,
            LeakRateFamily = LeakRateSearchFamily.Constant,
        };
        if (OnlyLambda)
        {
            options = options with
            {
                TimeConstant = new SearchRange(3, 3),
                SpectralRadius = new SearchRange(0.9, 0.9),
                InputScaling = new SearchRange(0.5, 0.5),
            };
        }

        return ReservoirSearch.Run(options, _inputs, _targets).BestScore;
    }
}
