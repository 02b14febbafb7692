using Microsoft.ML;
using NUnit.Framework;
using Reservoir.Pipelines;
using Reservoir.Pipelines.MLNet;
using static Reservoir.Tests.Pipelines.MLNet.EsnForecastingEstimatorTests;

namespace Reservoir.Tests.Pipelines.MLNet;

/// <summary><c>ForecastByEsn</c> with its defaults: the automatic forecaster (<see cref="SeriesForecaster"/>) behind ML.NET's estimator, transformer, engines and pipeline files.</summary>
public sealed class EsnForecastingAutomaticTests
{
    /// <summary>Float outputs against the double forecasts of the core API.</summary>
    private const double FloatTolerance = 1e-4;

    private const int Horizon = 6;

    private readonly MLContext _context = new(seed: 0);

    [Test]
    public void Fit_Defaults_HoldsTheSeriesForecasterOfTheSameSeries()
    {
        var series = TrendingSeasonal(160, period: 12, seed: 1);
        var transformer = Automatic().Fit(Load(series));

        var model = SeriesForecaster.Fit(series.Select(v => (double)v).ToArray(), Horizon);
        var expected = model.Forecast(0.9);
        var engine = transformer.CreateTimeSeriesEngine<Observation, Prediction>(_context);
        var forecast = engine.Predict();

        Assert.That(transformer.Network, Is.Null);
        Assert.That(transformer.Model, Is.Not.Null);
        Assert.That(transformer.Model!.Configuration.SeasonalPeriod, Is.EqualTo(12));
        Assert.That(transformer.Model.Configuration, Is.EqualTo(model.Configuration));
        for (var h = 0; h < Horizon; h++)
        {
            Assert.That(forecast.Forecast[h], Is.EqualTo(expected.Mean[h]).Within(FloatTolerance * Math.Abs(expected.Mean[h])), $"step {h + 1}");
            Assert.That(forecast.Lower[h], Is.EqualTo(expected.Lower[h]).Within(FloatTolerance * Math.Abs(expected.Lower[h])), $"step {h + 1}");
            Assert.That(forecast.Upper[h], Is.EqualTo(expected.Upper[h]).Within(FloatTolerance * Math.Abs(expected.Upper[h])), $"step {h + 1}");
            Assert.That(forecast.Lower[h], Is.LessThanOrEqualTo(forecast.Forecast[h]));
            Assert.That(forecast.Upper[h], Is.GreaterThanOrEqualTo(forecast.Forecast[h]));
        }
    }

    [Test]
    public void Transform_RowsAfterTheTrainingSeries_ContinueItLikeTheCoreEngine()
    {
        var series = TrendingSeasonal(190, period: 12, seed: 2);
        var train = series[..160];
        var test = series[160..];
        var transformer = Automatic().Fit(Load(train));

        var forecasts = EstimatorContract.Read(transformer.Transform(Load(test)), "Forecast");

        var core = SeriesForecaster.Fit(train.Select(v => (double)v).ToArray(), Horizon).CreateEngine();
        for (var t = 0; t < test.Length; t++)
        {
            core.Update(test[t]);
            var expected = core.Forecast(0.9).Mean;
            for (var h = 0; h < Horizon; h++)
            {
                Assert.That(forecasts[t][h], Is.EqualTo(expected[h]).Within(FloatTolerance * Math.Abs(expected[h])), $"row {t}, step {h + 1}");
            }
        }
    }

    [Test]
    public void PredictionEngineAndTimeSeriesEngine_EqualTransformRows()
    {
        var series = TrendingSeasonal(150, period: 12, seed: 3);
        var train = series[..130];
        var test = series[130..];
        var transformer = Automatic().Fit(Load(train));
        var batch = EstimatorContract.Read(transformer.Transform(Load(test)), "Forecast");

        var rows = _context.Model.CreatePredictionEngine<Observation, Prediction>(transformer);
        var engine = transformer.CreateTimeSeriesEngine<Observation, Prediction>(_context);
        for (var t = 0; t < test.Length; t++)
        {
            Assert.That(rows.Predict(new Observation { Value = test[t] }).Forecast, Is.EqualTo(batch[t]), $"prediction engine, row {t}");
            Assert.That(engine.Predict(new Observation { Value = test[t] }).Forecast, Is.EqualTo(batch[t]), $"time-series engine, row {t}");
        }

        Assert.That(engine.UpdateCount, Is.EqualTo(test.Length));
    }

    [Test]
    public void WeeklyTrendWithYearlySeason_DefaultsBeatSeasonalNaive()
    {
        // Rising trend, a 52-week season and noise: the series on which one fixed reservoir of 100 units and leak rate 1 lost to seasonal naive.
        var series = TrendingSeasonal(52 * 6, period: 52, seed: 4, slope: 0.03, noise: 0.3);
        const int horizon = 13;
        var transformer = _context.Forecasting.ForecastByEsn("Forecast", "Value", horizon: horizon).Fit(Load(series[..260]));
        var engine = transformer.CreateTimeSeriesEngine<Observation, ForecastOnly>(_context);

        double ours = 0, naive = 0;
        var origin = 260;
        foreach (var next in new[] { 273, 286, 299 })
        {
            var forecast = engine.Predict().Forecast;
            for (var h = 0; h < horizon; h++)
            {
                ours += Math.Abs(series[origin + h] - forecast[h]);
                naive += Math.Abs(series[origin + h] - series[origin + h - 52]);
            }

            for (; origin < next; origin++)
            {
                engine.Predict(new Observation { Value = series[origin] });
            }
        }

        Assert.That(transformer.Model!.Configuration.SeasonalPeriod, Is.EqualTo(52));
        Assert.That(ours, Is.LessThan(0.8 * naive), $"MAE ours {ours / 39:F3}, seasonal naive {naive / 39:F3}");
    }

    [Test]
    public void ShortYearlySeries_FiftyValuesWithHorizonTen_Forecasts()
    {
        var random = new Random(5);
        var series = Enumerable.Range(0, 50).Select(t => (float)(100 + 0.8 * t + 3 * Gaussian(random))).ToArray();

        var transformer = _context.Forecasting.ForecastByEsn("Forecast", "Value", horizon: 10).Fit(Load(series));
        var forecast = transformer.CreateTimeSeriesEngine<Observation, ForecastOnly>(_context).Predict().Forecast;

        Assert.That(forecast, Has.Length.EqualTo(10));
        Assert.That(forecast, Has.All.Matches<float>(v => float.IsFinite(v) && v > 120 && v < 170));
    }

    [Test]
    public void Fit_GapsInTheSeries_AreInterpolatedAndCounted()
    {
        var series = TrendingSeasonal(120, period: 12, seed: 6);
        series[30] = float.NaN;
        series[31] = float.NaN;
        series[77] = float.NaN;

        var transformer = Automatic().Fit(Load(series));

        Assert.That(transformer.Model!.Configuration.FilledValues, Is.EqualTo(3));
    }

    [Test]
    public void Fit_GapUnderMissingValuesError_ThrowsNamingTheColumn()
    {
        var series = TrendingSeasonal(120, period: 12, seed: 6);
        series[30] = float.NaN;
        var estimator = _context.Forecasting.ForecastByEsn(new EsnForecastingEstimator.Options
        {
            OutputColumnName = "Forecast",
            InputColumnName = "Value",
            Horizon = Horizon,
            MissingValues = MissingValuePolicy.Error,
        });

        var error = Assert.Throws<ArgumentException>(() => estimator.Fit(Load(series)));

        Assert.That(error!.ParamName, Is.EqualTo("input"));
        Assert.That(error.Message, Does.Contain("Column 'Value'").And.Contain("missing"));
    }

    [Test]
    public void Fit_SeriesTooShort_ThrowsWithTheLengthNeeded()
    {
        var error = Assert.Throws<ArgumentException>(() => Automatic().Fit(Load(TrendingSeasonal(20, period: 12, seed: 7))));

        Assert.That(error!.ParamName, Is.EqualTo("input"));
        Assert.That(error.Message, Does.Contain("Column 'Value'").And.Contain($"at least {SeriesForecaster.MinimumLength(Horizon)}"));
    }

    [Test]
    public void SavePipelineThenLoad_EngineForecastsIdentically()
    {
        var series = TrendingSeasonal(150, period: 12, seed: 8);
        var data = Load(series[..140]);
        var transformer = Automatic().Fit(data);
        var stream = new MemoryStream();
        _context.Model.SavePipeline(transformer, data.Schema, stream);
        stream.Position = 0;

        var loaded = new MLContext(seed: 1).Model.LoadPipeline(stream, out _);
        var original = transformer.CreateTimeSeriesEngine<Observation, Prediction>(_context);
        var reloaded = loaded.CreateEsnTimeSeriesEngine<Observation, Prediction>(_context);

        AssertSame(original.Predict(), reloaded.Predict());
        foreach (var value in series[140..])
        {
            AssertSame(original.Predict(new Observation { Value = value }), reloaded.Predict(new Observation { Value = value }));
        }
    }

    [Test]
    public void EngineCheckPoint_AfterUpdates_ResumesIdentically()
    {
        var series = TrendingSeasonal(150, period: 12, seed: 9);
        var transformer = Automatic().Fit(Load(series[..130]));
        var engine = transformer.CreateTimeSeriesEngine<Observation, Prediction>(_context);
        foreach (var value in series[130..140])
        {
            engine.Predict(new Observation { Value = value });
        }

        var stream = new MemoryStream();
        engine.CheckPoint(stream);
        stream.Position = 0;
        var resumed = EsnTimeSeriesEngine<Observation, Prediction>.Load(_context, stream);

        Assert.That(resumed.UpdateCount, Is.EqualTo(10));
        AssertSame(engine.Predict(), resumed.Predict());
        foreach (var value in series[140..])
        {
            AssertSame(engine.Predict(new Observation { Value = value }), resumed.Predict(new Observation { Value = value }));
        }

        // The checkpoint did not move the transformer: a new engine starts after the training series again.
        Assert.That(transformer.CreateTimeSeriesEngine<Observation, Prediction>(_context).UpdateCount, Is.Zero);
    }

    [Test]
    public void RowMapper_RowWithoutPosition_ThrowsNamingTheEngineInsteadOfZeros()
    {
        var data = Load(TrendingSeasonal(100, period: 12, seed: 10));
        var mapper = Automatic().Fit(data).GetRowToRowMapper(data.Schema);
        using var cursor = data.GetRowCursor(data.Schema);
        var row = mapper.GetRow(cursor, mapper.OutputSchema);
        var getter = row.GetGetter<Microsoft.ML.Data.VBuffer<float>>(row.Schema["Forecast"]);
        var forecast = default(Microsoft.ML.Data.VBuffer<float>);

        var error = Assert.Throws<InvalidOperationException>(() => getter(ref forecast));

        Assert.That(error!.Message, Does.Contain("CreateEsnTimeSeriesEngine"));
    }

    [Test]
    public void Engine_NonPositiveValueAfterALogTransform_ThrowsNamingTheExampleAndChangesNothing()
    {
        // A positive series whose season grows with its level: Guerrero's method takes a log (λ 0) or a square root.
        var random = new Random(11);
        var series = Enumerable.Range(0, 144)
            .Select(t => (float)Math.Exp(4 + 0.01 * t + 0.3 * Math.Sin(2 * Math.PI * t / 12) + 0.02 * Gaussian(random)))
            .ToArray();
        var transformer = Automatic().Fit(Load(series));
        Assume.That(transformer.Model!.Configuration.BoxCoxLambda, Is.LessThan(1));
        var engine = transformer.CreateTimeSeriesEngine<Observation, Prediction>(_context);
        var before = engine.Predict();

        var error = Assert.Throws<ArgumentException>(() => engine.Predict(new Observation { Value = -1 }));

        Assert.That(error!.ParamName, Is.EqualTo("example"));
        Assert.That(error.Message, Does.Contain("Column 'Value'").And.Contain("positive"));
        Assert.That(engine.UpdateCount, Is.Zero);
        AssertSame(before, engine.Predict());
    }

    private EsnForecastingEstimator Automatic() =>
        _context.Forecasting.ForecastByEsn("Forecast", "Value", Horizon, confidenceLowerBoundColumn: "Lower", confidenceUpperBoundColumn: "Upper",
            confidenceLevel: 0.9f);

    private IDataView Load(float[] series) => _context.Data.LoadFromEnumerable(series.Select(v => new Observation { Value = v }).ToArray());

    /// <summary>A level of 20 rising by <paramref name="slope"/> per step, a season of amplitude 2 and Gaussian noise.</summary>
    private static float[] TrendingSeasonal(int length, int period, int seed, double slope = 0.05, double noise = 0.2)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length)
            .Select(t => (float)(20 + slope * t + 2 * Math.Sin(2 * Math.PI * t / period) + noise * Gaussian(random)))
            .ToArray();
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
