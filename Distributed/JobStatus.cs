using System.Collections.Immutable;

namespace Reservoir.Distributed;

/// <summary>Where a shard of a distributed fit stands.</summary>
public enum ShardState
{
    /// <summary>Not started.</summary>
    Pending,

    /// <summary>An attempt is running.</summary>
    Running,

    /// <summary>Its statistics were accepted (exactly once).</summary>
    Accepted,

    /// <summary>Every attempt failed; the job failed.</summary>
    Failed,
}

/// <summary>Where a distributed job stands.</summary>
public enum JobPhase
{
    /// <summary>The workers read the shards' lengths.</summary>
    Describing,

    /// <summary>The workers run the shards.</summary>
    Accumulating,

    /// <summary>The coordinator reduces the statistics in shard order and solves.</summary>
    Solving,

    /// <summary>Done.</summary>
    Completed,

    /// <summary>A shard failed on every attempt, or the job was cancelled.</summary>
    Failed,
}

/// <summary>One shard of a distributed fit as the client sees it.</summary>
/// <param name="Index">The shard's index (its place in the reduction).</param>
/// <param name="Name">The shard's name.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Attempts">Attempts started so far (describe and accumulate together).</param>
/// <param name="Silo">The silo of the accepted (or latest) attempt; empty before any.</param>
/// <param name="Seconds">The worker's time for the accepted attempt, in seconds; 0 before.</param>
/// <param name="RowCount">The rows it contributed (after the washout); 0 before it is accepted.</param>
/// <param name="LastError">The latest failure's message; empty when none failed.</param>
public sealed record ShardStatus(int Index, string Name, ShardState State, int Attempts, string Silo, double Seconds, long RowCount,
    string LastError);

/// <summary>A snapshot of a distributed fit: each shard, the reduced row count and the fault counters.</summary>
/// <param name="JobId">The job's id.</param>
/// <param name="Phase">Where the job stands.</param>
/// <param name="Shards">Every shard, in shard order.</param>
/// <param name="ReducedRowCount">The rows of the accepted shards: at the end, the rows of the fit.</param>
/// <param name="FailedAttempts">Attempts that failed or timed out and were re-run.</param>
/// <param name="DuplicatesDiscarded">Results that arrived for a shard already accepted (from an attempt given up as late) and were dropped.</param>
/// <param name="ElapsedSeconds">Seconds since the job started.</param>
/// <remarks>Immutable; a new snapshot is reported on every change.</remarks>
public sealed record DistributedJobStatus(string JobId, JobPhase Phase, ImmutableArray<ShardStatus> Shards, long ReducedRowCount,
    int FailedAttempts, int DuplicatesDiscarded, double ElapsedSeconds)
{
    /// <summary>The number of shards accepted.</summary>
    public int AcceptedShards => Shards.Count(s => s.State == ShardState.Accepted);
}

/// <summary>What a distributed fit returns: the network and the job's final status.</summary>
/// <param name="Network">The fitted network, bit-identical to <see cref="Pipelines.ShardedFit.FitShards"/> on the same shards.</param>
/// <param name="Status">The job's final status.</param>
public sealed record DistributedFitResult(Pipelines.EchoStateNetwork Network, DistributedJobStatus Status);

/// <summary>A shard (or search candidate) failed on every attempt; the job failed.</summary>
public sealed class ShardFailedException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ShardFailedException"/> class.</summary>
    /// <param name="shardName">The shard's (or candidate's) name.</param>
    /// <param name="attempts">The attempts made.</param>
    /// <param name="lastError">The last attempt's error.</param>
    /// <param name="status">The job's status when it failed; null for a search.</param>
    public ShardFailedException(string shardName, int attempts, Exception lastError, DistributedJobStatus? status)
        : base($"Shard {shardName} failed on all {attempts} attempts; the job was stopped. Last error: {lastError.GetType().Name}: {lastError.Message}", lastError)
    {
        ShardName = shardName;
        Attempts = attempts;
        Status = status;
    }

    /// <summary>The failed shard's (or candidate's) name.</summary>
    public string ShardName { get; }

    /// <summary>The attempts made.</summary>
    public int Attempts { get; }

    /// <summary>The job's status when it failed; null for a search.</summary>
    public DistributedJobStatus? Status { get; }
}
