using Microsoft.ML;
using NUnit.Framework;
using Reservoir.Pipelines;
using Reservoir.Pipelines.MLNet;

namespace Reservoir.Tests.Pipelines.MLNet;

public sealed class EsnForecastingEstimatorTests
{
    /// <summary>Float outputs against double core results computed by another path (blocked runs vs single steps).</summary>
    private const double CoreTolerance = 1e-5;

    private readonly MLContext _context = new(seed: 0);

    [Test]
    public void Contract_WithBounds_Holds()
    {
        var estimator = _context.Forecasting.ForecastByEsn("Forecast", "Input", horizon: 3, unitCount: 20, leakRate: 0.5, seed: 3,
            washoutSteps: 10, confidenceLowerBoundColumn: "Lower", confidenceUpperBoundColumn: "Upper");
        EstimatorContract.Check(estimator, TestData.Sine(_context, 120), TestData.Doubles(_context, 5));
    }

    [Test]
    public void Transform_Direct_EqualsCoreForecastDirect()
    {
        var series = Seasonal(200, noise: 0.1, seed: 1);
        var transformer = Estimator(horizon: 4).Fit(Load(series));
        var forecasts = EstimatorContract.Read(transformer.Transform(Load(series)), "Forecast");

        var network = transformer.Network!;
        Assert.That(network.Horizon, Is.EqualTo(4));
        foreach (var t in new[] { 0, 37, 150, 199 })
        {
            var state = network.Reservoir.CreateState();
            var prefix = Column(series[..(t + 1)]);
            network.Reservoir.Run(state, network.InputScaler!.Transform(prefix));
            var expected = network.ForecastDirect(state, [series[t]]);
            for (var k = 0; k < 4; k++)
            {
                Assert.That(forecasts[t][k], Is.EqualTo(expected[k, 0]).Within(CoreTolerance), $"row {t}, step {k + 1}");
            }
        }
    }

    [Test]
    public void Transform_ClosedLoop_EqualsCoreGenerate()
    {
        var series = Seasonal(200, noise: 0.02, seed: 2);
        var estimator = _context.Forecasting.ForecastByEsn(new EsnForecastingEstimator.Options
        {
            OutputColumnName = "Forecast",
            InputColumnName = "Value",
            Horizon = 5,
            Method = EsnForecastMethod.ClosedLoop,
            UnitCount = 30,
            LeakRate = 0.5,
            WashoutSteps = 20,
            L2Regularization = 1e-4,
        });
        var transformer = estimator.Fit(Load(series));
        var forecasts = EstimatorContract.Read(transformer.Transform(Load(series)), "Forecast");

        Assert.That(transformer.Network!.Horizon, Is.EqualTo(1));
        foreach (var t in new[] { 0, 60, 199 })
        {
            var expected = transformer.Network!.Generate(Column(series[..(t + 1)]), 5);
            for (var k = 0; k < 5; k++)
            {
                Assert.That(forecasts[t][k], Is.EqualTo(expected[k, 0]).Within(CoreTolerance), $"row {t}, step {k + 1}");
            }
        }
    }

    [Test]
    public void Transform_OrderedView_OneCursorNoShuffle()
    {
        var series = Seasonal(120, noise: 0.1, seed: 3);
        var output = Estimator(horizon: 2).Fit(Load(series)).Transform(Load(series));

        Assert.That(output.CanShuffle, Is.False);
        Assert.That(output.GetRowCursorSet(output.Schema, 4), Has.Length.EqualTo(1));
        Assert.That(EstimatorContract.Read(output, "Forecast"), Is.EqualTo(EstimatorContract.Read(output, "Forecast")));
    }

    [Test]
    public void Bounds_NoisySeasonalSeries_CoverAboutTheLevel()
    {
        const int train = 800;
        const int test = 400;
        const int horizon = 3;
        var series = Seasonal(train + test, noise: 0.3, seed: 4);
        var transformer = Estimator(horizon, bounds: true).Fit(Load(series[..train]));
        var output = transformer.Transform(Load(series));
        var forecast = EstimatorContract.Read(output, "Forecast");
        var lower = EstimatorContract.Read(output, "Lower");
        var upper = EstimatorContract.Read(output, "Upper");

        for (var k = 0; k < horizon; k++)
        {
            var inside = 0;
            var count = 0;
            for (var t = train; t + k + 1 < series.Length; t++)
            {
                Assert.That(lower[t][k], Is.LessThanOrEqualTo(forecast[t][k]), $"row {t}");
                Assert.That(upper[t][k], Is.GreaterThanOrEqualTo(forecast[t][k]), $"row {t}");
                var truth = series[t + k + 1];
                inside += truth >= lower[t][k] && truth <= upper[t][k] ? 1 : 0;
                count++;
            }

            var coverage = (double)inside / count;
            TestContext.Out.WriteLine($"step {k + 1}: coverage {coverage:F3}");
            Assert.That(coverage, Is.InRange(0.88, 0.99), $"coverage of step {k + 1} for a 95 % level");
        }
    }

    [Test]
    public void Bounds_HigherLevel_WiderBounds()
    {
        var series = Seasonal(400, noise: 0.3, seed: 5);
        var narrow = Estimator(2, bounds: true, level: 0.5f).Fit(Load(series));
        var wide = Estimator(2, bounds: true, level: 0.95f).Fit(Load(series));

        for (var k = 0; k < 2; k++)
        {
            Assert.That(wide.UpperBoundOffsets[k] - wide.LowerBoundOffsets[k],
                Is.GreaterThan(narrow.UpperBoundOffsets[k] - narrow.LowerBoundOffsets[k]));
        }
    }

    [Test]
    public void Engine_PredictSequence_EqualsTransformRows()
    {
        const int train = 250;
        var series = Seasonal(train + 40, noise: 0.1, seed: 6);
        var transformer = Estimator(horizon: 3, bounds: true).Fit(Load(series[..train]));
        var output = transformer.Transform(Load(series));
        var forecast = EstimatorContract.Read(output, "Forecast");
        var upper = EstimatorContract.Read(output, "Upper");

        var engine = transformer.CreateTimeSeriesEngine<Observation, Prediction>(_context);
        var first = engine.Predict();
        Assert.That(first.Forecast, Is.EqualTo(forecast[train - 1]), "Predict() after training forecasts from the last training row");
        for (var t = train; t < series.Length; t++)
        {
            var prediction = engine.Predict(new Observation { Value = series[t] });
            Assert.That(prediction.Forecast, Is.EqualTo(forecast[t]), $"row {t}");
            Assert.That(prediction.Upper, Is.EqualTo(upper[t]), $"row {t}");
        }

        Assert.That(engine.UpdateCount, Is.EqualTo(40));
        Assert.That(engine.Predict(new Observation { Value = 0.5f }, horizon: 2).Forecast, Has.Length.EqualTo(2));
    }

    [TestCase(EsnForecastMethod.Direct)]
    [TestCase(EsnForecastMethod.ClosedLoop)]
    public void Engine_CheckPointThenLoad_IdenticalForecasts(EsnForecastMethod method)
    {
        var series = Seasonal(260, noise: 0.1, seed: 7);
        var estimator = _context.Forecasting.ForecastByEsn(new EsnForecastingEstimator.Options
        {
            OutputColumnName = "Forecast",
            InputColumnName = "Value",
            Horizon = 4,
            Method = method,
            UnitCount = 30,
            LeakRate = 0.5,
            WashoutSteps = 20,
            ConfidenceLowerBoundColumn = "Lower",
            ConfidenceUpperBoundColumn = "Upper",
        });
        var engine = estimator.Fit(Load(series[..200])).CreateTimeSeriesEngine<Observation, Prediction>(_context);
        for (var t = 200; t < 230; t++)
        {
            engine.Predict(new Observation { Value = series[t] });
        }

        var path = Path.Combine(Path.GetTempPath(), $"reservoir-engine-{Guid.NewGuid():N}.zip");
        using var stream = new MemoryStream();
        try
        {
            engine.CheckPoint(path);
            engine.CheckPoint(stream);
            stream.Position = 0;
            var fromFile = EsnTimeSeriesEngine<Observation, Prediction>.Load(new MLContext(seed: 9), path);
            var fromStream = new MLContext(seed: 10).Model.LoadPipeline(stream, out _)
                .CreateEsnTimeSeriesEngine<Observation, Prediction>(new MLContext(seed: 11));

            Assert.That(fromFile.UpdateCount, Is.EqualTo(30));
            AssertSame(engine.Predict(), fromFile.Predict());
            AssertSame(engine.Predict(), fromStream.Predict());
            for (var t = 230; t < series.Length; t++)
            {
                var observation = new Observation { Value = series[t] };
                var expected = engine.Predict(observation);
                AssertSame(expected, fromFile.Predict(observation));
                AssertSame(expected, fromStream.Predict(observation));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Exogenous_DrivingColumn_ImprovesTheForecast()
    {
        // y(t+1) = 0.9·x(t) + small noise, with x white noise: y is unpredictable from its own past, predictable from x.
        const int length = 500;
        var random = new Random(8);
        var driver = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var value = new float[length];
        for (var t = 1; t < length; t++)
        {
            value[t] = (float)(0.9 * driver[t - 1] + 0.05 * (random.NextDouble() - 0.5));
        }

        var rows = Enumerable.Range(0, length).Select(t => new Observation { Value = value[t], Driver = driver[t] }).ToArray();
        var train = _context.Data.LoadFromEnumerable(rows[..400]);
        var all = _context.Data.LoadFromEnumerable(rows);
        double Error(string[]? exogenous)
        {
            var output = _context.Forecasting.ForecastByEsn("Forecast", "Value", horizon: 1, unitCount: 40, washoutSteps: 10,
                exogenousColumnNames: exogenous).Fit(train).Transform(all);
            var forecast = EstimatorContract.Read(output, "Forecast");
            return Enumerable.Range(400, length - 401).Average(t => Math.Abs(forecast[t][0] - value[t + 1]));
        }

        var without = Error(null);
        var with = Error(["Driver"]);
        TestContext.Out.WriteLine($"MAE with {with}, without {without}");

        Assert.That(with, Is.LessThan(0.25 * without), $"mean absolute error with the driver {with}, without {without}");
    }

    [Test]
    public void PredictionEngine_OneRowAtATime_EqualsBatchTransform()
    {
        var series = Seasonal(150, noise: 0.1, seed: 9);
        var transformer = Estimator(horizon: 2).Fit(Load(series));
        var batch = EstimatorContract.Read(transformer.Transform(Load(series)), "Forecast");

        var engine = _context.Model.CreatePredictionEngine<Observation, ForecastOnly>(transformer);
        for (var t = 0; t < series.Length; t++)
        {
            Assert.That(engine.Predict(new Observation { Value = series[t] }).Forecast, Is.EqualTo(batch[t]), $"row {t}");
        }
    }

    [Test]
    public void RowMapper_RowWithoutPosition_ThrowsNamingTheEngineInsteadOfZeros()
    {
        // A generic engine (Microsoft.ML.TimeSeries' CreateTimeSeriesEngine on a loaded pipeline) asks the row mapper for a
        // forecast from a row that no ordered pass produced; the outputs must not be the buffers' initial zeros.
        var series = Seasonal(150, noise: 0.1, seed: 9);
        var data = Load(series);
        var stream = new MemoryStream();
        _context.Model.SavePipeline(Estimator(horizon: 3).Fit(data), data.Schema, stream);
        stream.Position = 0;
        var loaded = new MLContext(seed: 1).Model.LoadPipeline(stream, out _);
        var mapper = loaded.GetRowToRowMapper(data.Schema);
        using var cursor = data.GetRowCursor(data.Schema);
        var row = mapper.GetRow(cursor, mapper.OutputSchema);
        var getter = row.GetGetter<Microsoft.ML.Data.VBuffer<float>>(row.Schema["Forecast"]);
        var forecast = default(Microsoft.ML.Data.VBuffer<float>);

        var error = Assert.Throws<InvalidOperationException>(() => getter(ref forecast));

        Assert.That(error!.Message, Does.Contain("CreateEsnTimeSeriesEngine").And.Contain("Position -1"));
    }

    [Test]
    public void Read_VersionOneSegment_LoadsAndForecastsAsTheTransformerThatWroteIt()
    {
        // The layout of version 1 (before the automatic forecaster): no kind flag after the section header.
        var series = Seasonal(150, noise: 0.1, seed: 12);
        var transformer = Estimator(horizon: 3, bounds: true).Fit(Load(series));
        var writer = new ModelWriter();
        writer.WriteSectionHeader(EsnForecastingTransformer.Kind, 1);
        writer.WriteEnum(transformer.Method);
        writer.WriteInt32(transformer.Horizon);
        writer.WriteString(transformer.InputColumnName);
        writer.WriteInt32(0);
        writer.WriteString(transformer.OutputColumnName);
        writer.WriteBoolean(true);
        writer.WriteString(transformer.ConfidenceLowerBoundColumn!);
        writer.WriteString(transformer.ConfidenceUpperBoundColumn!);
        writer.WriteDouble(transformer.ConfidenceLevel);
        writer.WriteDoubles(transformer.LowerBoundOffsets);
        writer.WriteDoubles(transformer.UpperBoundOffsets);
        EchoStateNetworkSerializer.Write(writer, transformer.Network!);
        ForecastPosition.AfterTraining(transformer.Network!).Write(writer);

        var loaded = EsnForecastingTransformer.Read(new ModelReader(writer.WrittenSpan.ToArray()));

        Assert.That(loaded.Model, Is.Null);
        AssertSame(transformer.CreateTimeSeriesEngine<Observation, Prediction>(_context).Predict(),
            loaded.CreateTimeSeriesEngine<Observation, Prediction>(_context).Predict());
    }

    [TestCase(0)]
    [TestCase(-3)]
    public void Constructor_HorizonBelowOne_Throws(int horizon)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _context.Forecasting.ForecastByEsn("Forecast", "Value", horizon));
        Assert.That(error!.ParamName, Is.EqualTo("horizon"));
        Assert.That(error.Message, Does.Contain($"was {horizon}"));
    }

    [TestCase(0f)]
    [TestCase(1f)]
    [TestCase(-0.5f)]
    [TestCase(float.NaN)]
    public void Constructor_ConfidenceLevelOutsideUnitInterval_Throws(float level)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _context.Forecasting.ForecastByEsn("Forecast", "Value", 2,
            confidenceLowerBoundColumn: "Lower", confidenceUpperBoundColumn: "Upper", confidenceLevel: level));
        Assert.That(error!.ParamName, Is.EqualTo("confidenceLevel"));
        Assert.That(error.Message, Does.Contain("(0, 1)"));
    }

    [Test]
    public void Constructor_OnlyOneBoundColumn_Throws() =>
        Assert.Throws<ArgumentException>(() => _context.Forecasting.ForecastByEsn("Forecast", "Value", 2, confidenceLowerBoundColumn: "Lower"));

    [Test]
    public void Constructor_ClosedLoopWithExogenous_ThrowsNamingDirect()
    {
        var error = Assert.Throws<ArgumentException>(() => _context.Forecasting.ForecastByEsn(new EsnForecastingEstimator.Options
        {
            OutputColumnName = "Forecast",
            InputColumnName = "Value",
            Method = EsnForecastMethod.ClosedLoop,
            ExogenousColumnNames = ["Driver"],
        }));
        Assert.That(error!.Message, Does.Contain("Direct"));
    }

    [Test]
    public void Fit_NaNInSeries_ThrowsNamingColumnAndRow()
    {
        var series = Seasonal(100, noise: 0.1, seed: 10);
        series[42] = float.NaN;
        var error = Assert.Throws<ArgumentException>(() => Estimator(horizon: 2).Fit(Load(series)));
        Assert.That(error!.Message, Does.Contain("'Value'").And.Contain("row 42").And.Contain("NaN"));
    }

    [Test]
    public void Transform_NaNInSeries_ThrowsNamingColumnAndRow()
    {
        var series = Seasonal(100, noise: 0.1, seed: 11);
        var transformer = Estimator(horizon: 2).Fit(Load(series));
        series[17] = float.PositiveInfinity;
        var error = Assert.Throws<ArgumentException>(() => EstimatorContract.Read(transformer.Transform(Load(series)), "Forecast"));
        Assert.That(error!.Message, Does.Contain("'Value'").And.Contain("row 17"));
    }

    [Test]
    public void Fit_SeriesTooShortForWashoutAndTail_ThrowsWithLengths()
    {
        var series = Seasonal(30, noise: 0.1, seed: 12);
        var error = Assert.Throws<ArgumentException>(() => Estimator(horizon: 5, bounds: true).Fit(Load(series)));
        Assert.That(error!.Message, Does.Contain("30 rows").And.Contain("WashoutSteps 20").And.Contain("needs at least"));
    }

    [Test]
    public void Engine_HorizonAboveTrained_ThrowsAndLeavesEngineUnchanged()
    {
        var series = Seasonal(120, noise: 0.1, seed: 13);
        var engine = Estimator(horizon: 2).Fit(Load(series)).CreateTimeSeriesEngine<Observation, ForecastOnly>(_context);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => engine.Predict(new Observation { Value = 1 }, horizon: 3));
        Assert.That(error!.ParamName, Is.EqualTo("horizon"));
        Assert.Throws<ArgumentException>(() => engine.Predict(new Observation { Value = float.NaN }));
        Assert.That(engine.UpdateCount, Is.Zero);
    }

    [Test]
    public void CreateTimeSeriesEngine_SourceLacksInputColumn_ThrowsCouldNotFind()
    {
        var transformer = Estimator(horizon: 2).Fit(Load(Seasonal(120, noise: 0.1, seed: 14)));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => transformer.CreateTimeSeriesEngine<TestData.ScalarRow, ForecastOnly>(_context));
        Assert.That(error!.Message, Does.Contain("Could not find input column 'Value'"));
    }

    [TestCase(EsnForecastMethod.Direct)]
    [TestCase(EsnForecastMethod.ClosedLoop)]
    public void Transform_ReadingForecastsRowByRow_AllocatesNothingPerRow(EsnForecastMethod method)
    {
        var series = Seasonal(2400, noise: 0.05, seed: 15);
        var transformer = _context.Forecasting.ForecastByEsn(new EsnForecastingEstimator.Options
        {
            OutputColumnName = "Forecast",
            InputColumnName = "Value",
            Horizon = 4,
            Method = method,
            UnitCount = 30,
            WashoutSteps = 20,
            L2Regularization = 1e-4,
        }).Fit(Load(series[..300]));
        var output = transformer.Transform(_context.Data.LoadFromEnumerable(series.Select(v => new Observation { Value = v }).ToArray()));
        var perRow = EstimatorContract.AllocatedBytesPerRow(output, "Forecast");

        Assert.That(perRow, Is.LessThan(64), $"bytes per row: {perRow}");
    }

    [TestCase("Forecast", "Upper")]
    [TestCase("Lower", "Forecast")]
    [TestCase("Same", "Same")]
    public void Constructor_BoundColumnClashes_ThrowsNamingTheColumns(string lower, string upper)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            _context.Forecasting.ForecastByEsn("Forecast", "Value", 3, confidenceLowerBoundColumn: lower, confidenceUpperBoundColumn: upper));
        Assert.That(error!.Message, Does.Contain("three different names").And.Contain($"'{lower}'"));
    }

    private EsnForecastingEstimator Estimator(int horizon, bool bounds = false, float level = 0.95f) =>
        _context.Forecasting.ForecastByEsn("Forecast", "Value", horizon, unitCount: 30, leakRate: 0.5, seed: 1, washoutSteps: 20,
            confidenceLowerBoundColumn: bounds ? "Lower" : null, confidenceUpperBoundColumn: bounds ? "Upper" : null, confidenceLevel: level);

    private IDataView Load(float[] series) => _context.Data.LoadFromEnumerable(series.Select(v => new Observation { Value = v }));

    /// <summary>Two seasons (periods 12 and 50, amplitudes 1 and 0.5) plus Gaussian noise of standard deviation <paramref name="noise"/>.</summary>
    private static float[] Seasonal(int length, double noise, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length)
            .Select(t => (float)(Math.Sin(2 * Math.PI * t / 12) + 0.5 * Math.Sin(2 * Math.PI * t / 50) + noise * Gaussian(random)))
            .ToArray();
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double[,] Column(float[] values)
    {
        var result = new double[values.Length, 1];
        for (var t = 0; t < values.Length; t++)
        {
            result[t, 0] = values[t];
        }

        return result;
    }

    /// <summary>Asserts that two predictions hold the same forecast and bounds, bit for bit.</summary>
    internal static void AssertSame(Prediction expected, Prediction actual)
    {
        Assert.That(actual.Forecast, Is.EqualTo(expected.Forecast));
        Assert.That(actual.Lower, Is.EqualTo(expected.Lower));
        Assert.That(actual.Upper, Is.EqualTo(expected.Upper));
    }

    /// <summary>One observation of the series, with an optional exogenous driver.</summary>
    public sealed class Observation
    {
        public float Value { get; set; }

        public float Driver { get; set; }
    }

    /// <summary>The forecast and its bounds.</summary>
    public sealed class Prediction
    {
        public float[] Forecast { get; set; } = [];

        public float[] Lower { get; set; } = [];

        public float[] Upper { get; set; } = [];
    }

    /// <summary>The forecast alone.</summary>
    public sealed class ForecastOnly
    {
        public float[] Forecast { get; set; } = [];
    }
}
