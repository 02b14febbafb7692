using NUnit.Framework;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Tests.Pipelines;

[TestFixture]
public sealed partial class EchoStateNetworkTests
{
    private const double SolverTolerance = 1e-9;

    private static EchoStateNetworkOptions Options(int seed = 3) => new()
    {
        Reservoir = new ReservoirOptions
        {
            UnitCount = 80, Seed = seed, InputDimension = 1, LeakRates = 0.5, SpectralRadius = 0.9,
            RecurrentConnectivity = 0.2, InputConnectivity = 0.5,
        },
        Readout = new RidgeReadoutOptions { L2Regularization = 1e-8 },
        WashoutSteps = 50,
    };

    /// <summary>Input u uniform in [−0.5, 0.5]; targets u(t−1) and u(t−2)·u(t−3) (memory and nonlinearity).</summary>
    private static (double[,] Inputs, double[,] Targets) DelayTask(int steps, int seed)
    {
        var u = TestData.Uniform(steps, 1, seed, 0.5);
        var y = new double[steps, 2];
        for (var t = 3; t < steps; t++)
        {
            y[t, 0] = u[t - 1, 0];
            y[t, 1] = u[t - 2, 0] * u[t - 3, 0];
        }

        return (u, y);
    }

    [Test]
    public void Fit_DelayTask_LearnsBothOutputs()
    {
        var (u, y) = DelayTask(3000, 1);
        var train = 2000;
        var esn = EchoStateNetwork.Fit(Options(), Slice(u, 0, train), Slice(y, 0, train));

        var prediction = esn.Predict(Slice(u, train, 1000));

        var truth = Slice(y, train, 1000);
        Assert.That(Metrics.Nrmse(Column(truth, 0), Column(prediction, 0)), Is.LessThan(0.05));
        Assert.That(Metrics.Nrmse(Column(truth, 1), Column(prediction, 1)), Is.LessThan(0.8), "better than the mean (1.0)");
        Assert.That(esn.OutputDimension, Is.EqualTo(2));
    }

    [Test]
    public void Fit_StreamedGram_EqualsBatchRidgeOnMaterialisedStates()
    {
        var (u, y) = DelayTask(700, 2);
        var options = Options() with { Readout = new RidgeReadoutOptions { L2Regularization = 1e-3 } };
        var esn = EchoStateNetwork.Fit(options, u, y);

        var states = new EchoStateReservoir(options.Reservoir!).Run(u, options.WashoutSteps);
        var rows = states.GetLength(0);
        var n = states.GetLength(1);
        var features = new double[rows, n + 1];
        for (var r = 0; r < rows; r++)
        {
            features[r, 0] = u[r + options.WashoutSteps, 0];
            for (var i = 0; i < n; i++)
            {
                features[r, i + 1] = states[r, i];
            }
        }

        var batch = new RidgeReadout(options.Readout).Fit(features, Slice(y, options.WashoutSteps, rows));

        Assert.That(TestData.MaxAbsDifference(esn.Readout.GetWeights(), batch.GetWeights()), Is.LessThan(SolverTolerance));
        Assert.That(esn.Readout.GetIntercept(), Is.EqualTo(batch.GetIntercept()).Within(SolverTolerance));
    }

    [Test]
    public void Predict_ContinuesFromTrainedState_AndLeavesTheNetworkUnchanged()
    {
        var (u, y) = DelayTask(600, 3);
        var esn = EchoStateNetwork.Fit(Options(), Slice(u, 0, 500), Slice(y, 0, 500));
        var test = Slice(u, 500, 100);

        var first = esn.Predict(test);
        var second = esn.Predict(test);
        var explicitState = esn.Predict(esn.CreateTrainedState(), test);
        var fromZero = esn.Predict(esn.Reservoir.CreateState(), test);

        Assert.That(second, Is.EqualTo(first));
        Assert.That(explicitState, Is.EqualTo(first));
        Assert.That(TestData.MaxAbsDifference(fromZero, first), Is.GreaterThan(1e-6), "the trained state matters");
    }

    [Test]
    public void Fit_SameSeed_IdenticalPredictions()
    {
        var (u, y) = DelayTask(400, 4);

        var a = EchoStateNetwork.Fit(Options(7), u, y).Predict(u);
        var b = EchoStateNetwork.Fit(Options(7), u, y).Predict(u);
        var c = EchoStateNetwork.Fit(Options(8), u, y).Predict(u);

        Assert.That(b, Is.EqualTo(a));
        Assert.That(c, Is.Not.EqualTo(a));
    }

    [Test]
    public void Fit_WithoutInputInReadout_UsesStatesOnly()
    {
        var (u, y) = DelayTask(400, 5);

        var esn = EchoStateNetwork.Fit(Options() with { ReadoutIncludesInput = false }, u, y);

        Assert.That(esn.Readout.FeatureCount, Is.EqualTo(80));
    }

    [Test]
    public void Fit_WithOutputFeedback_TeacherForcesThenFeedsBackPredictions()
    {
        // A sine continued from its own past: the feedback carries y(t−1).
        const int steps = 1200;
        var inputs = new double[steps, 1];
        var targets = new double[steps, 1];
        for (var t = 0; t < steps; t++)
        {
            inputs[t, 0] = 0.0;
            targets[t, 0] = Math.Sin(0.2 * t);
        }

        var options = Options() with
        {
            Reservoir = Options().Reservoir! with { FeedbackDimension = 1, FeedbackScaling = 0.5, BiasScaling = 0.2 },
        };
        var esn = EchoStateNetwork.Fit(options, Slice(inputs, 0, 1000), Slice(targets, 0, 1000));

        var prediction = esn.Predict(Slice(inputs, 1000, 50));

        var truth = Column(Slice(targets, 1000, 50), 0);
        Assert.That(Metrics.Rmse(truth, Column(prediction, 0)), Is.LessThan(0.05));
    }

    [Test]
    public void Fit_UnivariateOverload_EqualsMatrixOverload()
    {
        var (u, y) = DelayTask(300, 6);
        var series = Column(u, 0);
        var target = Column(y, 0);

        var a = EchoStateNetwork.Fit(Options(), series, target).Predict(series);
        var b = EchoStateNetwork.Fit(Options(), u, Slice2(y, 0)).Predict(u);

        Assert.That(a, Is.EqualTo(Column(b, 0)));
    }

    [Test]
    public void Fit_InputOnlyReadout_IsALinearModelOfTheInput()
    {
        // y = 2u + 1 exactly: an input-only readout recovers it.
        var u = TestData.Uniform(300, 1, 9);
        var y = new double[300, 1];
        for (var t = 0; t < 300; t++)
        {
            y[t, 0] = 2 * u[t, 0] + 1;
        }

        var esn = EchoStateNetwork.Fit(Options() with { ReadoutIncludesState = false }, u, y);

        Assert.That(esn.Readout.FeatureCount, Is.EqualTo(1));
        Assert.That(esn.Readout.GetWeights()[0, 0], Is.EqualTo(2.0).Within(1e-6));
        Assert.That(esn.Readout.GetIntercept()[0], Is.EqualTo(1.0).Within(1e-6));
        Assert.That(esn.Predict(new double[,] { { 0.5 } })[0, 0], Is.EqualTo(2.0).Within(1e-6));
    }

    [Test]
    public void Fit_NoReadoutFeatures_Throws()
    {
        var options = Options() with { ReadoutIncludesInput = false, ReadoutIncludesState = false };

        var error = Assert.Throws<ArgumentException>(() => EchoStateNetwork.Fit(options, new double[100, 1], new double[100, 1]));

        Assert.That(error!.ParamName, Is.EqualTo("ReadoutIncludesState"));
    }

    [Test]
    public void Fit_LengthsDiffer_ThrowsWithBothLengths()
    {
        var error = Assert.Throws<ArgumentException>(() => EchoStateNetwork.Fit(Options(), new double[100, 1], new double[99, 1]));

        Assert.That(error!.ParamName, Is.EqualTo("targets"));
        Assert.That(error.Message, Does.Contain("99").And.Contain("100"));
    }

    [Test]
    public void Fit_NaNInTargets_ThrowsNamingTheRow()
    {
        var targets = new double[100, 1];
        targets[60, 0] = double.NaN;

        var error = Assert.Throws<ArgumentException>(() => EchoStateNetwork.Fit(Options(), new double[100, 1], targets));

        Assert.That(error!.ParamName, Is.EqualTo("targets"));
        Assert.That(error.Message, Does.Contain("row 60"));
    }

    [TestCase(-1)]
    [TestCase(100)]
    public void Fit_WashoutNotShorterThanSequence_Throws(int washout)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            EchoStateNetwork.Fit(Options() with { WashoutSteps = washout }, new double[100, 1], new double[100, 1]));

        Assert.That(error!.ParamName, Is.EqualTo("WashoutSteps"));
    }

    [TestCase(-1e-3)]
    [TestCase(double.NaN)]
    public void Fit_NegativeRegularization_Throws(double lambda)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => EchoStateNetwork.Fit(
            Options() with { Readout = new RidgeReadoutOptions { L2Regularization = lambda } }, new double[100, 1], new double[100, 1]));

        Assert.That(error!.ParamName, Is.EqualTo("L2Regularization"));
    }

    [Test]
    public void Predict_WrongInputWidth_Throws()
    {
        var (u, y) = DelayTask(200, 7);
        var esn = EchoStateNetwork.Fit(Options(), u, y);

        var error = Assert.Throws<ArgumentException>(() => esn.Predict(new double[10, 2]));

        Assert.That(error!.Message, Does.Contain("Input has 2 features but the reservoir was built for 1."));
    }

    [Test]
    public void Fit_FeedbackDimensionDiffersFromTargets_Throws()
    {
        var options = Options() with { Reservoir = Options().Reservoir! with { FeedbackDimension = 1 } };

        var error = Assert.Throws<ArgumentException>(() => EchoStateNetwork.Fit(options, new double[100, 1], new double[100, 2]));

        Assert.That(error!.ParamName, Is.EqualTo("targets"));
    }

    private static double[,] Slice(double[,] matrix, int start, int count)
    {
        var columns = matrix.GetLength(1);
        var result = new double[count, columns];
        for (var r = 0; r < count; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                result[r, c] = matrix[start + r, c];
            }
        }

        return result;
    }

    private static double[,] Slice2(double[,] matrix, int column)
    {
        var result = new double[matrix.GetLength(0), 1];
        for (var r = 0; r < result.GetLength(0); r++)
        {
            result[r, 0] = matrix[r, column];
        }

        return result;
    }

    private static double[] Column(double[,] matrix, int column) =>
        Enumerable.Range(0, matrix.GetLength(0)).Select(r => matrix[r, column]).ToArray();
}
