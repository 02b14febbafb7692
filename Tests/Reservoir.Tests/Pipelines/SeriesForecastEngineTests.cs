using NUnit.Framework;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Pipelines;

[TestFixture]
public sealed class SeriesForecastEngineTests
{
    private static readonly SeriesForecasterOptions Quick = new() { EnsembleSize = 3 };

    [Test]
    public void CreateEngine_BeforeAnyUpdate_ForecastsAsTheModel()
    {
        var model = SeriesForecaster.Fit(SeriesForecasterTests.TrendingSeasonal(150, 1), 8, Quick);

        var engine = model.CreateEngine();

        Assert.Multiple(() =>
        {
            Assert.That(engine.Forecast(0.9), Is.EqualTo(model.Forecast(0.9)));
            Assert.That(engine.Forecast(3, 0.5), Is.EqualTo(model.Forecast(3, 0.5)));
            Assert.That(engine.UpdateCount, Is.Zero);
        });
    }

    [TestCase(SeriesForecastMethod.Direct)]
    [TestCase(SeriesForecastMethod.ClosedLoop)]
    public void Update_TheSeriesGoesOn_ForecastsWhatFollowsTheNewValues(SeriesForecastMethod method)
    {
        const int Horizon = 13;
        var y = SeriesForecasterTests.TrendingSeasonal(200, 2);
        var model = SeriesForecaster.Fit(y.AsSpan(0, 150), Horizon, Quick with { Method = method });
        var engine = model.CreateEngine();

        for (var t = 150; t < 174; t++)
        {
            engine.Update(y[t]);
        }

        var forecast = engine.Forecast();
        var truth = y[174..(174 + Horizon)];
        var seasonalNaive = Enumerable.Range(0, Horizon).Select(h => y[174 - 26 + h]).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(engine.UpdateCount, Is.EqualTo(24));
            Assert.That(SeriesForecasterTests.MeanAbsoluteError(truth, forecast.Mean), Is.LessThan(0.5 * SeriesForecasterTests.MeanAbsoluteError(truth, seasonalNaive)));
            Assert.That(forecast.Mean, Is.Not.EqualTo(model.Forecast().Mean));
        });
    }

    [Test]
    public void Update_DoesNotChangeTheModelAndTwoEnginesAgree()
    {
        var y = SeriesForecasterTests.TrendingSeasonal(170, 3);
        var model = SeriesForecaster.Fit(y.AsSpan(0, 150), 6, Quick);
        var before = model.Forecast();
        var first = model.CreateEngine();
        var second = model.CreateEngine();

        for (var t = 150; t < 170; t++)
        {
            first.Update(y[t]);
            second.Update(y[t]);
        }

        Assert.Multiple(() =>
        {
            Assert.That(model.Forecast(), Is.EqualTo(before));
            Assert.That(second.Forecast(), Is.EqualTo(first.Forecast()));
        });
    }

    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Update_NotFinite_ThrowsAndChangesNothing(double observation)
    {
        var engine = SeriesForecaster.Fit(SeriesForecasterTests.TrendingSeasonal(150, 4), 6, Quick).CreateEngine();
        engine.Update(25);
        var before = engine.Forecast();

        var e = Assert.Throws<ArgumentException>(() => engine.Update(observation));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("observation"));
            Assert.That(engine.UpdateCount, Is.EqualTo(1));
            Assert.That(engine.Forecast(), Is.EqualTo(before));
        });
    }

    [Test]
    public void Update_NonPositiveUnderALogTransform_ThrowsAndChangesNothing()
    {
        var engine = SeriesForecaster.Fit(SeriesForecasterTests.TrendingSeasonal(150, 5), 6, Quick with { Transform = SeriesTransform.Log })
            .CreateEngine();
        var before = engine.Forecast();

        var e = Assert.Throws<ArgumentException>(() => engine.Update(-1));

        Assert.Multiple(() =>
        {
            Assert.That(e!.Message, Does.Contain("positive"));
            Assert.That(engine.Forecast(), Is.EqualTo(before));
        });
    }
}
