using System.Collections.Immutable;
using Reservoir.Readouts;

namespace Reservoir.Pipelines;

/// <summary>What one shard of a sharded fit contributes: its folds' Gram statistics, its row and saturation counts, and where it ended.</summary>
/// <remarks>
/// Size O(k·D²) for k folds of D features, whatever the shard's length: states are never kept. The end of the shard (last
/// input and target rows, final reservoir state in the binary form of <see cref="Reservoir.Persistence.ReservoirSections.WriteComposedState"/>)
/// matters only for the last shard, whose end the fitted network continues from. The accumulators in <see cref="Folds"/> are
/// owned by this object and must not be changed; it is otherwise immutable.
/// </remarks>
public sealed class ShardStatistics
{
    /// <summary>Initializes a new instance of the <see cref="ShardStatistics"/> class from its parts (as received from another process).</summary>
    /// <param name="shardIndex">The shard, ≥ 0.</param>
    /// <param name="folds">One accumulator per fold, fold i at index i; taken, not copied.</param>
    /// <param name="rowCount">The shard's kept rows, ≥ 0.</param>
    /// <param name="stateValueCount">The state values in those rows (rows × N), ≥ 0.</param>
    /// <param name="saturatedCount">How many had |x| ≥ <see cref="EchoStateNetwork.SaturationThreshold"/>, in [0, <paramref name="stateValueCount"/>].</param>
    /// <param name="maxAbsState">The largest |x| in those rows, ≥ 0.</param>
    /// <param name="lastInput">The shard's last input row; copied.</param>
    /// <param name="lastTarget">The shard's last target row; copied.</param>
    /// <param name="finalState">The reservoir state after the shard, as written by <see cref="Reservoir.Persistence.ReservoirSections.WriteComposedState"/>; copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="folds"/> or one of them is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index or count is negative, or <paramref name="saturatedCount"/> is above <paramref name="stateValueCount"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="folds"/> is empty or its accumulators differ in shape.</exception>
    public ShardStatistics(int shardIndex, IReadOnlyList<GramAccumulator> folds, long rowCount, long stateValueCount, long saturatedCount,
        double maxAbsState, ReadOnlySpan<double> lastInput, ReadOnlySpan<double> lastTarget, ReadOnlySpan<byte> finalState)
    {
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentOutOfRangeException.ThrowIfNegative(shardIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentOutOfRangeException.ThrowIfNegative(stateValueCount);
        ArgumentOutOfRangeException.ThrowIfNegative(saturatedCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(saturatedCount, stateValueCount);
        if (!(maxAbsState >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxAbsState), maxAbsState, $"maxAbsState must be >= 0; was {Guard.Format(maxAbsState)}.");
        }

        if (folds.Count == 0)
        {
            throw new ArgumentException("folds must hold at least one accumulator; was empty.", nameof(folds));
        }

        for (var i = 0; i < folds.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(folds[i], nameof(folds));
            if (folds[i].FeatureCount != folds[0].FeatureCount || folds[i].TargetCount != folds[0].TargetCount)
            {
                throw new ArgumentException(
                    $"folds[{i}] has {folds[i].FeatureCount} features and {folds[i].TargetCount} targets but folds[0] has {folds[0].FeatureCount} and {folds[0].TargetCount}.",
                    nameof(folds));
            }
        }

        ShardIndex = shardIndex;
        Folds = [.. folds];
        RowCount = rowCount;
        StateValueCount = stateValueCount;
        SaturatedCount = saturatedCount;
        MaxAbsState = maxAbsState;
        LastInput = [.. lastInput];
        LastTarget = [.. lastTarget];
        FinalState = [.. finalState];
    }

    /// <summary>The shard.</summary>
    public int ShardIndex { get; }

    /// <summary>The Gram statistics of the shard's rows, one accumulator per fold of <see cref="ShardPlan.Folds"/>.</summary>
    public ImmutableArray<GramAccumulator> Folds { get; }

    /// <summary>The shard's kept rows (steps after the washout).</summary>
    public long RowCount { get; }

    /// <summary>The state values in the kept rows (rows × N).</summary>
    public long StateValueCount { get; }

    /// <summary>How many of them had |x| ≥ <see cref="EchoStateNetwork.SaturationThreshold"/>.</summary>
    public long SaturatedCount { get; }

    /// <summary>The largest |x| in the kept rows.</summary>
    public double MaxAbsState { get; }

    /// <summary>The shard's last input row.</summary>
    public ImmutableArray<double> LastInput { get; }

    /// <summary>The shard's last target row.</summary>
    public ImmutableArray<double> LastTarget { get; }

    /// <summary>The reservoir state after the shard, in the form of <see cref="Reservoir.Persistence.ReservoirSections.WriteComposedState"/>.</summary>
    public ImmutableArray<byte> FinalState { get; }
}
