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
        var reservoir = plan.Reservoir;
        CheckSequences([inputs], [targets], reservoir, plan.Options.WashoutSteps);
        var trainer = new EchoStateNetworkTrainer(reservoir, plan.Options, null, null, plan.RowCount);
        var accumulation = new TrainingAccumulation(trainer._layout.Width, targets.GetLength(1), trainer._folds);
        var state = reservoir.CreateState(shardIndex);
        trainer.Accumulate(state, inputs, targets, plan.Options.WashoutSteps, plan.GetFirstRow(shardIndex), accumulation);
        var writer = new ArrayBufferWriter<byte>();
        ReservoirSections.WriteState(writer, state);
        return new ShardStatistics(shardIndex, accumulation.Folds, accumulation.RowCount, accumulation.StateValueCount,
            accumulation.SaturatedCount, accumulation.MaxAbsState, LastRow(inputs), LastRow(targets), writer.WrittenSpan);
    }

    /// <summary>Adds the shards' statistics in shard order, as the fit over many sequences merges its sequences, and solves once.</summary>
    internal static EchoStateNetwork SolveShards(ShardPlan plan, IReadOnlyList<ShardStatistics> shards)
    {
        var trainer = new EchoStateNetworkTrainer(plan.Reservoir, plan.Options, null, null, plan.RowCount);
        var k = shards[0].Folds[0].TargetCount;
        var total = trainer._accumulation = new TrainingAccumulation(trainer._layout.Width, k, trainer._folds);
        foreach (var shard in shards)
        {
            total.Add(TrainingAccumulation.FromParts(trainer._folds, [.. shard.Folds], shard.RowCount, shard.StateValueCount,
                shard.SaturatedCount, shard.MaxAbsState));
        }

        var last = shards[^1];
        trainer._sequenceIndex = last.ShardIndex;
        trainer._state = ReservoirSections.ReadState(last.FinalState.AsMemory(), 0, plan.Reservoir, out _);
        trainer._stepsInSequence = plan.GetLength(last.ShardIndex);
        trainer._lastInput = [.. last.LastInput];
        trainer._lastTarget = [.. last.LastTarget];
        return trainer.Complete(final: true);
    }
}
