using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Reservoir.Numerics;

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
    private readonly double[] _input = new double[1];

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
        for (var t = 0; t < _inputs.Length; t++)
        {
            _input[0] = _inputs[t];
            _reservoir.Step(_state, _input);
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

    /// <summary>Seeded input sequences in [−1, 1], T×1 each.</summary>
    /// <param name="count">The number of sequences.</param>
    /// <param name="steps">T.</param>
    /// <returns>The sequences.</returns>
    public static IReadOnlyList<double[,]> CreateSequences(int count, int steps)
    {
        var random = new Random(7);
        var sequences = new double[count][,];
        for (var s = 0; s < count; s++)
        {
            sequences[s] = new double[steps, 1];
            for (var t = 0; t < steps; t++)
            {
                sequences[s][t, 0] = 2 * random.NextDouble() - 1;
            }
        }

        return sequences;
    }

    /// <summary>
    /// The total steps per second of <paramref name="batch"/> sequences run together as
    /// <see cref="EchoStateReservoir.Run(IReadOnlyList{double[,]}, int, int)"/> does (blocks of sequences, both cores
    /// across blocks), without copying the states out: the best of five timed runs after a warm-up.
    /// </summary>
    /// <param name="unitCount">N.</param>
    /// <param name="batch">The number of sequences, ≥ 1.</param>
    /// <param name="threads">The most threads (maxDegreeOfParallelism): −1 (default) lets the runtime choose, 1 keeps the run on one core.</param>
    /// <returns>Sequence steps per second, summed over the sequences.</returns>
    public static double MeasureBatched(int unitCount, int batch, int threads = -1)
    {
        var reservoir = CreateReservoir(unitCount);
        var steps = Math.Max(1000, 20_000_000 / (unitCount * batch));
        var sequences = CreateSequences(batch, steps);
        var best = 0.0;
        for (var repeat = 0; repeat < 6; repeat++)
        {
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            reservoir.RunMany(sequences, 0, null, threads, null);
            stopwatch.Stop();
            if (repeat > 0)
            {
                best = Math.Max(best, (double)batch * steps / stopwatch.Elapsed.TotalSeconds);
            }
        }

        return best;
    }

    /// <summary>Steps one sequence for a wall-clock duration (for sampling profilers) and returns the rate.</summary>
    /// <param name="unitCount">N.</param>
    /// <param name="duration">How long to run.</param>
    /// <returns>Steps per second.</returns>
    public static double RunFor(int unitCount, TimeSpan duration)
    {
        var reservoir = CreateReservoir(unitCount);
        var state = reservoir.CreateState();
        var inputs = CreateInputs(1000);
        var input = new double[1];
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        long steps = 0;
        while (stopwatch.Elapsed < duration)
        {
            for (var t = 0; t < inputs.Length; t++)
            {
                input[0] = inputs[t];
                reservoir.Step(state, input);
            }

            steps += inputs.Length;
        }

        return steps / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>The steps per second of one sequence stepped with <see cref="EchoStateReservoir.Step"/>: the best of five timed runs after a warm-up.</summary>
    /// <param name="unitCount">N.</param>
    /// <param name="oneThread">True keeps every step on one core; false (default) lets large steps use two.</param>
    /// <returns>Steps per second.</returns>
    public static double MeasureSingle(int unitCount, bool oneThread = false)
    {
        var reservoir = CreateReservoir(unitCount);
        var state = reservoir.CreateState();
        if (oneThread)
        {
            state.Threads = StepThreads.One;
        }

        var steps = Math.Max(2000, 4_000_000 / unitCount);
        var inputs = CreateInputs(steps);
        var input = new double[1];
        var best = 0.0;
        for (var repeat = 0; repeat < 6; repeat++)
        {
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
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
