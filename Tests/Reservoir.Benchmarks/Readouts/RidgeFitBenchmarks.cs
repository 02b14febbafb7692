using BenchmarkDotNet.Attributes;
using MathNet.Numerics;
using Reservoir.Readouts;

namespace Reservoir.Benchmarks.Readouts;

/// <summary>Cost of a ridge fit: the solve alone (Cholesky, ≈ D³/3 flops) and accumulation plus solve (≈ T·D² + D³/3 flops).</summary>
[MemoryDiagnoser]
public class RidgeFitBenchmarks
{
    private const int Rows = 10_000;
    private const int Targets = 1;

    private double[] _features = [];
    private double[] _targets = [];
    private GramAccumulator _gram = null!;
    private RidgeReadout _readout = null!;

    /// <summary>Gets or sets the feature count D (reservoir units).</summary>
    [Params(100, 500, 2000)]
    public int UnitCount { get; set; }

    /// <summary>Builds seeded data and accumulates it once, for the solve-only case.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Console.WriteLine(Control.Describe());
        Console.WriteLine(LinearAlgebraBackend.Description);
        _features = GramWorkload.CreateFeatures(Rows, UnitCount);
        _targets = new double[Rows * Targets];
        for (var r = 0; r < Rows; r++)
        {
            _targets[r] = _features[r * UnitCount] - 0.5 * _features[r * UnitCount + UnitCount - 1];
        }

        _gram = new GramAccumulator(UnitCount, Targets);
        _gram.Accumulate(_features, _targets, Rows);
        _readout = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 1e-6 });
    }

    /// <summary>Solves for the readout weights from accumulated statistics.</summary>
    /// <returns>The fitted readout.</returns>
    [Benchmark]
    public RidgeSolution Fit() => _readout.Fit(_gram);

    /// <summary>Accumulates XᵀX and XᵀY over T = 10⁴ rows with the current backend, then solves.</summary>
    /// <returns>The fitted readout.</returns>
    [Benchmark]
    public RidgeSolution AccumulateAndFit()
    {
        var gram = new GramAccumulator(UnitCount, Targets);
        gram.Accumulate(_features, _targets, Rows);
        return _readout.Fit(gram);
    }
}
