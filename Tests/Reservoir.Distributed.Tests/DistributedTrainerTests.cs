using NUnit.Framework;
using Reservoir.Pipelines;

namespace Reservoir.Distributed.Tests;

[TestFixture]
public sealed class DistributedTrainerTests
{
    private static DistributedTrainer Trainer => new(ClusterSetup.Cluster.Client);

    [TearDown]
    public void RemoveHooks() => TestShards.Source.BeforeOpen = null;

    private static void AssertBitIdentical(EchoStateNetwork distributed, EchoStateNetwork local)
    {
        Assert.Multiple(() =>
        {
            Assert.That(distributed.Readout.GetWeights(), Is.EqualTo(local.Readout.GetWeights()), "weights");
            Assert.That(distributed.Readout.GetIntercept(), Is.EqualTo(local.Readout.GetIntercept()), "intercept");
            Assert.That(distributed.L2Regularization, Is.EqualTo(local.L2Regularization), "λ chosen by the same folds");
        });
    }

    [Test]
    public async Task FitAsync_ThreeSilos_BitIdenticalToLocalFit()
    {
        // 1 300 steps a shard: two streamed blocks each, and the time-blocked folds cut across shard ends.
        var (shards, inputs, targets) = TestShards.Create(100, 6, 1300, seed: 5);
        var network = TestShards.Network();

        var result = await Trainer.FitAsync(new DistributedFitOptions { Network = network }, shards);

        var local = ShardedFit.FitShards(network, inputs, targets);
        AssertBitIdentical(result.Network, local);
        AssertBitIdentical(result.Network, EchoStateNetwork.Fit(network, inputs, targets, maxDegreeOfParallelism: 1));
        Assert.That(result.Network.Predict(inputs[0]), Is.EqualTo(local.Predict(inputs[0])), "continues from the last shard's state");
        var status = result.Status;
        Assert.Multiple(() =>
        {
            Assert.That(status.Phase, Is.EqualTo(JobPhase.Completed));
            Assert.That(status.AcceptedShards, Is.EqualTo(6));
            Assert.That(status.ReducedRowCount, Is.EqualTo(6 * (1300 - 50)));
            Assert.That(status.Shards.Select(s => s.RowCount), Is.All.EqualTo(1300 - 50));
            Assert.That(status.Shards.Select(s => s.Silo).Distinct().Count(), Is.EqualTo(3), "spread over the three silos");
            Assert.That(status.Shards.Select(s => s.Seconds), Is.All.GreaterThan(0));
            Assert.That(status.FailedAttempts, Is.Zero);
        });
    }

    [Test]
    public async Task FitAsync_SiloKilledMidJob_CompletesWithTheSameResult()
    {
        var cluster = ClusterSetup.Cluster;
        var extra = await cluster.StartAdditionalSiloAsync();
        await WaitUntil(extra.SiloAddress, active: true); // the job places shards only on silos the membership lists as active
        var (shards, inputs, targets) = TestShards.Create(200, 8, 800, seed: 6);
        TestShards.Source.BeforeOpen = _ => Thread.Sleep(1500); // long enough for the kill to land while the shard runs
        var killed = 0;
        Task? kill = null;
        var progress = new SyncProgress<DistributedJobStatus>(status =>
        {
            if (status.Phase == JobPhase.Accumulating
                && status.Shards.Any(s => s.State == ShardState.Running && s.Silo == extra.SiloAddress.ToString())
                && Interlocked.Exchange(ref killed, 1) == 0)
            {
                kill = Task.Run(() => cluster.KillSiloAsync(extra));
            }
        });

        var result = await Trainer.FitAsync(new DistributedFitOptions { Network = TestShards.Network(), AttemptTimeout = TimeSpan.FromSeconds(20) },
            shards, progress);
        Assert.That(kill, Is.Not.Null, "no shard ran on the extra silo, so none was killed");
        await kill!;
        await WaitUntil(extra.SiloAddress, active: false);

        AssertBitIdentical(result.Network, ShardedFit.FitShards(TestShards.Network(), inputs, targets));
        Assert.Multiple(() =>
        {
            Assert.That(killed, Is.EqualTo(1), "a silo was killed while it ran a shard");
            Assert.That(result.Status.FailedAttempts, Is.GreaterThanOrEqualTo(1), "the lost shard was re-run");
            Assert.That(result.Status.AcceptedShards, Is.EqualTo(8));
            Assert.That(result.Status.ReducedRowCount, Is.EqualTo(8 * (800 - 50)));
        });
    }

    /// <summary>Waits (up to 30 s) until the membership lists the silo as active, or no longer does (so that later tests see three live silos only).</summary>
    private static async Task WaitUntil(Orleans.Runtime.SiloAddress silo, bool active)
    {
        var management = ClusterSetup.Cluster.Client.GetGrain<IManagementGrain>(0);
        for (var i = 0; i < 60 && (await management.GetHosts(onlyActive: true)).ContainsKey(silo) != active; i++)
        {
            await Task.Delay(500);
        }
    }

    [Test]
    public async Task FitAsync_PoisonedShard_FailsTheJobNamingTheShard()
    {
        var (good, _, _) = TestShards.Create(300, 2, 300, seed: 7);
        var folder = Directory.CreateTempSubdirectory("reservoir-poison-");
        try
        {
            var path = Path.Combine(folder.FullName, "poisoned-shard.csv");
            File.WriteAllLines(path, ["u0,y0", .. Enumerable.Range(0, 200).Select(t => t == 120 ? "0.5,abc" : "0.5,0.25")]);

            var e = Assert.ThrowsAsync<ShardFailedException>(() => Trainer.FitAsync(
                new DistributedFitOptions { Network = TestShards.Network(), MaxAttempts = 2 }, [good[0], ShardReference.CsvFile(path), good[1]]));

            Assert.Multiple(() =>
            {
                Assert.That(e!.ShardName, Is.EqualTo("poisoned-shard.csv"));
                Assert.That(e.Message, Does.Contain("Shard poisoned-shard.csv failed on all 2 attempts").And.Contain("\"abc\" is not a number"));
                Assert.That(e.Attempts, Is.EqualTo(2));
                Assert.That(e.Status!.Phase, Is.EqualTo(JobPhase.Failed));
                Assert.That(e.Status.Shards[1].State, Is.EqualTo(ShardState.Failed));
            });
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public async Task FitAsync_AttemptGivenUpThatFinishesLate_CountedOnce()
    {
        var (shards, inputs, targets) = TestShards.Create(400, 4, 600, seed: 8);
        var slowed = 0;
        TestShards.Source.BeforeOpen = id =>
        {
            if (id == 401 && Interlocked.Exchange(ref slowed, 1) == 0)
            {
                Thread.Sleep(TimeSpan.FromSeconds(5));
            }
        };
        DistributedJobStatus? last = null;
        var lateResult = new TaskCompletionSource();
        var progress = new SyncProgress<DistributedJobStatus>(status =>
        {
            last = status;
            if (status.DuplicatesDiscarded > 0)
            {
                lateResult.TrySetResult();
            }
        });

        var result = await Trainer.FitAsync(new DistributedFitOptions { Network = TestShards.Network(), AttemptTimeout = TimeSpan.FromSeconds(2) },
            shards, progress);
        await lateResult.Task.WaitAsync(TimeSpan.FromSeconds(20));

        AssertBitIdentical(result.Network, ShardedFit.FitShards(TestShards.Network(), inputs, targets));
        Assert.Multiple(() =>
        {
            Assert.That(result.Status.FailedAttempts, Is.GreaterThanOrEqualTo(1), "the slow attempt was given up and re-run");
            Assert.That(result.Status.ReducedRowCount, Is.EqualTo(4 * (600 - 50)), "each shard's rows once");
            Assert.That(result.Status.Shards.Select(s => s.RowCount), Is.All.EqualTo(600 - 50));
            Assert.That(last!.DuplicatesDiscarded, Is.GreaterThanOrEqualTo(1), "the late result arrived and was dropped");
            Assert.That(last.ReducedRowCount, Is.EqualTo(4 * (600 - 50)), "and did not change the rows");
        });
    }

    [Test]
    public void FitAsync_NoShard_Throws()
    {
        var e = Assert.ThrowsAsync<ArgumentException>(() => Trainer.FitAsync(new DistributedFitOptions { Network = TestShards.Network() }, []));

        Assert.That(e!.ParamName, Is.EqualTo("shards"));
    }

    [Test]
    public void FitAsync_ZeroAttempts_ThrowsNamingTheOption()
    {
        var e = Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Trainer.FitAsync(
            new DistributedFitOptions { Network = TestShards.Network(), MaxAttempts = 0 }, [ShardReference.FromSource(0)]));

        Assert.That(e!.ParamName, Is.EqualTo(nameof(DistributedFitOptions.MaxAttempts)));
    }

    [Test]
    public void FitAsync_Composition_ThrowsNamingIt()
    {
        var network = TestShards.Network() with
        {
            Reservoir = null,
            Composition = ComposedReservoirOptions.Stack(3, [new ReservoirOptions { UnitCount = 10, Seed = 0 }, new ReservoirOptions { UnitCount = 10, Seed = 0 }]),
        };

        var e = Assert.ThrowsAsync<ArgumentException>(() => Trainer.FitAsync(new DistributedFitOptions { Network = network }, [ShardReference.FromSource(0)]));

        Assert.That(e!.ParamName, Is.EqualTo("Composition"));
        Assert.That(e.Message, Does.Contain("2 layers").And.Contain("ShardedFit.FitShards"));
    }
}
