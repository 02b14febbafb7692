using System.Collections.Concurrent;
using Reservoir.Datasets;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Distributed.Tests;

/// <summary>Mackey–Glass shards served to the in-process silos by sequence id, with hooks that slow or break an opening.</summary>
internal sealed class TestShards : IShardSource
{
    /// <summary>The source every silo of the test cluster uses (the silos run in this process).</summary>
    public static readonly TestShards Source = new();

    private readonly ConcurrentDictionary<int, (double[,] Inputs, double[,] Targets)> _sequences = new();

    /// <summary>Called with the sequence id before every opening (not before a length is read); may sleep or throw.</summary>
    public Action<int>? BeforeOpen { get; set; }

    public (double[,] Inputs, double[,] Targets) Open(int sequenceId)
    {
        BeforeOpen?.Invoke(sequenceId);
        return _sequences.TryGetValue(sequenceId, out var sequence)
            ? sequence
            : throw new KeyNotFoundException($"No test sequence {sequenceId}.");
    }

    public long GetLength(int sequenceId) => _sequences[sequenceId].Inputs.GetLength(0);

    /// <summary>Registers <paramref name="count"/> consecutive Mackey–Glass shards of <paramref name="length"/> steps under ids firstId, firstId + 1, …</summary>
    public static (ShardReference[] References, double[][,] Inputs, double[][,] Targets) Create(int firstId, int count, int length, int seed)
    {
        var series = MackeyGlass.Generate(count * length + 1, seed);
        var references = new ShardReference[count];
        var inputs = new double[count][,];
        var targets = new double[count][,];
        for (var s = 0; s < count; s++)
        {
            inputs[s] = new double[length, 1];
            targets[s] = new double[length, 1];
            for (var t = 0; t < length; t++)
            {
                inputs[s][t, 0] = series[s * length + t];
                targets[s][t, 0] = series[s * length + t + 1];
            }

            Source._sequences[firstId + s] = (inputs[s], targets[s]);
            references[s] = ShardReference.FromSource(firstId + s);
        }

        return (references, inputs, targets);
    }

    /// <summary>A small network whose λ is chosen by time-blocked 3-fold cross-validation.</summary>
    public static EchoStateNetworkOptions Network(int units = 40) => new()
    {
        Reservoir = new ReservoirOptions { UnitCount = units, SpectralRadius = 1.1, LeakRates = 0.3, Seed = 11 },
        RegularizationSearch = new RidgeCvOptions { L2Grid = [1e-8, 1e-5, 1e-2], Method = RidgeCvMethod.TimeBlockedKFold },
        CrossValidationFolds = 3,
        WashoutSteps = 50,
    };
}

/// <summary>Reports synchronously, on the reporting thread (Progress&lt;T&gt; would post to the thread pool).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
