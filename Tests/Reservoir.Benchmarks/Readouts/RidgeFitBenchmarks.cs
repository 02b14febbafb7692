using BenchmarkDotNet.Attributes;
using MathNet.Numerics;
using MathNet.Numerics.Random;
using Reservoir.Readouts;

namespace Reservoir.Benchmarks.Readouts;

/// <summary>Cost of the closed-form ridge solve from accumulated statistics (Cholesky, ≈ D³/3 flops).</summary>
[MemoryDiagnoser]
public class RidgeFitBenchmarks
{
    private const int Rows = 4096;
    private const int BlockRows = 256;
    private const int Seed = 42;

    private GramAccumulator _gram = null!;
    private RidgeReadout _readout = null!;

    /// <summary>Gets or sets the feature count D (reservoir units).</summary>
    [Params(100, 500, 2000)]
    public int UnitCount { get; set; }

    /// <summary>Accumulates seeded data once; the benchmark measures only the solve.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Console.WriteLine(Control.Describe());
        var random = new Xoshiro256StarStar(Seed);
        var features = new double[BlockRows * UnitCount];
        var targets = new double[BlockRows];
        _gram = new GramAccumulator(UnitCount, 1);
        for (var start = 0; start < Rows; start += BlockRows)
        {
            for (var i = 0; i < features.Length; i++)
            {
                features[i] = 2 * random.NextDouble() - 1;
            }

            for (var i = 0; i < targets.Length; i++)
            {
                targets[i] = random.NextDouble();
            }

            _gram.Accumulate(features, targets, BlockRows);
        }

        _readout = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 1e-6 });
    }

    /// <summary>Solves for the readout weights.</summary>
    [Benchmark]
    public RidgeSolution Fit() => _readout.Fit(_gram);
}
