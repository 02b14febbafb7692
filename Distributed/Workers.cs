using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Reservoir.Pipelines;

namespace Reservoir.Distributed;

/// <summary>Runs shards of a fit: opens a shard, runs it through the job's reservoir and returns its Gram statistics (never its states).</summary>
/// <remarks>Keyed by "job/shard/attempt", so that every attempt is a fresh activation the coordinator places; stateless otherwise.</remarks>
[Alias("Reservoir.Distributed.IShardWorkerGrain")]
internal interface IShardWorkerGrain : IGrainWithStringKey
{
    /// <summary>The number of steps of a shard.</summary>
    [Alias("Describe")]
    Task<long> DescribeAsync(ShardReference shard);

    /// <summary>Accumulates shard <paramref name="shardIndex"/> of the job.</summary>
    [Alias("Accumulate")]
    Task<ShardResultPayload> AccumulateAsync(FitJobPayload job, int shardIndex, ShardReference shard);
}

/// <summary>Scores one candidate of a reservoir search on all the search's shards.</summary>
[Alias("Reservoir.Distributed.ICandidateWorkerGrain")]
internal interface ICandidateWorkerGrain : IGrainWithStringKey
{
    /// <summary>The candidate's score, as <see cref="ReservoirSearch.ScoreCandidates"/> gives it.</summary>
    [Alias("Score")]
    Task<double> ScoreAsync(SearchOptionsPayload options, ShardReference[] shards, CandidatePayload candidate);
}

/// <summary>What a silo's workers share: the shard opener and small caches of reservoirs and search data (a silo builds a job's reservoir once).</summary>
internal sealed class WorkerServices(IServiceProvider services)
{
    private const int CacheCapacity = 4;
    private readonly ConcurrentDictionary<string, Lazy<EchoStateReservoir>> _reservoirs = new();
    private readonly ConcurrentDictionary<string, Lazy<(double[][,] Inputs, double[][,] Targets)>> _data = new();

    /// <summary>The reservoir of the options in <paramref name="payload"/>, built once per silo.</summary>
    internal EchoStateReservoir Reservoir(NetworkOptionsPayload payload)
    {
        var key = Convert.ToBase64String(payload.Reservoir);
        Trim(_reservoirs);
        return _reservoirs.GetOrAdd(key, _ => new Lazy<EchoStateReservoir>(() => new EchoStateReservoir(payload.ReadReservoir()))).Value;
    }

    /// <summary>Opens a shard.</summary>
    internal (double[,] Inputs, double[,] Targets) Open(ShardReference shard) => shard.Format == ShardFormat.Source
        ? Source().Open(shard.SequenceId)
        : ShardFiles.Read(shard.Path ?? throw new ArgumentException($"Shard {shard.Name} has no path.", nameof(shard)), shard.Format);

    /// <summary>The length of a shard.</summary>
    internal long Length(ShardReference shard) => shard.Format == ShardFormat.Source
        ? Source().GetLength(shard.SequenceId)
        : ShardFiles.ReadLength(shard.Path ?? throw new ArgumentException($"Shard {shard.Name} has no path.", nameof(shard)), shard.Format);

    /// <summary>All shards of a search, opened once per silo.</summary>
    internal (double[][,] Inputs, double[][,] Targets) OpenAll(ShardReference[] shards)
    {
        var key = string.Join('\n', shards.Select(s => $"{s.Format}|{s.Path}|{s.SequenceId}"));
        Trim(_data);
        var lazy = _data.GetOrAdd(key, _ => new Lazy<(double[][,], double[][,])>(() =>
        {
            var opened = shards.Select(Open).ToArray();
            return ([.. opened.Select(o => o.Inputs)], [.. opened.Select(o => o.Targets)]);
        }));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _data.TryRemove(key, out _);
            throw;
        }
    }

    private IShardSource Source() => services.GetService<IShardSource>()
        ?? throw new InvalidOperationException(
            "This silo has no IShardSource: register one in the silo's services (services.AddSingleton<IShardSource, YourSource>()) to use ShardReference.FromSource.");

    private static void Trim<T>(ConcurrentDictionary<string, T> cache)
    {
        if (cache.Count >= CacheCapacity)
        {
            cache.Clear();
        }
    }
}

/// <summary>The grain behind <see cref="IShardWorkerGrain"/>.</summary>
internal sealed class ShardWorkerGrain(IServiceProvider services, ILocalSiloDetails silo) : Grain, IShardWorkerGrain
{
    private readonly WorkerServices _workers = services.GetService<WorkerServices>() ?? new WorkerServices(services);

    public async Task<long> DescribeAsync(ShardReference shard)
    {
        try
        {
            return await Task.Run(() => _workers.Length(shard));
        }
        finally
        {
            DeactivateOnIdle();
        }
    }

    public async Task<ShardResultPayload> AccumulateAsync(FitJobPayload job, int shardIndex, ShardReference shard)
    {
        try
        {
            var name = silo.SiloAddress.ToString();
            return await Task.Run(() =>
            {
                var watch = Stopwatch.StartNew();
                var options = job.Options.ToOptions();
                var plan = new ShardPlan(options, job.ShardLengths, _workers.Reservoir(job.Options));
                var (inputs, targets) = _workers.Open(shard);
                var statistics = ShardedFit.AccumulateShard(plan, shardIndex, inputs, targets);
                return ShardResultPayload.From(statistics, name, watch.Elapsed.TotalSeconds);
            });
        }
        finally
        {
            DeactivateOnIdle();
        }
    }
}

/// <summary>The grain behind <see cref="ICandidateWorkerGrain"/>.</summary>
internal sealed class CandidateWorkerGrain(IServiceProvider services) : Grain, ICandidateWorkerGrain
{
    private readonly WorkerServices _workers = services.GetService<WorkerServices>() ?? new WorkerServices(services);

    public async Task<double> ScoreAsync(SearchOptionsPayload options, ShardReference[] shards, CandidatePayload candidate)
    {
        try
        {
            return await Task.Run(() =>
            {
                var (inputs, targets) = _workers.OpenAll(shards);
                return ReservoirSearch.ScoreCandidates(options.ToOptions(), inputs, targets, [candidate.ToCandidate()])[0];
            });
        }
        finally
        {
            DeactivateOnIdle();
        }
    }
}
