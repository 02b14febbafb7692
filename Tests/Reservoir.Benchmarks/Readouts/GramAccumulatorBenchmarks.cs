using BenchmarkDotNet.Attributes;
using MathNet.Numerics.Random;
using Reservoir.Readouts;

namespace Reservoir.Benchmarks.Readouts;

/// <summary>Cost of streaming one block of reservoir states into a <see cref="GramAccumulator"/> (≈ D²·rows flops).</summary>
[MemoryDiagnoser]
public class GramAccumulatorBenchmarks
{
    private const int BlockRows = 256;
    private const int Seed = 42;

    private double[] _features = [];
    private double[] _targets = [];
    private GramAccumulator _gram = null!;

    /// <summary>Gets or sets the feature count D (reservoir units).</summary>
    [Params(100, 500, 2000)]
    public int UnitCount { get; set; }

    /// <summary>Builds a seeded block and an accumulator whose scratch is already allocated.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Xoshiro256StarStar(Seed);
        _features = new double[BlockRows * UnitCount];
        _targets = new double[BlockRows];
        for (var i = 0; i < _features.Length; i++)
        {
            _features[i] = 2 * random.NextDouble() - 1;
        }

        for (var i = 0; i < _targets.Length; i++)
        {
            _targets[i] = random.NextDouble();
        }

        _gram = new GramAccumulator(UnitCount, 1);
        _gram.Accumulate(_features, _targets, BlockRows);
    }

    /// <summary>Accumulates one 256-row block.</summary>
    [Benchmark]
    public long Accumulate()
    {
        _gram.Accumulate(_features, _targets, BlockRows);
        return _gram.Count;
    }
}
