namespace Reservoir.Pipelines;

/// <summary>Fits an echo state network shard by shard: each shard's statistics on its own, then one reduction in shard order and one solve.</summary>
/// <remarks>
/// <para>
/// This is the code path that a fit spread over many processes or machines shares with one machine: workers call
/// <see cref="AccumulateShard"/> on the shards they hold, one coordinator calls <see cref="Solve"/> on the results in
/// shard order, and <see cref="FitShards"/> does both in one process. Because every shard is accumulated by the same code
/// into statistics of its own and the statistics are added in the same order, the readout is bit-identical wherever the
/// shards ran, provided every process uses the same Gram backend and instruction set (as on one machine; see
/// <see cref="Readouts.GramAccumulator"/>). The reduction is the one <see cref="EchoStateNetwork.Fit(EchoStateNetworkOptions, IReadOnlyList{double[,]}, IReadOnlyList{double[,]}, int)"/>
/// performs over its sequences (each on its own statistics, merged in sequence order).
/// </para>
/// <para>
/// Cost: a shard of T_s steps costs O(T_s · nnz(W) + T_s · D²) and returns O(k · D²) numbers for k folds; the reduction costs
/// O(D²) per shard and the solve O(D³). The fitted network continues from the state after the last shard. Thread-safe.
/// </para>
/// </remarks>
public static class ShardedFit
{
    /// <summary>Runs one shard through the plan's reservoir into statistics of its own.</summary>
    /// <param name="plan">The fit's plan (the same on every worker).</param>
    /// <param name="shardIndex">The shard, in [0, <see cref="ShardPlan.ShardCount"/>); it selects the noise stream and the shard's rows in the folds.</param>
    /// <param name="inputs">The shard's inputs, T_s × D with T_s = <see cref="ShardPlan.GetLength"/>; finite; not changed.</param>
    /// <param name="targets">The shard's targets, T_s × K; finite; not changed.</param>
    /// <returns>The shard's statistics.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shardIndex"/> is out of range.</exception>
    /// <exception cref="ArgumentException">The data do not fit the plan (length, columns) or hold a value that is not finite.</exception>
    /// <exception cref="InvalidOperationException">The reservoir state became non-finite.</exception>
    public static ShardStatistics AccumulateShard(ShardPlan plan, int shardIndex, double[,] inputs, double[,] targets)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        var length = plan.GetLength(shardIndex);
        if (inputs.GetLength(0) != length)
        {
            throw new ArgumentException($"inputs has {inputs.GetLength(0)} rows but the plan gives shard {shardIndex} {length} steps.", nameof(inputs));
        }

        return EchoStateNetworkTrainer.AccumulateShard(plan, shardIndex, inputs, targets);
    }

    /// <summary>Adds the shards' statistics in shard order and solves for the readout once.</summary>
    /// <param name="plan">The fit's plan.</param>
    /// <param name="shards">One result per shard, in shard order (element i from shard i), each exactly once.</param>
    /// <returns>The fitted network, continuing from the state after the last shard.</returns>
    /// <exception cref="ArgumentNullException">An argument or element is null.</exception>
    /// <exception cref="ArgumentException">A shard is missing, repeated or out of order, the shards' shapes differ from the plan's or from each other, the ridge system is singular (set L2Regularization &gt; 0), or linear units diverged.</exception>
    public static EchoStateNetwork Solve(ShardPlan plan, IReadOnlyList<ShardStatistics> shards)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count != plan.ShardCount)
        {
            throw new ArgumentException($"shards has {shards.Count} results but the plan has {plan.ShardCount} shards; give one per shard.", nameof(shards));
        }

        var featureCount = -1;
        var targetCount = -1;
        for (var i = 0; i < shards.Count; i++)
        {
            var shard = shards[i] ?? throw new ArgumentNullException(nameof(shards), $"shards[{i}] is null.");
            if (shard.ShardIndex != i)
            {
                throw new ArgumentException(
                    $"shards[{i}] is the result of shard {shard.ShardIndex}; give the results in shard order, each exactly once.", nameof(shards));
            }

            if (shard.Folds.Length != plan.Folds.FoldCount)
            {
                throw new ArgumentException($"shards[{i}] has {shard.Folds.Length} folds but the plan has {plan.Folds.FoldCount}.", nameof(shards));
            }

            featureCount = featureCount < 0 ? shard.Folds[0].FeatureCount : featureCount;
            targetCount = targetCount < 0 ? shard.Folds[0].TargetCount : targetCount;
            if (shard.Folds[0].FeatureCount != featureCount || shard.Folds[0].TargetCount != targetCount)
            {
                throw new ArgumentException(
                    $"shards[{i}] has {shard.Folds[0].FeatureCount} features and {shard.Folds[0].TargetCount} targets but shards[0] has {featureCount} and {targetCount}.",
                    nameof(shards));
            }
        }

        var reducer = new ShardReducer(plan);
        foreach (var shard in shards)
        {
            reducer.Add(shard);
        }

        return reducer.Solve();
    }

    /// <summary>The one-machine sharded fit: every shard accumulated on its own, in shard order, then <see cref="Solve"/>.</summary>
    /// <param name="options">The network; no standardization (see <see cref="ShardPlan"/>).</param>
    /// <param name="inputs">The shards' inputs, each T_s × D, T_s greater than the washout; not changed.</param>
    /// <param name="targets">The shards' targets, each T_s × K.</param>
    /// <returns>The fitted network: the reference a distributed fit over the same shards equals bit for bit.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range or asks for standardization, or the data do not fit (counts, lengths, columns, values).</exception>
    /// <exception cref="InvalidOperationException">The reservoir state became non-finite.</exception>
    public static EchoStateNetwork FitShards(EchoStateNetworkOptions options, IReadOnlyList<double[,]> inputs, IReadOnlyList<double[,]> targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Count != inputs.Count)
        {
            throw new ArgumentException(
                $"targets has {targets.Count} sequences but inputs has {inputs.Count}; give one target sequence per input sequence.", nameof(targets));
        }

        var lengths = new long[inputs.Count];
        for (var i = 0; i < lengths.Length; i++)
        {
            lengths[i] = (inputs[i] ?? throw new ArgumentNullException(nameof(inputs), $"inputs[{i}] is null.")).GetLength(0);
        }

        var plan = new ShardPlan(options, lengths);
        var shards = new ShardStatistics[lengths.Length];
        for (var i = 0; i < shards.Length; i++)
        {
            shards[i] = AccumulateShard(plan, i, inputs[i], targets[i]);
        }

        return Solve(plan, shards);
    }
}
