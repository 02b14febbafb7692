using NUnit.Framework;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Tests.Pipelines;

[TestFixture]
public sealed class HierarchicalNetworkTests
{
    private static EchoStateNetworkOptions Network(int units, double leakRate, int seed) => new()
    {
        Reservoir = new ReservoirOptions { UnitCount = units, Seed = seed, LeakRates = leakRate, SpectralRadius = 0.9, InputConnectivity = 0.5, RecurrentConnectivity = 0.2 },
        Readout = new RidgeReadoutOptions { L2Regularization = 1e-6 },
        WashoutSteps = 50,
    };

    /// <summary>u uniform; stage 0 learns u(t−1), stage 1 learns u(t−1)·u(t−2) from stage 0's output (and u).</summary>
    private static (double[,] U, double[,] Y0, double[,] Y1) Task(int steps, int seed)
    {
        var u = TestData.Uniform(steps, 1, seed, 0.5);
        var y0 = new double[steps, 1];
        var y1 = new double[steps, 1];
        for (var t = 2; t < steps; t++)
        {
            y0[t, 0] = u[t - 1, 0];
            y1[t, 0] = u[t - 1, 0] * u[t - 2, 0];
        }

        return (u, y0, y1);
    }

    [Test]
    public void Fit_TwoStages_IntermediateReadoutLearnsItsOwnTarget()
    {
        var (u, y0, y1) = Task(2000, 1);
        var stages = new[]
        {
            new HierarchicalStageOptions { Network = Network(60, 0.8, 1) },
            new HierarchicalStageOptions { Network = Network(60, 0.8, 2), ReadsInput = true },
        };

        var model = HierarchicalNetwork.Fit(stages, Rows(u, 0, 1500), [Rows(y0, 0, 1500), Rows(y1, 0, 1500)]);
        var outputs = model.PredictStages(Rows(u, 1500, 500));

        Assert.That(Metrics.Nrmse(Column(Rows(y0, 1500, 500)), Column(outputs[0])), Is.LessThan(0.05), "stage 0 on its own target");
        Assert.That(Metrics.Nrmse(Column(Rows(y1, 1500, 500)), Column(outputs[1])), Is.LessThan(0.8), "stage 1 better than the mean");
        Assert.That(model.Stages[1].InputDimension, Is.EqualTo(2), "stage 0's output and u");
        Assert.That(model.Predict(Rows(u, 1500, 500)), Is.EqualTo(outputs[1]));
    }

    [Test]
    public void Fit_SecondStage_TrainedOnTheFirstStagesPredictions()
    {
        var (u, y0, y1) = Task(600, 2);
        var stages = new[]
        {
            new HierarchicalStageOptions { Network = Network(30, 0.8, 1) },
            new HierarchicalStageOptions { Network = Network(20, 0.5, 2) },
        };

        var model = HierarchicalNetwork.Fit(stages, u, [y0, y1]);

        var first = EchoStateNetwork.Fit(Network(30, 0.8, 1), u, y0);
        var second = EchoStateNetwork.Fit(Network(20, 0.5, 2), first.Predict(first.Reservoir.CreateState(), u), y1);
        Assert.That(model.Stages[0].Readout.GetWeights(), Is.EqualTo(first.Readout.GetWeights()));
        Assert.That(model.Stages[1].Readout.GetWeights(), Is.EqualTo(second.Readout.GetWeights()));
    }

    [Test]
    public void SaveLoad_ComposedStage_PredictsBitIdentically()
    {
        var (u, y0, y1) = Task(500, 3);
        var composed = new EchoStateNetworkOptions
        {
            Composition = ComposedReservoirOptions.Stack(4, [Network(20, 0.9, 0).Reservoir!, Network(15, 0.3, 0).Reservoir!]),
            RegularizationSearch = new RidgeCvOptions(),
            WashoutSteps = 50,
        };
        var model = HierarchicalNetwork.Fit(
            [new HierarchicalStageOptions { Network = Network(20, 0.8, 1) }, new HierarchicalStageOptions { Network = composed, ReadsInput = true }],
            Rows(u, 0, 400), [Rows(y0, 0, 400), Rows(y1, 0, 400)]);
        using var file = new MemoryStream();
        model.Save(file);
        file.Position = 0;

        var loaded = HierarchicalNetwork.Load(file);

        Assert.That(loaded.Predict(Rows(u, 400, 100)), Is.EqualTo(model.Predict(Rows(u, 400, 100))));
        Assert.That(loaded.ReadsInput(1), Is.True);
    }

    [Test]
    public void Fit_StageInputDimensionMismatch_ThrowsNamingTheStage()
    {
        var (u, y0, y1) = Task(200, 4);
        var bad = Network(10, 0.5, 2) with { Reservoir = Network(10, 0.5, 2).Reservoir! with { InputDimension = 3 } };

        var e = Assert.Throws<ArgumentException>(() => HierarchicalNetwork.Fit(
            [new HierarchicalStageOptions { Network = Network(10, 0.5, 1) }, new HierarchicalStageOptions { Network = bad }], u, [y0, y1]))!;

        Assert.That(e.Message, Does.Contain("stages[1].Network gives input dimension 3 but the stage reads 1 values"));
    }

    [Test]
    public void Fit_StageWashoutTooLong_KeepsTheOutOfRangeTypeAndNamesTheStage()
    {
        var (u, y0, y1) = Task(200, 6);
        var longWashout = Network(10, 0.5, 2) with { WashoutSteps = 500 };

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => HierarchicalNetwork.Fit(
            [new HierarchicalStageOptions { Network = Network(10, 0.5, 1) }, new HierarchicalStageOptions { Network = longWashout }], u, [y0, y1]))!;

        Assert.That(e.Message, Does.StartWith("Stage 1: "));
        Assert.That(e.ParamName, Is.Not.Null);
    }

    [Test]
    public void Fit_TargetCountDiffers_Throws()
    {
        var (u, y0, _) = Task(200, 5);
        var e = Assert.Throws<ArgumentException>(() => HierarchicalNetwork.Fit([new HierarchicalStageOptions { Network = Network(10, 0.5, 1) }], u, [y0, y0]))!;
        Assert.That(e.ParamName, Is.EqualTo("targets"));
    }

    private static double[,] Rows(double[,] values, int first, int count)
    {
        var columns = values.GetLength(1);
        var result = new double[count, columns];
        Array.Copy(values, first * columns, result, 0, count * columns);
        return result;
    }

    private static double[] Column(double[,] values) => Enumerable.Range(0, values.GetLength(0)).Select(t => values[t, 0]).ToArray();
}
