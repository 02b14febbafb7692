using NUnit.Framework;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Tests.Pipelines;

public sealed partial class EchoStateNetworkTests
{
    private static EchoStateNetworkOptions SineOptions(int seed = 5) => new()
    {
        Reservoir = new ReservoirOptions
        {
            UnitCount = 100, Seed = seed, LeakRates = 0.5, SpectralRadius = 0.95, RecurrentConnectivity = 0.1,
            InputConnectivity = 0.5, BiasScaling = 0.2,
        },
        Readout = new RidgeReadoutOptions { L2Regularization = 1e-8 },
        WashoutSteps = 100,
    };

    /// <summary>Two superimposed sines, period about 31 and 13 steps.</summary>
    private static double[] Wave(int length, int start = 0) =>
        Enumerable.Range(start, length).Select(t => 0.5 * Math.Sin(0.2 * t) + 0.3 * Math.Sin(0.5 * t)).ToArray();

    private static double[,] Column(double[] values)
    {
        var column = new double[values.Length, 1];
        for (var t = 0; t < values.Length; t++)
        {
            column[t, 0] = values[t];
        }

        return column;
    }

    private static (double[,] Inputs, double[,] Targets) NextStep(double[] series) =>
        (Column(series[..^1]), Column(series[1..]));

    [Test]
    public void Generate_AfterTraining_FollowsTheSignalInClosedLoop()
    {
        var series = Wave(1201);
        var (inputs, targets) = NextStep(series);
        var esn = EchoStateNetwork.Fit(SineOptions(), inputs, targets);

        var generated = esn.Generate(200);

        var truth = Wave(200, start: 1201);
        Assert.That(generated.GetLength(0), Is.EqualTo(200));
        Assert.That(Metrics.ValidPredictionTime(truth, Column(generated, 0), 0.05), Is.EqualTo(200));
    }

    [Test]
    public void Generate_FromWarmup_EqualsExplicitStateAndLastObservation()
    {
        var (inputs, targets) = NextStep(Wave(801));
        var esn = EchoStateNetwork.Fit(SineOptions(), inputs, targets);
        var warmup = Column(Wave(150, start: 2000));

        var fromWarmup = esn.Generate(warmup, 50);

        var state = esn.Reservoir.CreateState();
        esn.Reservoir.Run(state, Column(Wave(149, start: 2000)));
        var explicitState = esn.Generate(state, [warmup[149, 0]], 50);
        Assert.That(fromWarmup, Is.EqualTo(explicitState));
        Assert.That(Metrics.Rmse(Wave(50, start: 2150), Column(fromWarmup, 0)), Is.LessThan(0.05));
    }

    [Test]
    public void Generate_EqualsOneStepPredictionsFedBackByHand_AndDoesNotChangeTheNetwork()
    {
        var series = Wave(601);
        var (inputs, targets) = NextStep(series);
        var esn = EchoStateNetwork.Fit(SineOptions(), inputs, targets);
        var before = esn.Predict(inputs);

        var generated = esn.Generate(30);

        // The closed loop written out: from the trained state, predict one step from the last observation, feed it back.
        var state = esn.CreateTrainedState();
        var observation = series[^1];
        for (var t = 0; t < 30; t++)
        {
            observation = esn.Predict(state, new[,] { { observation } })[0, 0];
            Assert.That(generated[t, 0], Is.EqualTo(observation), $"step {t}");
        }

        Assert.That(Column(esn.Generate(60), 0)[..30], Is.EqualTo(Column(generated, 0)), "a second call starts from the same state");
        Assert.That(esn.Predict(inputs), Is.EqualTo(before), "teacher-forced prediction is unchanged");
    }

    [TestCase(0)]
    [TestCase(-3)]
    public void Generate_HorizonBelowOne_Throws(int horizon)
    {
        var (inputs, targets) = NextStep(Wave(301));
        var esn = EchoStateNetwork.Fit(SineOptions(), inputs, targets);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => esn.Generate(horizon));

        Assert.That(error!.ParamName, Is.EqualTo("horizon"));
    }

    [Test]
    public void Generate_OutputWidthDiffersFromInput_Throws()
    {
        var series = Wave(301);
        var targets = new double[300, 2];
        for (var t = 0; t < 300; t++)
        {
            targets[t, 0] = series[t + 1];
            targets[t, 1] = -series[t + 1];
        }

        var esn = EchoStateNetwork.Fit(SineOptions(), Column(series[..^1]), targets);

        var error = Assert.Throws<InvalidOperationException>(() => esn.Generate(5));

        Assert.That(error!.Message, Does.Contain("OutputDimension (2) == InputDimension (1)"));
    }

    [Test]
    public void Generate_WithOutputFeedback_FeedsOutputsThroughWfb()
    {
        var options = SineOptions() with
        {
            Reservoir = SineOptions().Reservoir! with { FeedbackDimension = 1, FeedbackScaling = 0.3 },
        };
        var (inputs, targets) = NextStep(Wave(1201));
        var esn = EchoStateNetwork.Fit(options, inputs, targets);

        var generated = esn.Generate(100);

        Assert.That(Metrics.ValidPredictionTime(Wave(100, start: 1201), Column(generated, 0), 0.05), Is.EqualTo(100));
    }

    [Test]
    public void FitDirect_ForecastsEveryHorizonAtOnce()
    {
        const int horizon = 8;
        var series = Column(Wave(1500));

        var esn = EchoStateNetwork.FitDirect(SineOptions(), [series], horizon);
        var forecast = esn.ForecastDirect();

        Assert.That(esn.Horizon, Is.EqualTo(horizon));
        Assert.That(esn.OutputDimension, Is.EqualTo(horizon));
        Assert.That(forecast.GetLength(0), Is.EqualTo(horizon));
        Assert.That(Column(forecast, 0), Is.EqualTo(Wave(horizon, start: 1500)).Within(0.02));
    }

    [Test]
    public void ForecastDirect_StandardizedTargets_SameForecastsAsRawTargets()
    {
        // With an intercept, ridge is equivariant to an affine change of each target column, so standardising the
        // H stacked targets must not change the forecasts once they are mapped back, horizon by horizon.
        var series = Column(Wave(1500).Select(v => 3 + 5 * v).ToArray());
        var raw = EchoStateNetwork.FitDirect(SineOptions() with { StandardizeTargets = false }, [series], horizon: 6);
        var standardized = EchoStateNetwork.FitDirect(SineOptions() with { StandardizeTargets = true }, [series], horizon: 6);

        Assert.That(Column(standardized.ForecastDirect(), 0), Is.EqualTo(Column(raw.ForecastDirect(), 0)).Within(1e-6));
    }

    [Test]
    public void FitDirect_GenerateAndForecastDirectAreNotMixedUp()
    {
        var direct = EchoStateNetwork.FitDirect(SineOptions(), [Column(Wave(400))], 3);
        var (inputs, targets) = NextStep(Wave(400));
        var ordinary = EchoStateNetwork.Fit(SineOptions(), inputs, targets);

        Assert.Throws<InvalidOperationException>(() => direct.Generate(3));
        Assert.Throws<InvalidOperationException>(() => ordinary.ForecastDirect());
    }

    [Test]
    public void FitDirect_SeriesTooShort_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            EchoStateNetwork.FitDirect(SineOptions(), [Column(Wave(105))], horizon: 5));

        Assert.That(error!.ParamName, Is.EqualTo("series"));
    }

    [Test]
    public void FitDirect_HorizonBelowOne_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            EchoStateNetwork.FitDirect(SineOptions(), [Column(Wave(400))], horizon: 0));

        Assert.That(error!.ParamName, Is.EqualTo("horizon"));
    }
}
