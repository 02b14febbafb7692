using NUnit.Framework;
using Reservoir.Datasets;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Tests.Pipelines;

[TestFixture]
public sealed class ShardedFitTests
{
    private static (double[][,] Inputs, double[][,] Targets) Shards(int count, int length, int seed)
    {
        var series = MackeyGlass.Generate(count * length + 1, seed);
        var inputs = new double[count][,];
        var targets = new double[count][,];
        for (var s = 0; s < count; s++)
        {
            inputs[s] = new double[length, 1];
            targets[s] = new double[length, 1];
            for (var t = 0; t < length; t++)
            {
                inputs[s][t, 0] = series[s * length + t];
                targets[s][t, 0] = series[s * length + t + 1];
            }
        }

        return (inputs, targets);
    }

    private static EchoStateNetworkOptions Options(bool searchLambda) => new()
    {
        Reservoir = new ReservoirOptions { UnitCount = 40, SpectralRadius = 1.1, LeakRates = 0.3, Seed = 7 },
        Readout = new RidgeReadoutOptions { L2Regularization = 1e-6 },
        RegularizationSearch = searchLambda ? new RidgeCvOptions { L2Grid = [1e-8, 1e-5, 1e-2], Method = RidgeCvMethod.TimeBlockedKFold } : null,
        CrossValidationFolds = 3,
        WashoutSteps = 50,
    };

    [TestCase(false, 1)]
    [TestCase(false, 4)]
    [TestCase(true, 4)]
    public void FitShards_SameShards_BitIdenticalToFitOverSequences(bool searchLambda, int shardCount)
    {
        // 1 300 steps a shard: two blocks of 1 024 rows, so block boundaries and the washout both matter.
        var (inputs, targets) = Shards(shardCount, 1300, seed: 3);
        var options = Options(searchLambda);

        var sharded = ShardedFit.FitShards(options, inputs, targets);
        var whole = EchoStateNetwork.Fit(options, inputs, targets, maxDegreeOfParallelism: 1);

        Assert.Multiple(() =>
        {
            Assert.That(sharded.Readout.GetWeights(), Is.EqualTo(whole.Readout.GetWeights()));
            Assert.That(sharded.Readout.GetIntercept(), Is.EqualTo(whole.Readout.GetIntercept()));
            Assert.That(sharded.L2Regularization, Is.EqualTo(whole.L2Regularization));
            Assert.That(sharded.StateSaturation, Is.EqualTo(whole.StateSaturation));
            Assert.That(sharded.Predict(inputs[0]), Is.EqualTo(whole.Predict(inputs[0])), "continues from the same state");
        });
    }

    [Test]
    public void FitShards_Composition_BitIdenticalToFitOverSequences()
    {
        var (inputs, targets) = Shards(3, 700, seed: 5);
        var options = Options(true) with
        {
            Reservoir = null,
            Composition = ComposedReservoirOptions.Stack(11,
            [
                new ReservoirOptions { UnitCount = 20, Seed = 0, LeakRates = 0.8 },
                new ReservoirOptions { UnitCount = 20, Seed = 0, LeakRates = 0.2 },
            ]),
        };

        var sharded = ShardedFit.FitShards(options, inputs, targets);
        var whole = EchoStateNetwork.Fit(options, inputs, targets, maxDegreeOfParallelism: 1);

        Assert.Multiple(() =>
        {
            Assert.That(sharded.Composition.Layers, Has.Length.EqualTo(2));
            Assert.That(sharded.Readout.GetWeights(), Is.EqualTo(whole.Readout.GetWeights()));
            Assert.That(sharded.Readout.GetIntercept(), Is.EqualTo(whole.Readout.GetIntercept()));
            Assert.That(sharded.L2Regularization, Is.EqualTo(whole.L2Regularization));
            Assert.That(sharded.Predict(sharded.CreateTrainedComposedState(), inputs[0]),
                Is.EqualTo(whole.Predict(whole.CreateTrainedComposedState(), inputs[0])), "continues from the same state");
        });
    }

    [Test]
    public void Solve_ShardsOutOfOrder_ThrowsNamingTheShard()
    {
        var (inputs, targets) = Shards(2, 200, seed: 4);
        var plan = new ShardPlan(Options(false), [200, 200]);
        var first = ShardedFit.AccumulateShard(plan, 0, inputs[0], targets[0]);
        var second = ShardedFit.AccumulateShard(plan, 1, inputs[1], targets[1]);

        var e = Assert.Throws<ArgumentException>(() => ShardedFit.Solve(plan, [second, first]));

        Assert.That(e!.Message, Does.Contain("shards[0] is the result of shard 1"));
    }

    [Test]
    public void Constructor_StandardizeInputs_ThrowsNamingTheOption()
    {
        var e = Assert.Throws<ArgumentException>(() => new ShardPlan(Options(false) with { StandardizeInputs = true }, [200]));

        Assert.That(e!.ParamName, Is.EqualTo(nameof(EchoStateNetworkOptions.StandardizeInputs)));
    }

    [Test]
    public void Constructor_ShardNotLongerThanWashout_ThrowsNamingWashout()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ShardPlan(Options(false), [200, 50]));

        Assert.That(e!.ParamName, Is.EqualTo(nameof(EchoStateNetworkOptions.WashoutSteps)));
        Assert.That(e.Message, Does.Contain("shard 1 of 50 steps"));
    }

    [Test]
    public void GetFirstRow_Shards_CountsRowsAfterEachWashout()
    {
        var plan = new ShardPlan(Options(false), [200, 300, 100]);

        Assert.Multiple(() =>
        {
            Assert.That(plan.GetFirstRow(2), Is.EqualTo(150 + 250));
            Assert.That(plan.RowCount, Is.EqualTo(150 + 250 + 50));
        });
    }
    [Test]
    public void Add_ShardsOutOfOrder_SolvesBitIdenticallyHoldingOnlyTheEarlyOnes()
    {
        var (inputs, targets) = Shards(4, 300, seed: 5);
        var options = Options(searchLambda: true);
        var plan = new ShardPlan(options, [300, 300, 300, 300]);
        var shards = Enumerable.Range(0, 4).Select(i => ShardedFit.AccumulateShard(plan, i, inputs[i], targets[i])).ToArray();
        var reducer = new ShardReducer(plan);

        reducer.Add(shards[2]);
        reducer.Add(shards[1]);
        var waiting = reducer.WaitingShards;
        reducer.Add(shards[0]);
        var merged = reducer.MergedShards;
        reducer.Add(shards[3]);
        var network = reducer.Solve();

        var reference = ShardedFit.FitShards(options, inputs, targets);
        Assert.Multiple(() =>
        {
            Assert.That(waiting, Is.EqualTo(2));
            Assert.That(merged, Is.EqualTo(3));
            Assert.That(network.Readout.GetWeights(), Is.EqualTo(reference.Readout.GetWeights()));
            Assert.That(network.L2Regularization, Is.EqualTo(reference.L2Regularization));
        });
    }

    [Test]
    public void Add_SameShardTwice_ThrowsAndSolveNamesTheMissingShard()
    {
        var (inputs, targets) = Shards(2, 200, seed: 6);
        var plan = new ShardPlan(Options(false), [200, 200]);
        var reducer = new ShardReducer(plan);
        reducer.Add(ShardedFit.AccumulateShard(plan, 1, inputs[1], targets[1]));

        var twice = Assert.Throws<ArgumentException>(() => reducer.Add(ShardedFit.AccumulateShard(plan, 1, inputs[1], targets[1])));
        var missing = Assert.Throws<InvalidOperationException>(() => reducer.Solve());

        Assert.That(twice!.Message, Does.Contain("Shard 1 was added already"));
        Assert.That(missing!.Message, Does.Contain("Shard 0 of 2 has not been added"));
    }

    [Test]
    public void Add_ShardInconsistentWithThePlan_ThrowsAndTheShardCanStillBeAdded()
    {
        var (inputs, targets) = Shards(1, 200, seed: 7);
        var plan = new ShardPlan(Options(false), [200]);
        var good = ShardedFit.AccumulateShard(plan, 0, inputs[0], targets[0]);
        ShardStatistics With(long rowCount, int inputWidth) => new(0, [.. good.Folds], rowCount, good.StateValueCount, good.SaturatedCount,
            good.MaxAbsState, new double[inputWidth], good.LastTarget.AsSpan(), good.FinalState.AsSpan());
        var reducer = new ShardReducer(plan);

        var rows = Assert.Throws<ArgumentException>(() => reducer.Add(With(1, 1)));
        var lastInput = Assert.Throws<ArgumentException>(() => reducer.Add(With(good.RowCount, 5)));
        reducer.Add(good);

        Assert.Multiple(() =>
        {
            Assert.That(rows!.Message, Does.Contain("reports 1 rows").And.Contain("gives it 150"));
            Assert.That(lastInput!.Message, Does.Contain("last input of 5 values"));
            Assert.That(reducer.MergedShards, Is.EqualTo(1), "a refused shard is not counted, so its good statistics still are");
        });
    }
}
