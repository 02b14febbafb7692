using System.Buffers;
using Reservoir.Persistence;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Distributed;

/// <summary>Network options as they travel to the workers: the reservoir options in their model-file form, the rest field by field.</summary>
[GenerateSerializer]
[Immutable]
[Alias("Reservoir.Distributed.NetworkOptionsPayload")]
internal sealed class NetworkOptionsPayload
{
    [Id(0)] public byte[] Reservoir { get; init; } = [];
    [Id(1)] public double L2Regularization { get; init; }
    [Id(2)] public bool FitIntercept { get; init; }
    [Id(3)] public bool RegularizeIntercept { get; init; }
    [Id(4)] public bool HasSearch { get; init; }
    [Id(5)] public double[]? L2Grid { get; init; }
    [Id(6)] public int SearchMethod { get; init; }
    [Id(7)] public bool SearchFitIntercept { get; init; }
    [Id(8)] public int CrossValidationFolds { get; init; }
    [Id(9)] public int WashoutSteps { get; init; }
    [Id(10)] public bool ReadoutIncludesInput { get; init; }
    [Id(11)] public bool ReadoutIncludesState { get; init; }
    [Id(12)] public bool StandardizeInputs { get; init; }
    [Id(13)] public bool StandardizeTargets { get; init; }

    internal static NetworkOptionsPayload From(EchoStateNetworkOptions options)
    {
        var writer = new ArrayBufferWriter<byte>();
        ReservoirSections.WriteOptions(writer, options.Reservoir
            ?? throw new ArgumentException("The workers build one reservoir from EchoStateNetworkOptions.Reservoir, which is not set (a composition is not distributed).", nameof(options)));
        var search = options.RegularizationSearch;
        return new NetworkOptionsPayload
        {
            Reservoir = writer.WrittenSpan.ToArray(),
            L2Regularization = options.Readout.L2Regularization,
            FitIntercept = options.Readout.FitIntercept,
            RegularizeIntercept = options.Readout.RegularizeIntercept,
            HasSearch = search is not null,
            L2Grid = search?.L2Grid is { } grid ? [.. grid] : null,
            SearchMethod = (int)(search?.Method ?? default),
            SearchFitIntercept = search?.FitIntercept ?? false,
            CrossValidationFolds = options.CrossValidationFolds,
            WashoutSteps = options.WashoutSteps,
            ReadoutIncludesInput = options.ReadoutIncludesInput,
            ReadoutIncludesState = options.ReadoutIncludesState,
            StandardizeInputs = options.StandardizeInputs,
            StandardizeTargets = options.StandardizeTargets,
        };
    }

    internal ReservoirOptions ReadReservoir() => ReservoirSections.ReadOptions(Reservoir, 0, out _);

    internal EchoStateNetworkOptions ToOptions() => new()
    {
        Reservoir = ReadReservoir(),
        Readout = new RidgeReadoutOptions
        {
            L2Regularization = L2Regularization,
            FitIntercept = FitIntercept,
            RegularizeIntercept = RegularizeIntercept,
        },
        RegularizationSearch = HasSearch
            ? new RidgeCvOptions
            {
                L2Grid = L2Grid is null ? null : [.. L2Grid],
                Method = (RidgeCvMethod)SearchMethod,
                FitIntercept = SearchFitIntercept,
            }
            : null,
        CrossValidationFolds = CrossValidationFolds,
        WashoutSteps = WashoutSteps,
        ReadoutIncludesInput = ReadoutIncludesInput,
        ReadoutIncludesState = ReadoutIncludesState,
        StandardizeInputs = StandardizeInputs,
        StandardizeTargets = StandardizeTargets,
    };
}

/// <summary>A fit job as a worker needs it: the options and every shard's length, from which it builds the same <see cref="ShardPlan"/> as the coordinator.</summary>
[GenerateSerializer]
[Immutable]
[Alias("Reservoir.Distributed.FitJobPayload")]
internal sealed class FitJobPayload
{
    [Id(0)] public string JobId { get; init; } = "";
    [Id(1)] public NetworkOptionsPayload Options { get; init; } = new();
    [Id(2)] public long[] ShardLengths { get; init; } = [];
}

/// <summary>A shard's statistics on the wire: each fold's accumulator as the flat array of <see cref="GramAccumulator.ExportStatistics"/>.</summary>
[GenerateSerializer]
[Immutable]
[Alias("Reservoir.Distributed.ShardResultPayload")]
internal sealed class ShardResultPayload
{
    [Id(0)] public int ShardIndex { get; init; }
    [Id(1)] public int FeatureCount { get; init; }
    [Id(2)] public int TargetCount { get; init; }
    [Id(3)] public double[][] Folds { get; init; } = [];
    [Id(4)] public long RowCount { get; init; }
    [Id(5)] public long StateValueCount { get; init; }
    [Id(6)] public long SaturatedCount { get; init; }
    [Id(7)] public double MaxAbsState { get; init; }
    [Id(8)] public double[] LastInput { get; init; } = [];
    [Id(9)] public double[] LastTarget { get; init; } = [];
    [Id(10)] public byte[] FinalState { get; init; } = [];
    [Id(11)] public string Silo { get; init; } = "";
    [Id(12)] public double Seconds { get; init; }

    internal static ShardResultPayload From(ShardStatistics statistics, string silo, double seconds) => new()
    {
        ShardIndex = statistics.ShardIndex,
        FeatureCount = statistics.Folds[0].FeatureCount,
        TargetCount = statistics.Folds[0].TargetCount,
        Folds = [.. statistics.Folds.Select(f => f.ExportStatistics())],
        RowCount = statistics.RowCount,
        StateValueCount = statistics.StateValueCount,
        SaturatedCount = statistics.SaturatedCount,
        MaxAbsState = statistics.MaxAbsState,
        LastInput = [.. statistics.LastInput],
        LastTarget = [.. statistics.LastTarget],
        FinalState = [.. statistics.FinalState],
        Silo = silo,
        Seconds = seconds,
    };

    internal ShardStatistics ToStatistics() => new(ShardIndex,
        [.. Folds.Select(f => GramAccumulator.FromStatistics(FeatureCount, TargetCount, f))],
        RowCount, StateValueCount, SaturatedCount, MaxAbsState, LastInput, LastTarget, FinalState);
}

/// <summary>A reservoir search's options on the wire.</summary>
[GenerateSerializer]
[Immutable]
[Alias("Reservoir.Distributed.SearchOptionsPayload")]
internal sealed class SearchOptionsPayload
{
    [Id(0)] public int Seed { get; init; }
    [Id(1)] public NetworkOptionsPayload Network { get; init; } = new();
    [Id(2)] public int MaxEvaluations { get; init; }
    [Id(3)] public int? PopulationSize { get; init; }
    [Id(4)] public double InitialStepSize { get; init; }
    [Id(5)] public int MaxDegreeOfParallelism { get; init; }
    [Id(6)] public int LeakRateFamily { get; init; }
    [Id(7)] public double[] Ranges { get; init; } = [];
    [Id(8)] public int ValidationFolds { get; init; }

    internal static SearchOptionsPayload From(ReservoirSearchOptions options) => new()
    {
        Seed = options.Seed,
        Network = NetworkOptionsPayload.From(options.Network),
        MaxEvaluations = options.MaxEvaluations,
        PopulationSize = options.PopulationSize,
        InitialStepSize = options.InitialStepSize,
        MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
        LeakRateFamily = (int)options.LeakRateFamily,
        Ranges =
        [
            options.TimeConstant.Min, options.TimeConstant.Max, options.SlowFraction.Min, options.SlowFraction.Max,
            options.SpectralRadius.Min, options.SpectralRadius.Max, options.InputScaling.Min, options.InputScaling.Max,
            options.L2Regularization.Min, options.L2Regularization.Max,
        ],
        ValidationFolds = options.ValidationFolds,
    };

    internal ReservoirSearchOptions ToOptions() => new()
    {
        Seed = Seed,
        Network = Network.ToOptions(),
        MaxEvaluations = MaxEvaluations,
        PopulationSize = PopulationSize,
        InitialStepSize = InitialStepSize,
        MaxDegreeOfParallelism = MaxDegreeOfParallelism,
        LeakRateFamily = (LeakRateSearchFamily)LeakRateFamily,
        TimeConstant = new SearchRange(Ranges[0], Ranges[1]),
        SlowFraction = new SearchRange(Ranges[2], Ranges[3]),
        SpectralRadius = new SearchRange(Ranges[4], Ranges[5]),
        InputScaling = new SearchRange(Ranges[6], Ranges[7]),
        L2Regularization = new SearchRange(Ranges[8], Ranges[9]),
        ValidationFolds = ValidationFolds,
    };
}

/// <summary>A search candidate on the wire.</summary>
[GenerateSerializer]
[Immutable]
[Alias("Reservoir.Distributed.CandidatePayload")]
internal sealed class CandidatePayload
{
    [Id(0)] public int Family { get; init; }
    [Id(1)] public double[] Values { get; init; } = [];

    internal static CandidatePayload From(ReservoirCandidate candidate) => new()
    {
        Family = (int)candidate.Family,
        Values =
        [
            candidate.FastTimeConstant, candidate.SlowTimeConstant, candidate.SlowFraction, candidate.SpectralRadius,
            candidate.InputScaling, candidate.L2Regularization,
        ],
    };

    internal ReservoirCandidate ToCandidate() =>
        new((LeakRateSearchFamily)Family, Values[0], Values[1], Values[2], Values[3], Values[4], Values[5]);
}
