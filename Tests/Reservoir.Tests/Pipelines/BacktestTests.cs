using System.Collections.Concurrent;
using System.Collections.Immutable;
using NUnit.Framework;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Tests.Pipelines;

[TestFixture]
public sealed class BacktestTests
{
    private const double Tolerance = 1e-12;

    /// <summary>0, 1, …, n − 1: each value is its own index, so a training array shows exactly which values it holds.</summary>
    private static double[] Ramp(int n) => [.. Enumerable.Range(0, n).Select(i => (double)i)];

    /// <summary>A forecaster that repeats the last training value + 1 with bounds −2 and +0.5 around it, at the given level.</summary>
    private static Func<double[], int, SeriesForecast> LastPlusOne(double level = 0.95) => (training, horizon) =>
    {
        var mean = Enumerable.Repeat(training[^1] + 1, horizon).ToArray();
        return new SeriesForecast
        {
            Mean = [.. mean],
            Lower = [.. mean.Select(v => v - 2)],
            Upper = [.. mean.Select(v => v + 0.5)],
            Level = level,
        };
    };

    [Test]
    public void Run_RecordingForecaster_SeesOnlyTheValuesBeforeEachOrigin()
    {
        var series = Ramp(30);
        var seen = new ConcurrentDictionary<int, (double[] Training, int Horizon)>();
        var inner = LastPlusOne();

        var result = Backtest.Run(series, new BacktestOptions { Horizon = 3, Origins = 4, Spacing = 2 }, (training, horizon) =>
        {
            seen[training.Length] = ((double[])training.Clone(), horizon);
            return inner(training, horizon);
        });

        Assert.Multiple(() =>
        {
            Assert.That(seen.Keys.Order(), Is.EqualTo(new[] { 21, 23, 25, 27 }));
            foreach (var origin in result.Origins)
            {
                var (training, horizon) = seen[origin.Origin];
                Assert.That(training, Is.EqualTo(series[..origin.Origin]), $"origin {origin.Origin}");
                Assert.That(training.Max(), Is.LessThan(origin.Origin));
                Assert.That(horizon, Is.EqualTo(3));
            }
        });
    }

    [Test]
    public void Run_ForecasterChangesItsArray_SeriesAndScoresUnchanged()
    {
        var series = Ramp(20);
        var inner = LastPlusOne();
        var options = new BacktestOptions { Horizon = 2, Origins = 3, MaxDegreeOfParallelism = 1 };

        var clean = Backtest.Run(series, options, inner);
        var scribbled = Backtest.Run(series, options, (training, horizon) =>
        {
            var forecast = inner(training, horizon);
            Array.Fill(training, 1e6);
            return forecast;
        });

        Assert.Multiple(() =>
        {
            Assert.That(series, Is.EqualTo(Ramp(20)));
            Assert.That(scribbled, Is.EqualTo(clean));
        });
    }

    [TestCase(30, 3, 4, 2, new[] { 21, 23, 25, 27 })]
    [TestCase(30, 3, 4, null, new[] { 18, 21, 24, 27 })]
    [TestCase(12, 1, 3, 1, new[] { 9, 10, 11 })]
    [TestCase(12, 5, 1, null, new[] { 7 })]
    [TestCase(40, 2, 3, 7, new[] { 24, 31, 38 })]
    public void Run_Origins_AtTheEndSpacingApartWithActualValues(int n, int horizon, int origins, int? spacing, int[] expected)
    {
        var series = Ramp(n);

        var result = Backtest.Run(series, new BacktestOptions { Horizon = horizon, Origins = origins, Spacing = spacing }, LastPlusOne());

        Assert.Multiple(() =>
        {
            Assert.That(result.Origins.Select(o => o.Origin), Is.EqualTo(expected));
            Assert.That(result.Origins[^1].Origin + horizon, Is.EqualTo(n), "the last origin leaves exactly H values");
            foreach (var origin in result.Origins)
            {
                Assert.That(origin.Actual, Is.EqualTo(series.AsSpan(origin.Origin, horizon).ToArray()));
                Assert.That(origin.Forecast.Horizon, Is.EqualTo(horizon));
            }
        });
    }

    [Test]
    public void Run_Scores_EqualMetricsRecomputedByHand()
    {
        // A noisy, positive series so that every metric is defined and not trivial.
        double[] series = [5, 7, 6, 9, 8, 11, 10, 8, 12, 13, 11, 14, 16, 15, 13, 17, 18, 16, 19, 21];
        const double level = 0.9;
        var options = new BacktestOptions { Horizon = 3, Origins = 3, Spacing = 2, SeasonalPeriod = 2, Level = level };

        var result = Backtest.Run(series, options, LastPlusOne(level));

        Assert.Multiple(() =>
        {
            foreach (var origin in result.Origins)
            {
                var t = origin.Origin;
                var actual = series.AsSpan(t, 3);
                var mean = Enumerable.Repeat(series[t - 1] + 1, 3).ToArray();
                var lower = mean.Select(v => v - 2).ToArray();
                var upper = mean.Select(v => v + 0.5).ToArray();
                Assert.That(origin.Mase, Is.EqualTo(Metrics.Mase(actual, mean, series.AsSpan(0, t), 2)).Within(Tolerance));
                Assert.That(origin.Smape, Is.EqualTo(Metrics.Smape(actual, mean)).Within(Tolerance));
                Assert.That(origin.Mape, Is.EqualTo(Metrics.Mape(actual, mean)).Within(Tolerance));
                Assert.That(origin.Coverage, Is.EqualTo(Metrics.Coverage(actual, lower, upper)));
                Assert.That(origin.PinballLoss, Is.EqualTo(
                    (Metrics.PinballLoss(actual, lower, 0.05) + Metrics.PinballLoss(actual, upper, 0.95)) / 2).Within(Tolerance));
            }

            Assert.That(result.Mase, Is.EqualTo(result.Origins.Average(o => o.Mase)).Within(Tolerance));
            Assert.That(result.Smape, Is.EqualTo(result.Origins.Average(o => o.Smape)).Within(Tolerance));
            Assert.That(result.Mape, Is.EqualTo(result.Origins.Average(o => o.Mape)).Within(Tolerance));
            Assert.That(result.Coverage, Is.EqualTo(result.Origins.Average(o => o.Coverage)).Within(Tolerance));
            Assert.That(result.PinballLoss, Is.EqualTo(result.Origins.Average(o => o.PinballLoss)).Within(Tolerance));
        });
    }

    [Test]
    public void Run_FirstOriginByHand_ClosedFormScores()
    {
        // Origins at 4 and 6 (H = 2, spacing 2). Origin 4: training 1, 3, 2, 4 → forecast 5 (lower 3, upper 5.5),
        // actual 6 and 4; scale (2 + 1 + 2)/3.
        double[] series = [1, 3, 2, 4, 6, 4, 5, 8];

        var origin = Backtest.Run(series, new BacktestOptions { Horizon = 2, Origins = 2 }, LastPlusOne()).Origins[0];

        Assert.Multiple(() =>
        {
            Assert.That(origin.Origin, Is.EqualTo(4));
            Assert.That(origin.Mase, Is.EqualTo(1 / (5.0 / 3)).Within(Tolerance));
            Assert.That(origin.Smape, Is.EqualTo((200.0 / 11 + 200.0 / 9) / 2).Within(Tolerance));
            Assert.That(origin.Mape, Is.EqualTo((100.0 / 6 + 100.0 / 4) / 2).Within(Tolerance));
            Assert.That(origin.Coverage, Is.EqualTo(0.5));
            // Lower 3 at τ = 0.025: 0.025·3 and 0.025·1; upper 5.5 at τ = 0.975: 0.975·0.5 and 0.025·1.5.
            Assert.That(origin.PinballLoss, Is.EqualTo(((0.075 + 0.025) / 2 + (0.4875 + 0.0375) / 2) / 2).Within(Tolerance));
        });
    }

    [Test]
    public void Run_ZeroActualValue_MapeIsNaNOthersDefined()
    {
        double[] series = [3, 1, 4, 1, 5, 0, 2, 6];

        var result = Backtest.Run(series, new BacktestOptions { Horizon = 2, Origins = 2 }, LastPlusOne());

        Assert.Multiple(() =>
        {
            Assert.That(result.Origins[0].Mape, Is.NaN, "actual 5, 0");
            Assert.That(result.Origins[1].Mape, Is.Not.NaN, "actual 2, 6");
            Assert.That(result.Mape, Is.NaN);
            Assert.That(result.Smape, Is.Not.NaN);
            Assert.That(result.Mase, Is.Not.NaN);
        });
    }

    [Test]
    public void Run_ParallelOrigins_IdenticalToSequential()
    {
        var series = Enumerable.Range(0, 80).Select(i => 10 + Math.Sin(i * 0.7) + 0.01 * i * i).ToArray();
        var options = new BacktestOptions { Horizon = 4, Origins = 12, Spacing = 3, SeasonalPeriod = 9 };
        var forecaster = Backtest.SeasonalNaive(9);

        var sequential = Backtest.Run(series, options with { MaxDegreeOfParallelism = 1 }, forecaster);
        var parallel = Backtest.Run(series, options with { MaxDegreeOfParallelism = 4 }, forecaster);
        var everyCore = Backtest.Run(series, options, forecaster);

        Assert.Multiple(() =>
        {
            Assert.That(parallel, Is.EqualTo(sequential));
            Assert.That(everyCore, Is.EqualTo(sequential));
            Assert.That(parallel.GetHashCode(), Is.EqualTo(sequential.GetHashCode()));
        });
    }

    [Test]
    public void Run_ForecasterThrowsAtSeveralOrigins_RethrowsTheEarliestOrigins()
    {
        var series = Ramp(30);

        var e = Assert.Throws<InvalidOperationException>(() => Backtest.Run(series,
            new BacktestOptions { Horizon = 2, Origins = 6, MaxDegreeOfParallelism = 4 },
            (training, _) => throw new InvalidOperationException($"origin {training.Length}")));

        Assert.That(e!.Message, Is.EqualTo("origin 18"));
    }

    [Test]
    public void SeasonalNaive_PurePeriodicSeries_ReproducedExactly()
    {
        double[] season = [1, 5, 2, 8];
        var series = Enumerable.Range(0, 40).Select(i => 10 + season[i % 4]).ToArray();

        var result = Backtest.Run(series, new BacktestOptions { Horizon = 6, Origins = 3, Spacing = 5 }, Backtest.SeasonalNaive(4));

        Assert.Multiple(() =>
        {
            foreach (var origin in result.Origins)
            {
                Assert.That(origin.Forecast.Mean, Is.EqualTo(origin.Actual));
                Assert.That(origin.Forecast.Lower, Is.EqualTo(origin.Actual), "no in-sample error, so no width");
                Assert.That(origin.Forecast.Upper, Is.EqualTo(origin.Actual));
            }

            Assert.That(result.Mase, Is.Zero);
            Assert.That(result.Smape, Is.Zero);
            Assert.That(result.Mape, Is.Zero);
            Assert.That(result.Coverage, Is.EqualTo(1));
            Assert.That(result.PinballLoss, Is.Zero);
        });
    }

    [Test]
    public void Run_MaseScaleWithoutError_MaseIsNaN()
    {
        // MASE scaled by the seasonal naive at the series' own period: the training values have no such error.
        double[] season = [1, 5, 2, 8];
        var series = Enumerable.Range(0, 24).Select(i => season[i % 4]).ToArray();

        var result = Backtest.Run(series, new BacktestOptions { Horizon = 4, Origins = 2, SeasonalPeriod = 4 }, Backtest.SeasonalNaive(4));

        Assert.Multiple(() =>
        {
            Assert.That(result.Origins.Select(o => o.Mase), Is.All.NaN);
            Assert.That(result.Mase, Is.NaN);
            Assert.That(result.Smape, Is.Zero);
        });
    }

    [Test]
    public void SeasonalNaive_HandSeries_IntervalHalfWidthsFollowTheFormula()
    {
        // m = 3: errors y[t] − y[t − 3] are 1, 2, 0, 2 → σ² = 9/4, σ = 1.5. The last season 4, 3, 4 repeats.
        double[] training = [1, 2, 3, 2, 4, 3, 4];
        const double z = 1.2815515655446008; // the normal quantile at (1 + 0.8)/2

        var forecast = Backtest.SeasonalNaive(3, level: 0.8)(training, 7);

        double[] mean = [4, 3, 4, 4, 3, 4, 4];
        double[] steps = [1, 1, 1, 2, 2, 2, 3]; // ⌊(h − 1)/m⌋ + 1
        Assert.Multiple(() =>
        {
            Assert.That(forecast.Mean, Is.EqualTo(mean));
            Assert.That(forecast.Level, Is.EqualTo(0.8));
            for (var h = 0; h < 7; h++)
            {
                var halfWidth = z * 1.5 * Math.Sqrt(steps[h]);
                Assert.That(forecast.Lower[h], Is.EqualTo(mean[h] - halfWidth).Within(Tolerance), $"step {h + 1}");
                Assert.That(forecast.Upper[h], Is.EqualTo(mean[h] + halfWidth).Within(Tolerance), $"step {h + 1}");
            }
        });
    }

    [Test]
    public void SeasonalNaive_PeriodOne_IsTheRandomWalkWithSqrtHWidths()
    {
        // Errors 2, −1, 3 → σ = √(14/3); the half-width grows as √h.
        var forecast = Backtest.SeasonalNaive(1)([1, 3, 2, 5], 3);
        var sigma = Math.Sqrt(14.0 / 3);

        Assert.Multiple(() =>
        {
            Assert.That(forecast.Mean, Is.EqualTo(new[] { 5.0, 5.0, 5.0 }));
            Assert.That(forecast.Upper.Select((u, h) => u - 5), Is.EqualTo(new[]
            {
                1.9599639845400536 * sigma, 1.9599639845400536 * sigma * Math.Sqrt(2), 1.9599639845400536 * sigma * Math.Sqrt(3),
            }).Within(1e-9));
        });
    }

    [TestCase(0)]
    [TestCase(-4)]
    public void SeasonalNaive_PeriodBelowOne_Throws(int seasonalPeriod) =>
        Assert.That(() => Backtest.SeasonalNaive(seasonalPeriod),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("seasonalPeriod"));

    [TestCase(0.0)]
    [TestCase(1.0)]
    [TestCase(1.5)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void SeasonalNaive_LevelOutside_Throws(double level) =>
        Assert.That(() => Backtest.SeasonalNaive(2, level),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("level"));

    [TestCase(4, 4)]
    [TestCase(1, 1)]
    public void SeasonalNaive_TrainingNoLongerThanPeriod_Throws(int seasonalPeriod, int length)
    {
        var e = Assert.Throws<ArgumentException>(() => Backtest.SeasonalNaive(seasonalPeriod)(Ramp(length), 2));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("training"));
            Assert.That(e.Message, Does.Contain($"at least {seasonalPeriod + 1}"));
        });
    }

    [Test]
    public void SeasonalNaive_HorizonBelowOne_Throws() =>
        Assert.That(() => Backtest.SeasonalNaive(1)(Ramp(5), 0),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("horizon"));

    private static IEnumerable<TestCaseData> BadOptions()
    {
        var valid = new BacktestOptions { Horizon = 2, Origins = 2 };
        yield return new TestCaseData(valid with { Horizon = 0 }, "Horizon").SetArgDisplayNames("Horizon 0");
        yield return new TestCaseData(valid with { Horizon = -1 }, "Horizon").SetArgDisplayNames("Horizon -1");
        yield return new TestCaseData(valid with { Origins = 0 }, "Origins").SetArgDisplayNames("Origins 0");
        yield return new TestCaseData(valid with { Spacing = 0 }, "Spacing").SetArgDisplayNames("Spacing 0");
        yield return new TestCaseData(valid with { Spacing = -3 }, "Spacing").SetArgDisplayNames("Spacing -3");
        yield return new TestCaseData(valid with { SeasonalPeriod = 0 }, "SeasonalPeriod").SetArgDisplayNames("SeasonalPeriod 0");
        yield return new TestCaseData(valid with { Level = 0 }, "Level").SetArgDisplayNames("Level 0");
        yield return new TestCaseData(valid with { Level = 1 }, "Level").SetArgDisplayNames("Level 1");
        yield return new TestCaseData(valid with { Level = -0.5 }, "Level").SetArgDisplayNames("Level -0.5");
        yield return new TestCaseData(valid with { Level = double.NaN }, "Level").SetArgDisplayNames("Level NaN");
        yield return new TestCaseData(valid with { Level = double.PositiveInfinity }, "Level").SetArgDisplayNames("Level +inf");
        yield return new TestCaseData(valid with { MaxDegreeOfParallelism = 0 }, "MaxDegreeOfParallelism").SetArgDisplayNames("MaxDegreeOfParallelism 0");
        yield return new TestCaseData(valid with { MaxDegreeOfParallelism = -2 }, "MaxDegreeOfParallelism").SetArgDisplayNames("MaxDegreeOfParallelism -2");
    }

    [TestCaseSource(nameof(BadOptions))]
    public void Run_OptionOutOfRange_ThrowsNamingTheMember(BacktestOptions options, string member)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Backtest.Run(Ramp(50), options, LastPlusOne(options.Level)));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo(member));
            Assert.That(e.Message, Does.StartWith(member + " must"));
        });
    }

    [TestCaseSource(nameof(BadOptions))]
    public void RunWithSeriesForecaster_OptionOutOfRange_ThrowsNamingTheMember(BacktestOptions options, string member) =>
        Assert.That(() => Backtest.Run(Ramp(50), options),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo(member));

    [TestCase(1, 1, null, 1)]
    [TestCase(2, 1, null, 1)]
    [TestCase(1, 1, null, 12)]
    [TestCase(3, 4, 2, 1)]
    [TestCase(3, 4, null, 2)]
    public void Run_SeriesOneTooShort_ThrowsWithNeededLength(int horizon, int origins, int? spacing, int seasonalPeriod)
    {
        var options = new BacktestOptions { Horizon = horizon, Origins = origins, Spacing = spacing, SeasonalPeriod = seasonalPeriod };
        var needed = seasonalPeriod + 1 + (spacing ?? horizon) * (origins - 1) + horizon;

        var e = Assert.Throws<ArgumentException>(() => Backtest.Run(Ramp(needed - 1), options, LastPlusOne()));
        var result = Backtest.Run(Ramp(needed), options, LastPlusOne());

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("series"));
            Assert.That(e.Message, Does.Contain($"has {needed - 1} values").And.Contain($"at least {needed}"));
            Assert.That(result.Origins[0].Origin, Is.EqualTo(seasonalPeriod + 1), "the shortest series leaves SeasonalPeriod + 1 training values");
        });
    }

    [Test]
    public void Run_EmptySeries_ThrowsWithNeededLength() =>
        Assert.That(() => Backtest.Run([], new BacktestOptions { Horizon = 1, Origins = 1 }, LastPlusOne()),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("series").And.Message.Contains("at least 3"));

    [TestCase(double.NaN)]
    [TestCase(double.NegativeInfinity)]
    public void Run_NonFiniteSeries_ThrowsNamingIndex(double bad)
    {
        var series = Ramp(20);
        series[7] = bad;

        Assert.That(() => Backtest.Run(series, new BacktestOptions { Horizon = 2, Origins = 2 }, LastPlusOne()),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("series").And.Message.Contains("index 7"));
    }

    [Test]
    public void Run_NullArguments_Throw()
    {
        var options = new BacktestOptions { Horizon = 1 };
        Assert.Multiple(() =>
        {
            Assert.That(() => Backtest.Run(Ramp(20), null!, LastPlusOne()), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("options"));
            Assert.That(() => Backtest.Run(Ramp(20), options, (Func<double[], int, SeriesForecast>)null!),
                Throws.ArgumentNullException.With.Property("ParamName").EqualTo("forecaster"));
            Assert.That(() => Backtest.Run(Ramp(20), null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("options"));
        });
    }

    private static IEnumerable<TestCaseData> BadForecasts()
    {
        var good = LastPlusOne()(Ramp(5), 2);
        yield return new TestCaseData(null, "null").SetArgDisplayNames("null");
        yield return new TestCaseData(good with { Mean = [1.0] }, "1 Mean values").SetArgDisplayNames("short mean");
        yield return new TestCaseData(good with { Upper = [1.0, 2, 3] }, "3 Upper values").SetArgDisplayNames("long upper");
        yield return new TestCaseData(good with { Lower = default }, "0 Lower values").SetArgDisplayNames("default lower");
        yield return new TestCaseData(good with { Mean = [1.0, double.NaN] }, "NaN as Mean at step 2").SetArgDisplayNames("NaN mean");
        yield return new TestCaseData(good with { Level = 0.8 }, "level 0.8").SetArgDisplayNames("other level");
        yield return new TestCaseData(good with { Lower = [0.0, 9], Upper = [1.0, 8] }, "below the lower bound 9 at step 2")
            .SetArgDisplayNames("crossed bounds");
    }

    [TestCaseSource(nameof(BadForecasts))]
    public void Run_ForecasterReturnsBadForecast_ThrowsNamingForecasterAndOrigin(SeriesForecast? forecast, string detail)
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Backtest.Run(Ramp(10), new BacktestOptions { Horizon = 2, Origins = 1 }, (_, _) => forecast!));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("forecaster"));
            Assert.That(e.Message, Does.Contain(detail).And.Contain("origin 8"));
        });
    }

    [Test]
    public void BacktestResult_EqualValues_EqualRecordsAndHashCodes()
    {
        BacktestResult Make() => Backtest.Run(Ramp(12), new BacktestOptions { Horizon = 2, Origins = 2 }, LastPlusOne());

        var a = Make();
        var b = Make();

        Assert.Multiple(() =>
        {
            Assert.That(a, Is.EqualTo(b));
            Assert.That(a.GetHashCode(), Is.EqualTo(b.GetHashCode()));
            Assert.That(a.Origins[0], Is.EqualTo(b.Origins[0]));
            Assert.That(a with { Origins = [a.Origins[1], a.Origins[0]] }, Is.Not.EqualTo(b));
            Assert.That(a.Origins[0] with { Actual = ImmutableArray.Create(0.0, 0.0) }, Is.Not.EqualTo(b.Origins[0]));
        });
    }

    [Test]
    public void RunWithSeriesForecaster_SmallSeries_ScoresEveryOriginAtTheLevel()
    {
        // The smallest series SeriesForecaster accepts at the first origin: 2·2 + 16 = 20 training values, then 2 + 2.
        var series = Enumerable.Range(0, 24).Select(i => 5 + Math.Sin(i * 0.9)).ToArray();
        var forecasterOptions = new SeriesForecasterOptions
        {
            EnsembleSize = 1, SeasonalPeriod = 1, Transform = SeriesTransform.None, Differences = 0, Method = SeriesForecastMethod.Direct,
            MaxDegreeOfParallelism = 1,
        };
        var options = new BacktestOptions { Horizon = 2, Origins = 2, Level = 0.8, MaxDegreeOfParallelism = 1 };

        var result = Backtest.Run(series, options, forecasterOptions);
        var e = Assert.Throws<ArgumentException>(() => Backtest.Run(series.AsSpan(1), options, forecasterOptions));

        Assert.Multiple(() =>
        {
            Assert.That(result.Origins.Select(o => o.Origin), Is.EqualTo(new[] { 20, 22 }));
            Assert.That(result.Origins.Select(o => o.Forecast.Level), Is.All.EqualTo(0.8));
            Assert.That(result.Mase, Is.GreaterThanOrEqualTo(0).And.Not.NaN);
            Assert.That(e!.ParamName, Is.EqualTo("series"));
            Assert.That(e.Message, Does.Contain("at least 24").And.Contain("SeriesForecaster"));
        });
    }
}
