using System.Globalization;
using System.Net;
using System.Reflection;
using NUnit.Framework;
using Orleans.Runtime;
using Reservoir.Pipelines;

namespace Reservoir.Distributed.Tests;

/// <summary>
/// The trainer's fault handling against a scripted cluster: a grain factory whose membership reads and shard workers the test
/// controls, so that the order of late results, retries and membership failures is deterministic (no silos run).
/// </summary>
[TestFixture]
public sealed class FaultHandlingTests
{
    private static readonly SiloAddress SiloA = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 1111), 1);
    private static readonly SiloAddress SiloB = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 2222), 1);

    private static Dictionary<SiloAddress, SiloStatus> Both => new() { [SiloA] = SiloStatus.Active, [SiloB] = SiloStatus.Active };

    /// <summary>Attempt 0 of shard 0 hangs until the shard's first failure is reported, then returns <paramref name="late"/>; the retries run <paramref name="retry"/>.</summary>
    private static FakeGrainFactory LateFirstAttempt(ShardResultPayload[] results, ShardResultPayload late,
        Func<int, Task<ShardResultPayload>> retry, out IProgress<DistributedJobStatus> progress)
    {
        var fake = Fake();
        var first = new TaskCompletionSource<ShardResultPayload>(TaskCreationOptions.RunContinuationsAsynchronously);
        fake.Accumulate = (key, i) => i == 0 && Attempt(key) == 0 ? first.Task : retry(i);
        progress = new SyncProgress<DistributedJobStatus>(s =>
        {
            if (s.Shards[0].LastError.Length > 0)
            {
                first.TrySetResult(late);
            }
        });
        return fake;
    }

    [Test]
    public async Task FitAsync_LateResultAcceptedBeforeTheRetryStarts_ShardStaysAccepted()
    {
        var results = Results(2);
        var fake = LateFirstAttempt(results, results[0], async i =>
        {
            await Task.Delay(i == 0 ? 500 : 0);
            return results[i];
        }, out var progress);

        var result = await new DistributedTrainer(fake.Factory).FitAsync(
            new DistributedFitOptions { Network = TestShards.Network(), AttemptTimeout = TimeSpan.FromSeconds(1.5) }, Shards(2), progress);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status.AcceptedShards, Is.EqualTo(2), "both shards were reduced into the network");
            Assert.That(result.Status.ReducedRowCount, Is.EqualTo(2 * (400 - 50)));
            Assert.That(result.Status.Shards.Select(s => s.State), Is.All.EqualTo(ShardState.Accepted));
        });
    }

    [Test]
    public async Task FitAsync_LateResultAcceptedThenRetriesFail_JobCompletes()
    {
        var results = Results(2);
        var fake = LateFirstAttempt(results, results[0], async i =>
        {
            await Task.Delay(300);
            return i == 0 ? throw new IOException("disk gone") : results[i];
        }, out var progress);

        var result = await new DistributedTrainer(fake.Factory).FitAsync(
            new DistributedFitOptions { Network = TestShards.Network(), AttemptTimeout = TimeSpan.FromSeconds(1.5) }, Shards(2), progress);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status.Phase, Is.EqualTo(JobPhase.Completed));
            Assert.That(result.Status.AcceptedShards, Is.EqualTo(2), "shard 0's statistics were accepted from the late attempt");
            Assert.That(result.Status.ReducedRowCount, Is.EqualTo(2 * (400 - 50)));
        });
    }

    [Test]
    public async Task FitAsync_MalformedLateResult_FailsItsAttemptAndTheGoodRetryIsAccepted()
    {
        var results = Results(2);
        var bad = new ShardResultPayload { ShardIndex = 0, FeatureCount = results[0].FeatureCount, TargetCount = 1, Folds = [[1, 2, 3]] };
        var fake = LateFirstAttempt(results, bad, async i =>
        {
            await Task.Delay(i == 0 ? 500 : 0);
            return results[i];
        }, out var progress);

        var result = await new DistributedTrainer(fake.Factory).FitAsync(
            new DistributedFitOptions { Network = TestShards.Network(), AttemptTimeout = TimeSpan.FromSeconds(1.5) }, Shards(2), progress);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status.AcceptedShards, Is.EqualTo(2), "the good retry of shard 0 was accepted");
            Assert.That(result.Status.DuplicatesDiscarded, Is.Zero, "the malformed result was refused, not counted as the shard's result");
        });
    }

    [Test]
    public async Task FitAsync_ResultForAnotherShard_FailsItsAttempt()
    {
        var results = Results(2);
        var fake = Fake();
        fake.Accumulate = (key, i) => Task.FromResult(i == 0 && Attempt(key) == 0 ? results[1] : results[i]);

        var result = await new DistributedTrainer(fake.Factory).FitAsync(new DistributedFitOptions { Network = TestShards.Network() }, Shards(2));

        Assert.Multiple(() =>
        {
            Assert.That(result.Status.FailedAttempts, Is.EqualTo(1), "shard 1's statistics returned for shard 0 fail that attempt");
            Assert.That(result.Status.AcceptedShards, Is.EqualTo(2));
            Assert.That(result.Status.DuplicatesDiscarded, Is.Zero);
        });
    }

    [Test]
    public async Task FitAsync_MembershipReadFails_HealthyAttemptCompletes()
    {
        var results = Results(1);
        var fake = Fake();
        fake.Hosts = n => n == 1 ? Task.FromResult(Both) : Task.FromException<Dictionary<SiloAddress, SiloStatus>>(new OrleansException("management grain unreachable"));
        fake.Accumulate = async (_, i) =>
        {
            await Task.Delay(2500);
            return results[i];
        };

        var result = await new DistributedTrainer(fake.Factory).FitAsync(
            new DistributedFitOptions { Network = TestShards.Network(), MaxAttempts = 1, AttemptTimeout = TimeSpan.FromSeconds(30) }, Shards(1));

        Assert.Multiple(() =>
        {
            Assert.That(fake.HostCalls, Is.GreaterThan(1), "the attempt read the membership again while it ran, and the read failed");
            Assert.That(result.Status.FailedAttempts, Is.Zero, "a failed read is no evidence against the worker's silo");
            Assert.That(result.Status.AcceptedShards, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task FitAsync_MembershipReadHangs_CancellationIsHonoured()
    {
        var fake = Fake();
        var never = new TaskCompletionSource<Dictionary<SiloAddress, SiloStatus>>();
        fake.Hosts = n => n == 1 ? Task.FromResult(Both) : never.Task;
        fake.Accumulate = (_, _) => new TaskCompletionSource<ShardResultPayload>().Task;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        var fit = new DistributedTrainer(fake.Factory).FitAsync(
            new DistributedFitOptions { Network = TestShards.Network(), AttemptTimeout = TimeSpan.FromSeconds(30) }, Shards(1), null, cts.Token);

        var finished = await Task.WhenAny(fit, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.That(finished, Is.SameAs(fit), "cancelled at 2 s: FitAsync should have ended by 10 s");
        Assert.That(fit.IsCanceled || fit.Exception?.InnerException is OperationCanceledException, Is.True, $"ended by the cancellation, not {fit.Status}");
    }

    [Test]
    public async Task FitAsync_MembershipReadHangs_AttemptTimeoutIsHonoured()
    {
        var fake = Fake();
        var never = new TaskCompletionSource<Dictionary<SiloAddress, SiloStatus>>();
        fake.Hosts = n => n == 1 ? Task.FromResult(Both) : never.Task;
        fake.Accumulate = (_, _) => new TaskCompletionSource<ShardResultPayload>().Task;

        var fit = new DistributedTrainer(fake.Factory).FitAsync(
            new DistributedFitOptions { Network = TestShards.Network(), MaxAttempts = 1, AttemptTimeout = TimeSpan.FromSeconds(2) }, Shards(1));

        var finished = await Task.WhenAny(fit, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.That(finished, Is.SameAs(fit), "attempt timeout 2 s, one attempt: FitAsync should have ended by 10 s");
        Assert.That(fit.Exception?.InnerException, Is.TypeOf<ShardFailedException>().With.InnerException.TypeOf<TimeoutException>());
    }

    [Test]
    public async Task FitAsync_AttemptTimeoutLongerThanAnyTimer_ReadsTheMembershipUnbounded()
    {
        var results = Results(1);
        var fake = Fake();
        fake.Accumulate = (_, i) => Task.FromResult(results[i]);

        var result = await new DistributedTrainer(fake.Factory).FitAsync(
            new DistributedFitOptions { Network = TestShards.Network(), AttemptTimeout = TimeSpan.FromDays(100) }, Shards(1));

        Assert.That(result.Status.AcceptedShards, Is.EqualTo(1));
    }

    private static ShardReference[] Shards(int count) => TestShards.Create(900, count, 400, seed: 1).References;

    /// <summary>Each shard's true statistics, as a worker returns them.</summary>
    private static ShardResultPayload[] Results(int count)
    {
        var (_, inputs, targets) = TestShards.Create(900, count, 400, seed: 1);
        var plan = new ShardPlan(TestShards.Network(), [.. inputs.Select(i => (long)i.GetLength(0))]);
        return [.. Enumerable.Range(0, count).Select(i => ShardResultPayload.From(ShardedFit.AccumulateShard(plan, i, inputs[i], targets[i]), "fake", 0.1))];
    }

    /// <summary>A factory on two healthy silos whose workers describe the shards truly; the test sets <see cref="FakeGrainFactory.Accumulate"/>.</summary>
    private static FakeGrainFactory Fake()
    {
        var factory = DispatchProxy.Create<IGrainFactory, FakeGrainFactory>();
        var fake = (FakeGrainFactory)(object)factory;
        fake.Factory = factory;
        fake.Hosts = _ => Task.FromResult(Both);
        fake.Describe = (_, s) => Task.FromResult(TestShards.Source.GetLength(s.SequenceId));
        return fake;
    }

    /// <summary>The attempt number at the end of a worker grain's key ("job/shard/attempt").</summary>
    private static int Attempt(string key) => int.Parse(key.Split('/')[^1], CultureInfo.InvariantCulture);
}

/// <summary>A grain factory whose management grain and shard workers are scripted by the test (no cluster).</summary>
public class FakeGrainFactory : DispatchProxy
{
    internal IGrainFactory Factory = null!;
    internal Func<int, Task<Dictionary<SiloAddress, SiloStatus>>> Hosts = null!;
    internal Func<string, ShardReference, Task<long>> Describe = null!;
    internal Func<string, int, Task<ShardResultPayload>> Accumulate = null!;

    /// <summary>Membership reads so far; the n-th read is answered by <see cref="Hosts"/>(n).</summary>
    internal int HostCalls;

    /// <inheritdoc/>
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var grain = targetMethod!.GetGenericArguments()[0];
        if (grain == typeof(IManagementGrain))
        {
            var management = DispatchProxy.Create<IManagementGrain, FakeManagementGrain>();
            ((FakeManagementGrain)(object)management).Owner = this;
            return management;
        }

        return grain == typeof(IShardWorkerGrain) ? new FakeShardWorker(this, (string)args![0]!) : throw new NotSupportedException(grain.Name);
    }
}

/// <summary>A management grain that answers only GetHosts, from the owning <see cref="FakeGrainFactory"/>.</summary>
public class FakeManagementGrain : DispatchProxy
{
    internal FakeGrainFactory Owner = null!;

    /// <inheritdoc/>
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
        targetMethod!.Name == nameof(IManagementGrain.GetHosts)
            ? Owner.Hosts(Interlocked.Increment(ref Owner.HostCalls))
            : throw new NotSupportedException(targetMethod.Name);
}

/// <summary>A shard worker that answers from the owning <see cref="FakeGrainFactory"/>.</summary>
internal sealed class FakeShardWorker(FakeGrainFactory owner, string key) : IShardWorkerGrain
{
    public Task<long> DescribeAsync(ShardReference shard) => owner.Describe(key, shard);

    public Task<ShardResultPayload> AccumulateAsync(FitJobPayload job, int shardIndex, ShardReference shard) => owner.Accumulate(key, shardIndex);
}
