namespace Reservoir.Pipelines;

/// <summary>Reduces shards' statistics as they arrive, in shard order, holding only the ones that arrive ahead of their turn, then solves once.</summary>
/// <remarks>
/// <para>
/// Shard i is merged as soon as shards 0 … i − 1 are, so the sum is formed in shard order whatever the order of arrival, and
/// the result is <see cref="ShardedFit.Solve"/>'s (bit for bit). Memory: one set of fold accumulators for the running sum,
/// plus the shards waiting for an earlier one; a merged shard's statistics are released.
/// </para>
/// <para>Not thread-safe: call it from one thread at a time. <see cref="Solve"/> may be called once.</para>
/// </remarks>
public sealed class ShardReducer
{
    private readonly ShardPlan _plan;
    private readonly EchoStateNetworkTrainer _trainer;
    private readonly SortedDictionary<int, ShardStatistics> _waiting = [];
    private ShardStatistics? _last;
    private int _featureCount = -1;
    private int _targetCount = -1;
    private bool _solved;

    /// <summary>Initializes a new instance of the <see cref="ShardReducer"/> class for a plan.</summary>
    /// <param name="plan">The fit's plan.</param>
    /// <exception cref="ArgumentNullException"><paramref name="plan"/> is null.</exception>
    public ShardReducer(ShardPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        _plan = plan;
        _trainer = EchoStateNetworkTrainer.ForShards(plan);
    }

    /// <summary>The number of shards merged so far (shards 0 … this − 1).</summary>
    public int MergedShards { get; private set; }

    /// <summary>The number of shards received ahead of their turn and not merged yet.</summary>
    public int WaitingShards => _waiting.Count;

    /// <summary>Takes a shard's statistics, and merges every shard whose turn has come.</summary>
    /// <param name="shard">The statistics of a shard not added before.</param>
    /// <exception cref="ArgumentNullException"><paramref name="shard"/> is null.</exception>
    /// <exception cref="ArgumentException">The shard is out of the plan's range or was added before, or its folds or shape differ from the plan's or the other shards'.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Solve"/> was called already.</exception>
    public void Add(ShardStatistics shard)
    {
        ArgumentNullException.ThrowIfNull(shard);
        if (_solved)
        {
            throw new InvalidOperationException("This ShardReducer has solved already; create a new one for another fit.");
        }

        var index = shard.ShardIndex;
        if (index >= _plan.ShardCount)
        {
            throw new ArgumentException($"shard is shard {index} but the plan has {_plan.ShardCount} shards.", nameof(shard));
        }

        if (index < MergedShards || _waiting.ContainsKey(index))
        {
            throw new ArgumentException($"Shard {index} was added already; each shard's statistics count once.", nameof(shard));
        }

        if (shard.Folds.Length != _plan.Folds.FoldCount)
        {
            throw new ArgumentException($"Shard {index} has {shard.Folds.Length} folds but the plan has {_plan.Folds.FoldCount}.", nameof(shard));
        }

        var folds = shard.Folds[0];
        if (folds.FeatureCount != _trainer.FeatureWidth)
        {
            throw new ArgumentException(
                $"Shard {index} has {folds.FeatureCount} features but the plan's network lays out {_trainer.FeatureWidth}.", nameof(shard));
        }

        if (_featureCount < 0)
        {
            (_featureCount, _targetCount) = (folds.FeatureCount, folds.TargetCount);
        }
        else if (folds.FeatureCount != _featureCount || folds.TargetCount != _targetCount)
        {
            throw new ArgumentException(
                $"Shard {index} has {folds.FeatureCount} features and {folds.TargetCount} targets but the shards before it have {_featureCount} and {_targetCount}.",
                nameof(shard));
        }

        CheckRows(shard);

        _waiting.Add(index, shard);
        while (_waiting.Remove(MergedShards, out var next))
        {
            _trainer.AddShard(next);
            _last = next;
            MergedShards++;
        }
    }

    /// <summary>Refuses a shard whose rows or last rows do not match the plan: what a worker that ran the shard returns always does.</summary>
    private void CheckRows(ShardStatistics shard)
    {
        var index = shard.ShardIndex;
        var rows = _plan.GetLength(index) - _plan.Options.WashoutSteps;
        var folded = shard.Folds.Sum(f => f.Count);
        if (shard.RowCount != rows || folded != rows)
        {
            throw new ArgumentException(
                $"Shard {index} reports {shard.RowCount} rows in all and {folded} in its folds, but the plan gives it {rows} (its length less the washout).",
                nameof(shard));
        }

        if (shard.LastInput.Length != _plan.Composition.InputDimension || shard.LastTarget.Length != _targetCount)
        {
            throw new ArgumentException(
                $"Shard {index} has a last input of {shard.LastInput.Length} values and a last target of {shard.LastTarget.Length}, but the network reads {_plan.Composition.InputDimension} inputs and the shards have {_targetCount} targets.",
                nameof(shard));
        }
    }

    /// <summary>Solves once on all the shards.</summary>
    /// <returns>The fitted network, continuing from the state after the last shard.</returns>
    /// <exception cref="InvalidOperationException">A shard is missing (the message names the first), or <see cref="Solve"/> was called already.</exception>
    /// <exception cref="ArgumentException">The ridge system is singular (set L2Regularization &gt; 0), too few rows for the folds, or linear units diverged.</exception>
    public EchoStateNetwork Solve()
    {
        if (_solved)
        {
            throw new InvalidOperationException("This ShardReducer has solved already; create a new one for another fit.");
        }

        if (MergedShards != _plan.ShardCount)
        {
            throw new InvalidOperationException(
                $"Shard {MergedShards} of {_plan.ShardCount} has not been added; every shard is needed before the solve ({MergedShards} merged, {WaitingShards} waiting).");
        }

        _solved = true;
        return _trainer.SolveShards(_plan, _last!);
    }
}
