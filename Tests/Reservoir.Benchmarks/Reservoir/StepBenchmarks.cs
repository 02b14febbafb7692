using System.Diagnostics;
using BenchmarkDotNet.Attributes;

namespace Reservoir.Benchmarks;

/// <summary>Reservoir steps on one sequence, recurrent connectivity 0.1 (the setting of the published ReservoirPy figures).</summary>
[MemoryDiagnoser]
public class StepBenchmarks
{
    /// <summary>Steps per benchmark invocation.</summary>
    public const int StepsPerInvocation = 1000;

    private EchoStateReservoir _reservoir = null!;
    private ReservoirState _state = null!;
    private double[] _inputs = null!;

    /// <summary>The number of units N.</summary>
    [Params(100, 500, 1000, 2000)]
    public int UnitCount { get; set; }

    /// <summary>Builds a seeded reservoir and input.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _reservoir = StepWorkload.CreateReservoir(UnitCount);
        _state = _reservoir.CreateState();
        _inputs = StepWorkload.CreateInputs(StepsPerInvocation);
    }

    /// <summary>One thousand steps of the leaky tanh reservoir.</summary>
    /// <returns>A state value, so the work is not optimised away.</returns>
    [Benchmark(OperationsPerInvoke = StepsPerInvocation)]
    public double Step()
    {
        var input = new double[1];
        for (var t = 0; t < _inputs.Length; t++)
        {
            input[0] = _inputs[t];
            _reservoir.Step(_state, input);
        }

        return _state.Values[0];
    }
}

/// <summary>The step workload shared by the BenchmarkDotNet class and the quick stopwatch run.</summary>
public static class StepWorkload
{
    /// <summary>A reservoir as in the main example (leak rate 0.3, ρ 1.25, recurrent connectivity 0.1), seeded.</summary>
    /// <param name="unitCount">N.</param>
    /// <returns>The reservoir.</returns>
    public static EchoStateReservoir CreateReservoir(int unitCount) => new(new ReservoirOptions
    {
        UnitCount = unitCount,
        Seed = 42,
        LeakRates = 0.3,
        SpectralRadius = 1.25,
        RecurrentConnectivity = 0.1,
        InputConnectivity = 0.2,
    });

    /// <summary>Single-sequence steps per second: the best of five timed runs after a warm-up.</summary>
    /// <param name="unitCount">N.</param>
    /// <returns>Steps per second.</returns>
    public static double MeasureSteps(int unitCount)
    {
        var reservoir = CreateReservoir(unitCount);
        var state = reservoir.CreateState();
        var steps = Math.Max(2000, 4_000_000 / unitCount);
        var inputs = CreateInputs(steps);
        var input = new double[1];
        var best = 0.0;
        for (var repeat = 0; repeat < 6; repeat++)
        {
            var stopwatch = Stopwatch.StartNew();
            for (var t = 0; t < steps; t++)
            {
                input[0] = inputs[t];
                reservoir.Step(state, input);
            }

            stopwatch.Stop();
            if (repeat > 0)
            {
                best = Math.Max(best, steps / stopwatch.Elapsed.TotalSeconds);
            }
        }

        return best;
    }

    /// <summary>A seeded input sequence in [−1, 1].</summary>
    /// <param name="steps">T.</param>
    /// <returns>The inputs.</returns>
    public static double[] CreateInputs(int steps)
    {
        var random = new Random(7);
        return Enumerable.Range(0, steps).Select(_ => 2 * random.NextDouble() - 1).ToArray();
    }
}
