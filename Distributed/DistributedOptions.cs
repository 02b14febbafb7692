using Microsoft.Extensions.DependencyInjection;
using Reservoir.Pipelines;

namespace Reservoir.Distributed;

/// <summary>The defaults of the distributed jobs' options.</summary>
public static class DistributedDefaults
{
    /// <summary>Attempts per shard or candidate before the job fails: 3.</summary>
    public const int MaxAttempts = 3;

    /// <summary>Seconds one attempt may take before it is given up and re-run elsewhere: 600.</summary>
    public const double AttemptTimeoutSeconds = 600;

    /// <summary>Shards each silo runs at once: 1 (a shard's Gram product already uses every core of its machine).</summary>
    public const int ShardsPerSilo = 1;
}

/// <summary>The settings of <see cref="DistributedTrainer.FitAsync"/>: the network and the fault handling.</summary>
/// <remarks>Validated when the job starts.</remarks>
public sealed record DistributedFitOptions
{
    /// <summary>The network to fit, as for <see cref="ShardedFit.FitShards"/> (no standardization).</summary>
    public required EchoStateNetworkOptions Network { get; init; }

    /// <summary>Attempts per shard, ≥ 1; a shard that fails this many times fails the job, naming the shard. Default <see cref="DistributedDefaults.MaxAttempts"/>.</summary>
    public int MaxAttempts { get; init; } = DistributedDefaults.MaxAttempts;

    /// <summary>How long one attempt may run before it is abandoned and the shard re-run on another silo, &gt; 0. Default <see cref="DistributedDefaults.AttemptTimeoutSeconds"/> s.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(DistributedDefaults.AttemptTimeoutSeconds);

    /// <summary>Shards each silo runs at once, ≥ 1. Default <see cref="DistributedDefaults.ShardsPerSilo"/>.</summary>
    public int ShardsPerSilo { get; init; } = DistributedDefaults.ShardsPerSilo;

    /// <summary>The job's id, which keys its grains and its accepted results; null draws a new one.</summary>
    public string? JobId { get; init; }
}

/// <summary>The settings of <see cref="DistributedSearch.RunAsync"/>: the search and the fault handling.</summary>
/// <remarks>Validated when the job starts.</remarks>
public sealed record DistributedSearchOptions
{
    /// <summary>The search, as for <see cref="ReservoirSearch.Run(ReservoirSearchOptions, IReadOnlyList{double[,]}, IReadOnlyList{double[,]}, IProgress{ReservoirSearchProgress}?, CancellationToken)"/>.</summary>
    public required ReservoirSearchOptions Search { get; init; }

    /// <summary>Attempts per candidate, ≥ 1. Default <see cref="DistributedDefaults.MaxAttempts"/>.</summary>
    public int MaxAttempts { get; init; } = DistributedDefaults.MaxAttempts;

    /// <summary>How long one attempt may run before it is abandoned and re-run elsewhere, &gt; 0. Default <see cref="DistributedDefaults.AttemptTimeoutSeconds"/> s.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(DistributedDefaults.AttemptTimeoutSeconds);

    /// <summary>The job's id, which keys its grains; null draws a new one.</summary>
    public string? JobId { get; init; }
}

/// <summary>Registers the Reservoir workers' shared services in a silo.</summary>
public static class ReservoirSiloBuilderExtensions
{
    /// <summary>Adds the services the Reservoir worker grains share on a silo (a cache of reservoirs and search data); the grains themselves are found by Orleans.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <returns>The same builder.</returns>
    /// <remarks>Shards given by <see cref="ShardReference.FromSource"/> also need an <see cref="IShardSource"/> in the silo's services.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static ISiloBuilder AddReservoirWorkers(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<WorkerServices>();
        return builder;
    }
}
