using BenchmarkDotNet.Attributes;

namespace Reservoir.Benchmarks;

/// <summary>Many sequences stepped together as blocks (N = 500, 32 sequences), against the same sequences stepped one by one.</summary>
/// <remarks>One operation is one sequence step, so the two methods compare directly with <see cref="StepBenchmarks"/>.</remarks>
[MemoryDiagnoser]
public class BatchedStepBenchmarks
{
    /// <summary>Steps per sequence per invocation.</summary>
    public const int StepsPerSequence = 200;

    /// <summary>The number of sequences.</summary>
    public const int SequenceCount = 32;

    private EchoStateReservoir _reservoir = null!;
    private IReadOnlyList<double[,]> _sequences = null!;

    /// <summary>The number of units N.</summary>
    [Params(500)]
    public int UnitCount { get; set; }


    /// <summary>Builds a seeded reservoir and the input sequences.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _reservoir = StepWorkload.CreateReservoir(UnitCount);
        _sequences = StepWorkload.CreateSequences(SequenceCount, StepsPerSequence);
    }

    /// <summary>All sequences in blocks of up to 32, both cores across blocks; the states are not copied out.</summary>
    [Benchmark(OperationsPerInvoke = SequenceCount * StepsPerSequence)]
    public void StepBatched() => _reservoir.RunMany(_sequences, 0, null, -1, null);

    /// <summary>The same sequences one at a time on both cores (each sequence alone, W streamed once per sequence step).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = SequenceCount * StepsPerSequence)]
    public void StepOneByOne() => _reservoir.RunMany(_sequences, 0, null, -1, null, maxBatchSize: 1);
}
