using Reservoir.Pipelines;

namespace Reservoir.Distributed;

/// <summary>Runs a <see cref="ReservoirSearch"/> on an Orleans cluster: the client draws the candidates, the workers score them.</summary>
/// <remarks>
/// <para>
/// The CMA-ES loop runs in the client through <see cref="ReservoirSearch.RunGenerations"/>, drawing each generation's candidates
/// on one thread from the search's seed exactly as the local search does; each candidate is scored on a worker grain by
/// <see cref="ReservoirSearch.ScoreCandidates"/> over all the shards (opened once per silo), which gives the score the local
/// search gives it bit for bit. So the same seed gives the same trials and the same winner as
/// <see cref="ReservoirSearch.Run(ReservoirSearchOptions, IReadOnlyList{double[,]}, IReadOnlyList{double[,]}, IProgress{ReservoirSearchProgress}?, CancellationToken)"/>
/// on the shards' data, whatever silo scored what.
/// </para>
/// <para>
/// Faults are handled as in <see cref="DistributedTrainer"/>: a candidate whose attempt fails or times out is re-scored on
/// another silo; one that fails <see cref="DistributedSearchOptions.MaxAttempts"/> times fails the search with a
/// <see cref="ShardFailedException"/> naming the candidate. Progress is reported once per generation. Thread-safe.
/// </para>
/// </remarks>
public sealed class DistributedSearch
{
    private readonly IGrainFactory _grains;

    /// <summary>Initializes a new instance of the <see cref="DistributedSearch"/> class on a cluster.</summary>
    /// <param name="grains">The cluster client (an <c>IClusterClient</c>) or a silo's grain factory.</param>
    /// <exception cref="ArgumentNullException"><paramref name="grains"/> is null.</exception>
    public DistributedSearch(IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        _grains = grains;
    }

    /// <summary>Searches on the shards' data, scoring the candidates on the cluster.</summary>
    /// <param name="options">The search and the fault handling.</param>
    /// <param name="shards">The data: shard i is sequence i of the search; at least one.</param>
    /// <param name="progress">Told after every generation; null for none.</param>
    /// <param name="cancellationToken">Stops the search between generations.</param>
    /// <returns>The same result as the local search on the shards' data.</returns>
    /// <exception cref="ArgumentNullException">An argument, <see cref="DistributedSearchOptions.Search"/> or a shard is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">There is no shard.</exception>
    /// <exception cref="ShardFailedException">A candidate failed on every attempt (for example because a shard cannot be read or does not fit the network).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public Task<ReservoirSearchResult> RunAsync(DistributedSearchOptions options, IReadOnlyList<ShardReference> shards,
        IProgress<ReservoirSearchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Search, nameof(options.Search));
        ArgumentNullException.ThrowIfNull(shards);
        DistributedTrainer.CheckFaultOptions(options.MaxAttempts, options.AttemptTimeout);
        if (shards.Count == 0)
        {
            throw new ArgumentException("shards must hold at least one shard; was empty.", nameof(shards));
        }

        var list = new ShardReference[shards.Count];
        for (var i = 0; i < list.Length; i++)
        {
            list[i] = shards[i] ?? throw new ArgumentNullException(nameof(shards), $"shards[{i}] is null.");
        }

        var jobId = options.JobId ?? Guid.NewGuid().ToString("N");
        var payload = SearchOptionsPayload.From(options.Search);
        var attempts = new ClusterAttempts(_grains, options.MaxAttempts, options.AttemptTimeout);
        var generation = 0;
        return Task.Run(() => ReservoirSearch.RunGenerations(options.Search, (candidates, token) =>
        {
            var g = generation++;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
            var scores = DistributedTrainer.AllOrFirstFailure(candidates.Select((candidate, i) => attempts.RunAsync(
                $"candidate {i} of generation {g}", i,
                a => _grains.GetGrain<ICandidateWorkerGrain>($"{jobId}/{g}/{i}/{a}").ScoreAsync(payload, list, CandidatePayload.From(candidate)),
                (_, _) => { }, (_, _) => { }, abandoned: null, completed: null, stop.Token)), stop).GetAwaiter().GetResult();
            return scores;
        }, progress, cancellationToken), cancellationToken);
    }
}
