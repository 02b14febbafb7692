using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Distributed;

/// <summary>Fits an echo state network over shards on an Orleans cluster: the workers accumulate, the client reduces in shard order and solves once.</summary>
/// <remarks>
/// <para>
/// <b>Design.</b> The coordinator runs in the client (this object), not in a grain: it holds nothing but the job's bookkeeping
/// and the O(k·D²) statistics it reduces, it reports progress straight to the caller, and a job whose client goes away has
/// no one to hand its result to anyway. The workers are grains keyed by "job/shard/attempt", each placed on a live silo the
/// coordinator hints (see the remarks of the attempts policy below); Orleans does the transport, placement, membership and
/// failure detection. Nothing large is shipped: each worker builds the reservoir from the options (the same seed gives the
/// same weights everywhere, built once per silo), opens its shard from the <see cref="ShardReference"/>, runs it through
/// <see cref="ShardedFit.AccumulateShard"/> and returns the shard's Gram statistics as flat <c>double[]</c> arrays, O(k·D²)
/// for k folds of D features, never the states.
/// </para>
/// <para>
/// <b>Steps.</b> (1) The workers read each shard's length, from which the coordinator and every worker build the same
/// <see cref="ShardPlan"/> (each shard's first row and the cross-validation folds). (2) The shards run, at most
/// <see cref="DistributedFitOptions.ShardsPerSilo"/> per silo at once. (3) The coordinator merges each shard's statistics into a <see cref="ShardReducer"/> as they
/// arrive (in shard order: a shard that arrives early waits for the ones before it) and solves once, the same code as the
/// one-machine <see cref="ShardedFit.FitShards"/>,
/// so the fitted weights are bit-identical to it (on workers with the same Gram backend and instruction set as the client).
/// </para>
/// <para>
/// <b>Faults.</b> An attempt that throws, whose silo dies, or that runs past <see cref="DistributedFitOptions.AttemptTimeout"/>
/// is re-run on another live silo; a shard that fails <see cref="DistributedFitOptions.MaxAttempts"/> times fails the job
/// with a <see cref="ShardFailedException"/> naming it. Each shard's statistics are accepted once, keyed by (job id, shard
/// index), and only after they were checked against the shard asked for and the plan (a malformed result fails its attempt):
/// a late result from an attempt given up is still accepted if none was before, which ends the shard's retries; any result
/// after the first accepted is dropped and counted in <see cref="DistributedJobStatus.DuplicatesDiscarded"/>. An accepted shard
/// stays accepted in the status.
/// </para>
/// <para>An instance may run several jobs at once; it is thread-safe.</para>
/// </remarks>
/// <example>See <c>Examples/Distributed/Program.cs</c>.</example>
public sealed class DistributedTrainer
{
    private readonly IGrainFactory _grains;

    /// <summary>Initializes a new instance of the <see cref="DistributedTrainer"/> class on a cluster.</summary>
    /// <param name="grains">The cluster client (an <c>IClusterClient</c>) or a silo's grain factory.</param>
    /// <exception cref="ArgumentNullException"><paramref name="grains"/> is null.</exception>
    public DistributedTrainer(IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        _grains = grains;
    }

    /// <summary>Fits the network of <paramref name="options"/> over the shards on the cluster.</summary>
    /// <param name="options">The network and the fault handling.</param>
    /// <param name="shards">The shards in order (shard i is sequence i of the fit); at least one; each opened by the workers.</param>
    /// <param name="progress">Told a new <see cref="DistributedJobStatus"/> on every change; null for none.</param>
    /// <param name="cancellationToken">Stops the job.</param>
    /// <returns>The network, bit-identical to <see cref="ShardedFit.FitShards"/> on the shards' data, and the job's final status.</returns>
    /// <exception cref="ArgumentNullException">An argument, <see cref="DistributedFitOptions.Network"/> or a shard is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">There is no shard, the network is a composition of reservoirs or asks for standardization, or the shards do not fit the network (lengths, columns, values).</exception>
    /// <exception cref="ShardFailedException">A shard failed on every attempt; the message names it and gives the last error.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is the options member that holds the bad value (MaxAttempts, AttemptTimeout, ShardsPerSilo, Composition).")]
    public async Task<DistributedFitResult> FitAsync(DistributedFitOptions options, IReadOnlyList<ShardReference> shards,
        IProgress<DistributedJobStatus>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Network, nameof(options.Network));
        ArgumentNullException.ThrowIfNull(shards);
        CheckFaultOptions(options.MaxAttempts, options.AttemptTimeout);
        if (options.ShardsPerSilo < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options.ShardsPerSilo), options.ShardsPerSilo, $"ShardsPerSilo must be >= 1; was {options.ShardsPerSilo}.");
        }

        if (shards.Count == 0)
        {
            throw new ArgumentException("shards must hold at least one shard; was empty.", nameof(shards));
        }

        if (options.Network.Composition is { } composition)
        {
            throw new ArgumentException(
                $"The workers build one reservoir from EchoStateNetworkOptions.Reservoir; a composition of {composition.Layers.Length} layers (EchoStateNetworkOptions.Composition) is fitted over shards on one machine by ShardedFit.FitShards.",
                nameof(options.Network.Composition));
        }

        var list = new ShardReference[shards.Count];
        for (var i = 0; i < list.Length; i++)
        {
            list[i] = shards[i] ?? throw new ArgumentNullException(nameof(shards), $"shards[{i}] is null.");
        }

        if (options.Network.StandardizeInputs || options.Network.StandardizeTargets)
        {
            // The plan says why; fail before any worker runs.
            _ = new ShardPlan(options.Network, [long.MaxValue]);
        }

        var job = new Job(options.JobId ?? Guid.NewGuid().ToString("N"), list, progress);
        var attempts = new ClusterAttempts(_grains, options.MaxAttempts, options.AttemptTimeout);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            job.Publish();
            // Runs one shard's work with retries; a shard that fails on every attempt is marked so in the status.
            async Task<T> RunShard<T>(int i, Func<int, Task<T>> attempt, Action<Task<T>>? abandoned, Task<T>? completed)
            {
                try
                {
                    return await attempts.RunAsync(list[i].Name, i, attempt, (_, silo) => job.Started(i, silo), (_, e) => job.Failed(i, e),
                        abandoned, completed, stop.Token);
                }
                catch (ShardFailedException)
                {
                    job.MarkFailed(i);
                    throw;
                }
            }

            var lengths = await AllOrFirstFailure(list.Select((shard, i) => RunShard(i,
                a => _grains.GetGrain<IShardWorkerGrain>($"{job.Id}/describe/{i}/{a}").DescribeAsync(shard), abandoned: null, completed: null)), stop);

            var plan = new ShardPlan(options.Network, lengths);
            job.Plan(plan);
            var payload = new FitJobPayload { JobId = job.Id, Options = NetworkOptionsPayload.From(options.Network), ShardLengths = lengths };
            job.Enter(JobPhase.Accumulating);
            var silos = (await attempts.ActiveSilosAsync(options.AttemptTimeout, stop.Token)).Length;
            using var gate = new SemaphoreSlim(Math.Max(1, silos) * options.ShardsPerSilo);
            await AllOrFirstFailure(list.Select(async (shard, i) =>
            {
                await gate.WaitAsync(stop.Token);
                try
                {
                    // Each attempt offers its own result, a late one included; the shard is done once the ledger holds it.
                    return await RunShard(i,
                        async a => job.Offer(i, await _grains.GetGrain<IShardWorkerGrain>($"{job.Id}/{i}/{a}").AccumulateAsync(payload, i, shard)),
                        late => late.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default),
                        job.Accepted(i));
                }
                finally
                {
                    gate.Release();
                }
            }), stop);

            job.Enter(JobPhase.Solving);
            var network = job.Solve();
            job.Enter(JobPhase.Completed);
            return new DistributedFitResult(network, job.Snapshot());
        }
        catch (ShardFailedException e)
        {
            job.Enter(JobPhase.Failed);
            throw new ShardFailedException(e.ShardName, e.Attempts, e.InnerException!, job.Snapshot());
        }
        catch
        {
            job.Enter(JobPhase.Failed);
            throw;
        }
    }

    /// <summary>Checks the fault-handling options shared by the fit and the search.</summary>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is the options member that holds the bad value (MaxAttempts, AttemptTimeout).")]
    internal static void CheckFaultOptions(int maxAttempts, TimeSpan attemptTimeout)
    {
        if (maxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException("MaxAttempts", maxAttempts, $"MaxAttempts must be >= 1; was {maxAttempts}.");
        }

        if (attemptTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException("AttemptTimeout", attemptTimeout, $"AttemptTimeout must be > 0; was {attemptTimeout}.");
        }
    }

    /// <summary>Awaits every task; on the first failure cancels the rest and throws it.</summary>
    internal static async Task<T[]> AllOrFirstFailure<T>(IEnumerable<Task<T>> tasks, CancellationTokenSource stop)
    {
        var all = tasks.ToArray();
        var pending = new HashSet<Task<T>>(all);
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            if (!done.IsCompletedSuccessfully)
            {
                await stop.CancelAsync();
                // A shard's failure is the cause; cancellations of the others follow from it.
                var cause = all.FirstOrDefault(t => t.IsFaulted && t.Exception!.InnerException is ShardFailedException) ?? done;
                await cause;
            }
        }

        return [.. all.Select(t => t.Result)];
    }

    /// <summary>One job's bookkeeping: the shards' status and the ledger of accepted results, keyed by (job id, shard).</summary>
    private sealed class Job(string id, ShardReference[] shards, IProgress<DistributedJobStatus>? progress)
    {
        private readonly object _gate = new();
        private readonly ShardStatus[] _status = [.. shards.Select((s, i) => new ShardStatus(i, s.Name, ShardState.Pending, 0, "", 0, 0, ""))];
        private readonly HashSet<(string Job, int Shard)> _ledger = [];
        private readonly TaskCompletionSource<int>[] _accepted = [.. shards.Select(_ => new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously))];
        private ShardPlan? _plan;
        private ShardReducer? _reducer;
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private JobPhase _phase = JobPhase.Describing;
        private int _failedAttempts;
        private int _duplicates;

        public string Id => id;

        /// <summary>Finishes when the shard's statistics were accepted (from any attempt).</summary>
        public Task<int> Accepted(int shard) => _accepted[shard].Task;

        // An accepted shard's status is final: the attempts still running or failing for it change only the counters.
        public void Started(int shard, string silo) => Update(() =>
        {
            if (_status[shard].State != ShardState.Accepted)
            {
                _status[shard] = _status[shard] with { State = ShardState.Running, Attempts = _status[shard].Attempts + 1, Silo = silo };
            }
        });

        public void Failed(int shard, Exception error) => Update(() =>
        {
            _failedAttempts++;
            if (_status[shard].State != ShardState.Accepted)
            {
                _status[shard] = _status[shard] with { LastError = $"{error.GetType().Name}: {error.Message}" };
            }
        });

        public void Plan(ShardPlan plan)
        {
            lock (_gate)
            {
                _plan = plan;
                _reducer = new ShardReducer(plan);
            }
        }

        /// <summary>
        /// Offers the result of an attempt at shard <paramref name="shard"/>. It is validated against the request and the plan and
        /// converted first: a malformed result throws, which fails its attempt, and leaves the ledger as it was. A valid result for
        /// a shard accepted already (job, shard) is counted as a duplicate and dropped. Otherwise it goes to the reducer, which
        /// merges it as soon as the shards before it are in (so the client holds only the running sum and the results that
        /// arrived early); only once the reducer took it is the shard entered in the ledger, marked accepted and completed.
        /// </summary>
        /// <returns>0.</returns>
        /// <exception cref="InvalidDataException">The result does not fit the request or the plan.</exception>
        public int Offer(int shard, ShardResultPayload result)
        {
            ShardPlan plan;
            lock (_gate)
            {
                plan = _plan!;
            }

            var statistics = Convert(shard, result, plan);
            var accepted = false;
            Update(() =>
            {
                if (_phase is JobPhase.Completed or JobPhase.Failed || _ledger.Contains((id, shard)))
                {
                    _duplicates++;
                    return;
                }

                try
                {
                    _reducer!.Add(statistics);
                }
                catch (ArgumentException e)
                {
                    throw new InvalidDataException($"The result for shard {shard} was refused: {e.Message}", e);
                }

                _ledger.Add((id, shard));
                _status[shard] = _status[shard] with
                {
                    State = ShardState.Accepted,
                    Silo = result.Silo,
                    Seconds = result.Seconds,
                    RowCount = result.RowCount,
                };
                accepted = true;
            });

            if (accepted)
            {
                _accepted[shard].TrySetResult(0);
            }

            return 0;
        }

        /// <summary>Checks a worker's result against the shard asked for and the plan, and converts it to statistics.</summary>
        private static ShardStatistics Convert(int shard, ShardResultPayload result, ShardPlan plan)
        {
            if (result is null)
            {
                throw new InvalidDataException($"The result for shard {shard} is null.");
            }

            if (result.ShardIndex != shard)
            {
                throw new InvalidDataException($"The result for shard {shard} says it is shard {result.ShardIndex}.");
            }

            if (result.FeatureCount < 1 || result.TargetCount < 1)
            {
                throw new InvalidDataException(
                    $"The result for shard {shard} has {result.FeatureCount} features and {result.TargetCount} targets; each must be >= 1.");
            }

            var length = GramAccumulator.StatisticsLength(result.FeatureCount, result.TargetCount);
            if (result.Folds is null || result.Folds.Length != plan.Folds.FoldCount || result.Folds.Any(f => f is null || f.LongLength != length))
            {
                throw new InvalidDataException(
                    $"The result for shard {shard} must hold {plan.Folds.FoldCount} folds of {length} values each ({result.FeatureCount} features, {result.TargetCount} targets); it does not.");
            }

            var foldRows = result.Folds.Sum(f => f[0]);
            if (result.RowCount > plan.GetLength(shard) || result.RowCount != foldRows)
            {
                throw new InvalidDataException(
                    $"The result for shard {shard} has {result.RowCount} rows, which is not its folds' {foldRows} or is more than the shard's {plan.GetLength(shard)}.");
            }

            if (result.LastTarget is null || result.LastTarget.Length != result.TargetCount || result.LastInput is null || result.FinalState is null)
            {
                throw new InvalidDataException(
                    $"The result for shard {shard} lacks its last rows or final state, or its last target row is not {result.TargetCount} values.");
            }

            try
            {
                return result.ToStatistics();
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"The result for shard {shard} cannot be converted: {e.Message}", e);
            }
        }

        public EchoStateNetwork Solve()
        {
            lock (_gate)
            {
                return _reducer!.Solve();
            }
        }

        public void Enter(JobPhase phase) => Update(() => _phase = phase);

        public void MarkFailed(int shard) => Update(() =>
        {
            if (_status[shard].State != ShardState.Accepted)
            {
                _status[shard] = _status[shard] with { State = ShardState.Failed };
            }
        });

        public void Publish() => Update(() => { });

        public DistributedJobStatus Snapshot()
        {
            lock (_gate)
            {
                return new DistributedJobStatus(id, _phase, [.. _status], _status.Where(s => s.State == ShardState.Accepted).Sum(s => s.RowCount),
                    _failedAttempts, _duplicates, _watch.Elapsed.TotalSeconds);
            }
        }

        private void Update(Action change)
        {
            DistributedJobStatus snapshot;
            lock (_gate)
            {
                change();
                snapshot = new DistributedJobStatus(id, _phase, [.. _status], _status.Where(s => s.State == ShardState.Accepted).Sum(s => s.RowCount),
                    _failedAttempts, _duplicates, _watch.Elapsed.TotalSeconds);
            }

            progress?.Report(snapshot);
        }
    }
}
