using System.Buffers;
using Reservoir.Persistence;
using Reservoir.Readouts;

namespace Reservoir.Pipelines;

public sealed partial class EchoStateNetworkTrainer
{
    /// <summary>The folds a fit of <paramref name="rowCount"/> rows with <paramref name="options"/> uses (see <see cref="ShardPlan.Folds"/>).</summary>
    internal static TimeBlockedFolds PlanFolds(EchoStateNetworkOptions options, long rowCount)
    {
        var (_, search) = CreateSolvers(options);
        return new TimeBlockedFolds(FoldCount(options, search), rowCount);
    }

    /// <summary>Runs shard <paramref name="shardIndex"/> of <paramref name="plan"/> from a zero state with noise stream <paramref name="shardIndex"/>, as the fit over many sequences runs its sequence of that index, into statistics of its own.</summary>
    internal static ShardStatistics AccumulateShard(ShardPlan plan, int shardIndex, double[,] inputs, double[,] targets)
    {
        var reservoir = plan.Composition;
        CheckSequences([inputs], [targets], reservoir, plan.Options.WashoutSteps);
        var trainer = new EchoStateNetworkTrainer(reservoir, plan.Options, null, null, plan.RowCount);
        var accumulation = new TrainingAccumulation(trainer._layout.Width, targets.GetLength(1), trainer._folds);
        var state = reservoir.CreateState(shardIndex);
        trainer.Accumulate(state, inputs, targets, plan.Options.WashoutSteps, plan.GetFirstRow(shardIndex), accumulation);
        var writer = new ArrayBufferWriter<byte>();
        ReservoirSections.WriteComposedState(writer, state);
        return new ShardStatistics(shardIndex, accumulation.Folds, accumulation.RowCount, accumulation.StateValueCount,
            accumulation.SaturatedCount, accumulation.MaxAbsState, LastRow(inputs), LastRow(targets), writer.WrittenSpan);
    }

    /// <summary>The width of a feature row of this trainer's network (the layout every shard's statistics must have).</summary>
    internal int FeatureWidth => _layout.Width;

    /// <summary>A trainer that receives shards' statistics (<see cref="AddShard"/>) instead of data, for <see cref="ShardReducer"/>.</summary>
    internal static EchoStateNetworkTrainer ForShards(ShardPlan plan) => new(plan.Composition, plan.Options, null, null, plan.RowCount);

    /// <summary>Adds the next shard's statistics, as the fit over many sequences merges its next sequence (the shards come in shard order).</summary>
    internal void AddShard(ShardStatistics shard)
    {
        var total = _accumulation ??= new TrainingAccumulation(_layout.Width, shard.Folds[0].TargetCount, _folds);
        total.Add(TrainingAccumulation.FromParts(_folds, [.. shard.Folds], shard.RowCount, shard.StateValueCount, shard.SaturatedCount,
            shard.MaxAbsState));
    }

    /// <summary>Solves once on the shards added, continuing from the end of <paramref name="last"/>, the last shard; the trainer is not used again.</summary>
    internal EchoStateNetwork SolveShards(ShardPlan plan, ShardStatistics last)
    {
        _sequenceIndex = last.ShardIndex;
        _state = ReservoirSections.ReadComposedState(last.FinalState.AsMemory(), 0, plan.Composition, out _);
        _stepsInSequence = plan.GetLength(last.ShardIndex);
        _lastInput = [.. last.LastInput];
        _lastTarget = [.. last.LastTarget];
        return Complete(final: true);
    }
}
