using System.Diagnostics.CodeAnalysis;
using Reservoir.Readouts;

namespace Reservoir.Pipelines;

/// <summary>The layout of a fit over shards: the network, the reservoir, each shard's length and first training row, and the cross-validation folds.</summary>
/// <remarks>
/// <para>
/// A shard is one training sequence: shard i runs from a zero state with noise stream i and loses its first
/// <see cref="EchoStateNetworkOptions.WashoutSteps"/> steps, exactly as sequence i of
/// <see cref="EchoStateNetwork.Fit(EchoStateNetworkOptions, IReadOnlyList{double[,]}, IReadOnlyList{double[,]}, int)"/>.
/// Its kept rows are rows <see cref="GetFirstRow"/> … of the whole training set, which decides their time-blocked folds
/// (<see cref="Folds"/>, sized by <see cref="RowCount"/> as a fit over whole sequences sizes them).
/// </para>
/// <para>
/// Every process that takes part in a sharded fit builds the same plan from the same options and lengths, so nothing but the
/// options, the lengths and the shards' statistics need travel. An instance is immutable and thread-safe.
/// </para>
/// </remarks>
public sealed class ShardPlan
{
    private readonly long[] _lengths;
    private readonly long[] _firstRows;

    /// <summary>Initializes a new instance of the <see cref="ShardPlan"/> class, building the reservoir from the options unless one is given.</summary>
    /// <param name="options">The network to fit; <see cref="EchoStateNetworkOptions.StandardizeInputs"/> and <see cref="EchoStateNetworkOptions.StandardizeTargets"/> must be false (standardize the shards beforehand).</param>
    /// <param name="shardLengths">The number of steps of each shard, in shard order; at least one, each greater than the washout. Copied.</param>
    /// <param name="reservoir">The one reservoir <see cref="EchoStateNetworkOptions.Reservoir"/> builds, when the caller has it already (it is then not built again); null builds the reservoir or the composition from the options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/>, a required member of it, or <paramref name="shardLengths"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range, or a shard is not longer than the washout (the parameter is WashoutSteps).</exception>
    /// <exception cref="ArgumentException">The options ask for standardization, there is no shard, or <paramref name="reservoir"/> does not match the options.</exception>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is the options member that holds the bad value (StandardizeInputs, WashoutSteps), the setting the caller wrote.")]
    public ShardPlan(EchoStateNetworkOptions options, IReadOnlyList<long> shardLengths, EchoStateReservoir? reservoir = null)
    {
        EchoStateNetworkTrainer.CreateSolvers(options);
        ArgumentNullException.ThrowIfNull(shardLengths);
        if (options.StandardizeInputs || options.StandardizeTargets)
        {
            throw new ArgumentException(
                "A sharded fit cannot standardize: the standardizers would be fitted on all shards before any is run. Set StandardizeInputs "
                + "and StandardizeTargets to false and standardize the shards beforehand (Standardizer.FromParameters).",
                options.StandardizeInputs ? nameof(options.StandardizeInputs) : nameof(options.StandardizeTargets));
        }

        if (shardLengths.Count == 0)
        {
            throw new ArgumentException("shardLengths must hold at least one shard; was empty.", nameof(shardLengths));
        }

        _lengths = [.. shardLengths];
        _firstRows = new long[_lengths.Length + 1];
        for (var i = 0; i < _lengths.Length; i++)
        {
            if (_lengths[i] <= options.WashoutSteps)
            {
                throw new ArgumentOutOfRangeException(nameof(options.WashoutSteps), options.WashoutSteps,
                    $"WashoutSteps must be in [0, {_lengths[i]}) for shard {i} of {_lengths[i]} steps; was {options.WashoutSteps}. Every shard must be longer than the washout.");
            }

            _firstRows[i + 1] = _firstRows[i] + _lengths[i] - options.WashoutSteps;
        }

        Composition = reservoir is null ? EchoStateNetworkTrainer.BuildReservoir(options) : ComposedReservoir.Of(reservoir);
        Options = EchoStateNetworkTrainer.Describe(Composition, options);
        RowCount = _firstRows[^1];
        Folds = EchoStateNetworkTrainer.PlanFolds(Options, RowCount);
    }

    /// <summary>The network's options (with the reservoir's own options as <see cref="EchoStateNetworkOptions.Reservoir"/>, or the composition's as <see cref="EchoStateNetworkOptions.Composition"/>).</summary>
    public EchoStateNetworkOptions Options { get; }

    /// <summary>The reservoirs every shard runs through: the composition, or the one reservoir as a composition of one layer.</summary>
    public ComposedReservoir Composition { get; }

    /// <summary>The one reservoir every shard runs through.</summary>
    /// <exception cref="InvalidOperationException">The options set a composition; use <see cref="Composition"/>.</exception>
    public EchoStateReservoir Reservoir => EchoStateNetworkTrainer.SingleLayer(Composition, Options);

    /// <summary>The number of shards.</summary>
    public int ShardCount => _lengths.Length;

    /// <summary>The number of training rows of all shards together (steps after each shard's washout).</summary>
    public long RowCount { get; }

    /// <summary>The cross-validation folds of the rows (one fold when λ is fixed or chosen by generalized cross-validation).</summary>
    public TimeBlockedFolds Folds { get; }

    /// <summary>The number of steps of a shard.</summary>
    /// <param name="shardIndex">The shard, in [0, <see cref="ShardCount"/>).</param>
    /// <returns>Its length as given.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shardIndex"/> is out of range.</exception>
    public long GetLength(int shardIndex)
    {
        CheckIndex(shardIndex);
        return _lengths[shardIndex];
    }

    /// <summary>The index, over all training rows in shard order, of a shard's first row after its washout.</summary>
    /// <param name="shardIndex">The shard, in [0, <see cref="ShardCount"/>).</param>
    /// <returns>The sum of the kept rows of the shards before it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shardIndex"/> is out of range.</exception>
    public long GetFirstRow(int shardIndex)
    {
        CheckIndex(shardIndex);
        return _firstRows[shardIndex];
    }

    private void CheckIndex(int shardIndex)
    {
        if (shardIndex < 0 || shardIndex >= _lengths.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(shardIndex), shardIndex,
                $"shardIndex must be in [0, {_lengths.Length}); was {shardIndex}.");
        }
    }
}
