using NUnit.Framework;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Tests.Pipelines;

[TestFixture]
public sealed class ForecastEngineTests
{
    private static double Signal(int t) => 0.6 * Math.Sin(0.17 * t) + 0.3 * Math.Sin(0.41 * t);

    private static double[] Signal(int start, int count) => Enumerable.Range(start, count).Select(t => Signal(t)).ToArray();

    private static EchoStateNetwork OneStep(bool feedback = false)
    {
        var series = Signal(0, 801);
        return EchoStateNetwork.Fit(new EchoStateNetworkOptions
        {
            Reservoir = new ReservoirOptions
            {
                UnitCount = 80, Seed = 4, LeakRates = 0.6, SpectralRadius = 0.9, InputConnectivity = 0.5, BiasScaling = 0.2,
                FeedbackDimension = feedback ? 1 : 0, FeedbackScaling = 0.3, StateNoise = 1e-6,
            },
            Readout = new RidgeReadoutOptions { L2Regularization = 1e-7 },
            WashoutSteps = 50,
            StandardizeTargets = true,
        }, series[..^1], series[1..]);
    }

    [Test]
    public void Predict_NewEngine_EqualsGenerateAfterTraining()
    {
        var model = OneStep();
        var engine = new ForecastEngine(model);

        Assert.That(engine.Predict(25), Is.EqualTo(model.Generate(25)));
        Assert.That(engine.LastObservation.ToArray(), Is.EqualTo(new[] { Signal(800) }));
    }

    [Test]
    public void Predict_DoesNotChangeTheState()
    {
        var engine = new ForecastEngine(OneStep());
        var first = engine.Predict(30);

        Assert.That(engine.Predict(30), Is.EqualTo(first));
        Assert.That(engine.Predict(10), Is.EqualTo(Slice(first, 10)));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Update_ThenPredict_TracksTheSeriesAndEqualsAWarmupRun(bool feedback)
    {
        var model = OneStep(feedback);
        var engine = new ForecastEngine(model);
        foreach (var value in Signal(801, 60))
        {
            engine.Update(value);
        }

        var forecast = engine.Predict(20);

        Assert.That(engine.UpdateCount, Is.EqualTo(60));
        Assert.That(Metrics.Rmse(Signal(861, 20), Column(forecast)), Is.LessThan(0.02));
        var continued = model.CreateTrainedState();
        var read = Signal(800, 60);
        var teacher = feedback ? model.TargetScaler!.Transform(ToMatrix(Signal(801, 60))) : null;
        model.Reservoir.Run(continued, ToMatrix(read), 0, teacher);
        Assert.That(forecast, Is.EqualTo(model.Generate(continued, [Signal(860)], 20)));
    }

    [Test]
    public void CheckPoint_Load_ResumesWithIdenticalForecastsAndUpdates()
    {
        var engine = new ForecastEngine(OneStep(feedback: true));
        foreach (var value in Signal(801, 30))
        {
            engine.Update(value);
        }

        using var checkpoint = new MemoryStream();
        engine.CheckPoint(checkpoint);
        checkpoint.Position = 0;
        var resumed = ForecastEngine.Load(checkpoint);

        Assert.That(resumed.Predict(15), Is.EqualTo(engine.Predict(15)));
        foreach (var value in Signal(831, 10))
        {
            engine.Update(value);
            resumed.Update(value);
        }

        Assert.That(resumed.Predict(15), Is.EqualTo(engine.Predict(15)));
        Assert.That(resumed.UpdateCount, Is.EqualTo(40));
    }

    [Test]
    public void CheckPoint_File_RoundTrips()
    {
        var engine = new ForecastEngine(OneStep());
        engine.Update(Signal(801));
        var path = Path.Combine(Path.GetTempPath(), $"reservoir-engine-{Guid.NewGuid():N}.rsvr");
        try
        {
            engine.CheckPoint(path);

            Assert.That(ForecastEngine.Load(path).Predict(12), Is.EqualTo(engine.Predict(12)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Update_UpperLayerDiverges_EngineUnchanged()
    {
        // The upper layer is linear with a huge input scaling, so one huge observation makes it, and only it, overflow.
        var series = Signal(0, 301);
        var composition = ComposedReservoirOptions.Stack(1,
        [
            new ReservoirOptions { UnitCount = 20, Seed = 0, LeakRates = 0.5, SpectralRadius = 0.9 },
            new ReservoirOptions { UnitCount = 20, Seed = 0, LeakRates = 0.5, SpectralRadius = 0.5, Activation = Activation.Identity, InputScaling = 1e10 },
        ], inputToEveryLayer: true);
        var network = EchoStateNetwork.Fit(new EchoStateNetworkOptions
        {
            Composition = composition, Readout = new RidgeReadoutOptions { L2Regularization = 1e-6 }, WashoutSteps = 20,
        }, series[..^1], series[1..]);
        var engine = new ForecastEngine(network);
        engine.Update(1e300);
        using var before = new MemoryStream();
        engine.CheckPoint(before);

        Assert.Throws<InvalidOperationException>(() => engine.Update(0.1));

        using var after = new MemoryStream();
        engine.CheckPoint(after);
        Assert.That(after.ToArray(), Is.EqualTo(before.ToArray()));
    }

    [Test]
    public void Predict_DirectForecaster_UsesTheReadoutsHorizons()
    {
        var series = ToMatrix(Signal(0, 900));
        var model = EchoStateNetwork.FitDirect(new EchoStateNetworkOptions
        {
            Reservoir = new ReservoirOptions { UnitCount = 80, Seed = 4, LeakRates = 0.6, InputConnectivity = 0.5 },
            Readout = new RidgeReadoutOptions { L2Regularization = 1e-7 },
            WashoutSteps = 50,
        }, [series], horizon: 6);
        var engine = new ForecastEngine(model);

        Assert.That(engine.Predict(6), Is.EqualTo(model.ForecastDirect()));
        engine.Update(Signal(900));
        Assert.That(Column(engine.Predict(4)), Is.EqualTo(Signal(901, 4)).Within(0.02));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => engine.Predict(7));
        Assert.That(error!.ParamName, Is.EqualTo("horizon"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Update_AfterWarmUp_AllocatesNothing(bool feedback)
    {
        var engine = new ForecastEngine(OneStep(feedback));
        double[] observation = [0.1];
        engine.Update(observation);

        var allocated = Allocations.Fewest(() =>
        {
            for (var t = 0; t < 100; t++)
            {
                observation[0] = Signal(801 + t);
                engine.Update(observation);
            }
        });

        Assert.That(allocated, Is.Zero);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Predict_IntoSpan_EqualsPredictAndAllocatesNothing(bool feedback)
    {
        var engine = new ForecastEngine(OneStep(feedback));
        var destination = new double[20];
        engine.Update(Signal(801));
        engine.Predict(20, destination);

        var allocated = Allocations.Fewest(() =>
        {
            for (var t = 0; t < 50; t++)
            {
                engine.Update(Signal(802 + t));
                engine.Predict(20, destination);
            }
        });

        Assert.That(allocated, Is.Zero);
        Assert.That(destination, Is.EqualTo(Column(engine.Predict(20))));
    }

    [Test]
    public void Predict_IntoSpan_DirectForecasterAllocatesNothing()
    {
        var model = EchoStateNetwork.FitDirect(new EchoStateNetworkOptions
        {
            Reservoir = new ReservoirOptions { UnitCount = 60, Seed = 4, LeakRates = 0.6, InputConnectivity = 0.5 },
            Readout = new RidgeReadoutOptions { L2Regularization = 1e-7 },
            WashoutSteps = 50,
            StandardizeInputs = true,
            StandardizeTargets = true,
        }, [ToMatrix(Signal(0, 600))], horizon: 5);
        var engine = new ForecastEngine(model);
        var destination = new double[4];
        engine.Predict(4, destination);

        var allocated = Allocations.Fewest(() =>
        {
            for (var t = 0; t < 50; t++)
            {
                engine.Update(Signal(600 + t));
                engine.Predict(4, destination);
            }
        });

        Assert.That(allocated, Is.Zero);
        Assert.That(destination, Is.EqualTo(Column(engine.Predict(4))));
    }

    [Test]
    public void Predict_IntoSpanOfWrongLength_Throws()
    {
        var engine = new ForecastEngine(OneStep());

        var error = Assert.Throws<ArgumentException>(() => engine.Predict(3, new double[4]));

        Assert.That(error!.ParamName, Is.EqualTo("destination"));
    }

    [Test]
    public void Predict_DirectForecasterOfHorizonOne_ForecastsDirectly()
    {
        var model = EchoStateNetwork.FitDirect(new EchoStateNetworkOptions
        {
            Reservoir = new ReservoirOptions { UnitCount = 60, Seed = 4, LeakRates = 0.6, InputConnectivity = 0.5 },
            Readout = new RidgeReadoutOptions { L2Regularization = 1e-7 },
            WashoutSteps = 50,
        }, [ToMatrix(Signal(0, 600))], horizon: 1);
        var engine = new ForecastEngine(model);

        Assert.That(engine.Predict(1), Is.EqualTo(model.ForecastDirect()));
        engine.Update(Signal(600));
        Assert.That(engine.Predict(1)[0, 0], Is.EqualTo(Signal(601)).Within(0.02));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Load_VersionOneCheckpoint_ResumesWithIdenticalForecasts(bool feedback)
    {
        var engine = new ForecastEngine(OneStep(feedback));
        foreach (var value in Signal(801, 12))
        {
            engine.Update(value);
        }

        // The layout of version 1: the network, the state, the last observation and the update count.
        var model = engine.Model;
        var state = model.CreateTrainedState();
        var teacher = feedback ? model.TargetScaler!.Transform(ToMatrix(Signal(801, 12))) : null;
        model.Reservoir.Run(state, ToMatrix(Signal(800, 12)), 0, teacher);
        if (feedback)
        {
            state.SetFeedback(model.TargetScaler!.Transform(ToMatrix([Signal(812)])).Cast<double>().ToArray());
        }

        using var checkpoint = new MemoryStream();
        ModelFile.Write(checkpoint, "ForecastEngine", writer =>
        {
            writer.WriteSectionHeader("ForecastEngine", 1);
            EchoStateNetworkSerializer.Write(writer, model);
            writer.WriteReservoirState(state);
            writer.WriteDoubles([Signal(812)]);
            writer.WriteInt64(12);
        });
        checkpoint.Position = 0;
        var resumed = ForecastEngine.Load(checkpoint);

        Assert.That(resumed.UpdateCount, Is.EqualTo(12));
        Assert.That(resumed.LastObservation.ToArray(), Is.EqualTo(engine.LastObservation.ToArray()));
        Assert.That(resumed.Predict(15), Is.EqualTo(engine.Predict(15)));
        engine.Update(Signal(813));
        resumed.Update(Signal(813));
        Assert.That(resumed.Predict(15), Is.EqualTo(engine.Predict(15)));
    }

    [Test]
    public void Update_NaN_ThrowsAndLeavesTheEngineUnchanged()
    {
        var engine = new ForecastEngine(OneStep());
        var before = engine.Predict(10);

        var error = Assert.Throws<ArgumentException>(() => engine.Update(double.NaN));

        Assert.That(error!.ParamName, Is.EqualTo("observation"));
        Assert.That(engine.Predict(10), Is.EqualTo(before));
        Assert.That(engine.UpdateCount, Is.Zero);
    }

    [Test]
    public void Update_WrongWidth_Throws()
    {
        var engine = new ForecastEngine(OneStep());

        var error = Assert.Throws<ArgumentException>(() => engine.Update([1.0, 2.0]));

        Assert.That(error!.Message, Does.Contain("observation has 2 values but the model reads 1"));
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void Predict_HorizonBelowOne_Throws(int horizon)
    {
        var engine = new ForecastEngine(OneStep());

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => engine.Predict(horizon));

        Assert.That(error!.ParamName, Is.EqualTo("horizon"));
    }

    [Test]
    public void Constructor_NetworkNotPredictingItsInput_Throws()
    {
        var model = EchoStateNetwork.Fit(new EchoStateNetworkOptions { Reservoir = new ReservoirOptions { UnitCount = 20, Seed = 1 } },
            new double[50, 1], new double[50, 2]);

        var error = Assert.Throws<ArgumentException>(() => _ = new ForecastEngine(model));

        Assert.That(error!.ParamName, Is.EqualTo("model"));
    }

    [Test]
    public void Load_TruncatedCheckpoint_ThrowsModelFormatException()
    {
        var engine = new ForecastEngine(OneStep());
        using var checkpoint = new MemoryStream();
        engine.CheckPoint(checkpoint);
        var bytes = checkpoint.ToArray();

        for (var length = 0; length < bytes.Length; length += 97)
        {
            Assert.Throws<ModelFormatException>(() => ForecastEngine.Load(new MemoryStream(bytes[..length])), $"length {length}");
        }
    }

    private static double[,] ToMatrix(double[] values)
    {
        var matrix = new double[values.Length, 1];
        for (var t = 0; t < values.Length; t++)
        {
            matrix[t, 0] = values[t];
        }

        return matrix;
    }

    private static double[] Column(double[,] matrix) =>
        Enumerable.Range(0, matrix.GetLength(0)).Select(r => matrix[r, 0]).ToArray();

    private static double[,] Slice(double[,] matrix, int rows)
    {
        var result = new double[rows, matrix.GetLength(1)];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < matrix.GetLength(1); c++)
            {
                result[r, c] = matrix[r, c];
            }
        }

        return result;
    }
}
