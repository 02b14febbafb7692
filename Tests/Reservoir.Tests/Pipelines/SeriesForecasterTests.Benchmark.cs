using NUnit.Framework;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Pipelines;

/// <summary>The combination of the ensemble with the benchmark: seasonal naive, Theta or a mixture with a season; the damped trend, naive or Theta without one.</summary>
public sealed partial class SeriesForecasterTests
{
    private const double WeightTolerance = 1e-12;
    private const double CombinationTolerance = 1e-9;

    [TestCase(0.0)]
    [TestCase(0.35)]
    [TestCase(0.7)]
    [TestCase(1.0)]
    public void BenchmarkWeight_ActualIsAMixtureOnTheGrid_FindsIt(double weight)
    {
        double[] reservoirs = [10, 12, 9, 14, 11, 13];
        double[] benchmark = [11, 10, 12, 12, 9, 15];
        var actual = reservoirs.Select((r, i) => (1 - weight) * r + weight * benchmark[i]).ToArray();

        Assert.That(SeriesForecaster.BenchmarkWeight(actual, reservoirs, benchmark, lambda: 1), Is.EqualTo(weight).Within(WeightTolerance));
    }

    [Test]
    public void BenchmarkWeight_LogScale_CombinesBeforeUndoingTheTransform()
    {
        double[] reservoirs = [1.0, 2.0, 0.5, 1.5];
        double[] benchmark = [2.0, 0.5, 1.5, 3.0];
        var actual = reservoirs.Select((r, i) => Math.Exp(0.5 * r + 0.5 * benchmark[i])).ToArray();

        Assert.That(SeriesForecaster.BenchmarkWeight(actual, reservoirs, benchmark, lambda: 0), Is.EqualTo(0.5).Within(WeightTolerance));
    }

    [Test]
    public void BenchmarkWeight_EqualErrors_TakesTheSmallestWeight()
    {
        double[] same = [3, 4, 5];

        Assert.That(SeriesForecaster.BenchmarkWeight([3, 4, 6], same, same, lambda: 1), Is.Zero);
    }

    [Test]
    public void BenchmarkWeight_NoForecasts_IsZero() =>
        Assert.That(SeriesForecaster.BenchmarkWeight([], [], [], lambda: 1), Is.Zero);

    [TestCase(0.0)]
    [TestCase(0.25)]
    [TestCase(1.0)]
    public void Forecast_BenchmarkWeight_CombinesTheEnsembleWithTheSeasonalNaive(double weight)
    {
        const int Period = 26;
        var y = TrendingSeasonal(150, 11);
        var fitted = SeriesForecaster.Fit(y, 8, Quick with { SeasonalPeriod = Period, Transform = SeriesTransform.None });
        var members = fitted.Members.ToArray();
        var plain = fitted.Configuration with { Benchmark = SeriesForecastBenchmark.SeasonalNaive, ThetaShare = 0, Theta = null };
        var ensemble = new SeriesForecastModel(plain with { BenchmarkWeight = 0 }, members, [.. fitted.Errors]).Forecast();

        var combined = new SeriesForecastModel(plain with { BenchmarkWeight = weight }, members, [.. fitted.Errors]).Forecast();

        Assert.Multiple(() =>
        {
            for (var h = 0; h < 8; h++)
            {
                var seasonalNaive = y[150 - Period + h];
                Assert.That(combined.Mean[h], Is.EqualTo((1 - weight) * ensemble.Mean[h] + weight * seasonalNaive).Within(CombinationTolerance), $"step {h + 1}");
            }
        });
    }

    [TestCase(0.3)]
    [TestCase(1.0)]
    public void Forecast_NoSeason_CombinesTheEnsembleWithTheDampedTrend(double weight)
    {
        var y = Drifting(100, 12);
        var fitted = SeriesForecaster.Fit(y, 6, Quick with { SeasonalPeriod = 1, Transform = SeriesTransform.None });
        var members = fitted.Members.ToArray();
        var trend = DampedTrend.Fit(y, 99);
        var ensemble = new SeriesForecastModel(fitted.Configuration with { BenchmarkWeight = 0, Trend = null }, members, [.. fitted.Errors]).Forecast();

        var combined = new SeriesForecastModel(fitted.Configuration with { BenchmarkWeight = weight, Benchmark = SeriesForecastBenchmark.DampedTrend, Trend = trend },
            members, [.. fitted.Errors]).Forecast();

        var damped = trend.Forecast(y, 99, 6);
        Assert.Multiple(() =>
        {
            for (var h = 0; h < 6; h++)
            {
                Assert.That(combined.Mean[h], Is.EqualTo((1 - weight) * ensemble.Mean[h] + weight * damped[h]).Within(CombinationTolerance), $"step {h + 1}");
            }
        });
    }

    [Test]
    public void Fit_NoSeason_KeepsTheDampedTrendOnlyWithAWeight()
    {
        var configuration = SeriesForecaster.Fit(Drifting(100, 12), 6, Quick with { SeasonalPeriod = 1 }).Configuration;

        Assert.Multiple(() =>
        {
            Assert.That(configuration.Benchmark, Is.AnyOf(SeriesForecastBenchmark.DampedTrend, SeriesForecastBenchmark.Naive, SeriesForecastBenchmark.Theta));
            Assert.That(configuration.Trend is not null, Is.EqualTo(configuration.BenchmarkWeight > 0 && configuration.Benchmark == SeriesForecastBenchmark.DampedTrend));
            Assert.That(configuration.Theta is not null, Is.EqualTo(configuration.BenchmarkWeight > 0 && configuration.Benchmark == SeriesForecastBenchmark.Theta));
        });
    }

    [TestCase(SeriesForecastBenchmark.Theta, 0.0, 0.4)]
    [TestCase(SeriesForecastBenchmark.SeasonalNaiveAndTheta, 0.25, 0.6)]
    [TestCase(SeriesForecastBenchmark.SeasonalNaiveAndTheta, 0.75, 1.0)]
    public void Forecast_ThetaBenchmark_CombinesTheEnsembleWithTheMixture(SeriesForecastBenchmark kind, double share, double weight)
    {
        const int Period = 26;
        var y = TrendingSeasonal(150, 11);
        var fitted = SeriesForecaster.Fit(y, 8, Quick with { SeasonalPeriod = Period, Transform = SeriesTransform.None });
        var members = fitted.Members.ToArray();
        var theta = ThetaMethod.Fit(y, 149, Period);
        var ensemble = new SeriesForecastModel(fitted.Configuration with { BenchmarkWeight = 0 }, members, [.. fitted.Errors]).Forecast();
        var configuration = fitted.Configuration with { BenchmarkWeight = weight, Benchmark = kind, ThetaShare = share, Theta = theta };

        var combined = new SeriesForecastModel(configuration, members, [.. fitted.Errors]).Forecast();

        var thetaForecast = theta.Forecast(y, 149, 8);
        var thetaPart = kind == SeriesForecastBenchmark.Theta ? 1 : share;
        Assert.Multiple(() =>
        {
            for (var h = 0; h < 8; h++)
            {
                var benchmark = thetaPart * thetaForecast[h] + (1 - thetaPart) * y[150 - Period + h];
                Assert.That(combined.Mean[h], Is.EqualTo((1 - weight) * ensemble.Mean[h] + weight * benchmark).Within(CombinationTolerance), $"step {h + 1}");
            }
        });
    }

    [Test]
    public void Forecast_NaiveBenchmark_CombinesTheEnsembleWithTheLastValue()
    {
        var y = Drifting(100, 12);
        var fitted = SeriesForecaster.Fit(y, 6, Quick with { SeasonalPeriod = 1, Transform = SeriesTransform.None });
        var members = fitted.Members.ToArray();
        var ensemble = new SeriesForecastModel(fitted.Configuration with { BenchmarkWeight = 0 }, members, [.. fitted.Errors]).Forecast();

        var combined = new SeriesForecastModel(fitted.Configuration with { BenchmarkWeight = 0.5, Benchmark = SeriesForecastBenchmark.Naive },
            members, [.. fitted.Errors]).Forecast();

        Assert.That(combined.Mean, Is.EqualTo(ensemble.Mean.Select(m => 0.5 * m + 0.5 * y[99])).Within(CombinationTolerance));
    }

    [Test]
    public void BenchmarkForecast_Theta_LogScaleIsTheLogOfTheForecast()
    {
        var y = TrendingSeasonal(120, 2);
        var z = y.Select(v => Math.Log(v)).ToArray();
        var theta = ThetaMethod.Fit(y, 99, 26);

        var forecast = SeriesForecaster.BenchmarkForecast(SeriesForecastBenchmark.Theta, z, y, 0, 26, 99, 6, null, theta, 0);

        Assert.That(forecast, Is.EqualTo(theta.Forecast(y, 99, 6).Select(v => Math.Log(v))).Within(CombinationTolerance));
    }

    [Test]
    public void Fit_Season_UsesTheSeasonalNaiveNotATrend()
    {
        var configuration = SeriesForecaster.Fit(TrendingSeasonal(150, 13), 8, Quick).Configuration;

        Assert.That(configuration.Trend, Is.Null);
    }

    [Test]
    public void Fit_SeasonalSeries_WeightOnTheGridAndSameForTheSameSeed()
    {
        var y = TrendingSeasonal(150, 13);

        var first = SeriesForecaster.Fit(y, 8, Quick);
        var second = SeriesForecaster.Fit(y, 8, Quick with { MaxDegreeOfParallelism = 1 });

        var weight = first.Configuration.BenchmarkWeight;
        var share = first.Configuration.ThetaShare;
        Assert.Multiple(() =>
        {
            Assert.That(first.Configuration.Benchmark, Is.AnyOf(SeriesForecastBenchmark.SeasonalNaive, SeriesForecastBenchmark.Theta, SeriesForecastBenchmark.SeasonalNaiveAndTheta));
            Assert.That(share * SeriesForecaster.ThetaShareSteps, Is.EqualTo(Math.Round(share * SeriesForecaster.ThetaShareSteps)).Within(WeightTolerance));
            Assert.That(first.Configuration.Theta is not null,
                Is.EqualTo(weight > 0 && first.Configuration.Benchmark is SeriesForecastBenchmark.Theta or SeriesForecastBenchmark.SeasonalNaiveAndTheta));
            Assert.That(second.Configuration, Is.EqualTo(first.Configuration));
            Assert.That(weight, Is.InRange(0.0, 1.0));
            Assert.That(weight * SeriesForecaster.WeightSteps, Is.EqualTo(Math.Round(weight * SeriesForecaster.WeightSteps)).Within(WeightTolerance));
            Assert.That(second.Configuration.BenchmarkWeight, Is.EqualTo(weight));
            Assert.That(second.Forecast(), Is.EqualTo(first.Forecast()));
        });
    }
}
