using NUnit.Framework;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Pipelines;

[TestFixture]
public sealed partial class SeriesForecasterTests
{
    private static readonly SeriesForecasterOptions Quick = new() { EnsembleSize = 2 };

    /// <summary>The rounding allowed when a bound is compared through a difference of values near 20.</summary>
    private const double RoundOffTolerance = 1e-12;

    /// <summary>A weekly-like series: a rising trend, a 26-step season of two harmonics and uniform noise.</summary>
    internal static double[] TrendingSeasonal(int length, int seed)
    {
        var random = new Random(seed);
        var y = new double[length];
        for (var t = 0; t < length; t++)
        {
            y[t] = 20 + 0.05 * t + 3 * Math.Sin(2 * Math.PI * t / 26) + 1.5 * Math.Cos(4 * Math.PI * t / 26) + random.NextDouble() - 0.5;
        }

        return y;
    }

    /// <summary>A random walk with drift observed with noise (an ordinary yearly series).</summary>
    internal static double[] Drifting(int length, int seed)
    {
        var random = new Random(seed);
        var y = new double[length];
        var level = 100.0;
        for (var t = 0; t < length; t++)
        {
            level += 1 + 2 * (random.NextDouble() - 0.5);
            y[t] = level + 3 * (random.NextDouble() - 0.5);
        }

        return y;
    }

    internal static double MeanAbsoluteError(ReadOnlySpan<double> truth, IReadOnlyList<double> forecast)
    {
        var sum = 0.0;
        for (var i = 0; i < truth.Length; i++)
        {
            sum += Math.Abs(truth[i] - forecast[i]);
        }

        return sum / truth.Length;
    }

    [Test]
    public void Fit_TrendingSeasonalSeries_BeatsSeasonalNaiveAndLastValue()
    {
        const int Horizon = 13;
        var y = TrendingSeasonal(200, 1);
        var train = y[..^Horizon];
        var test = y[^Horizon..];

        var model = SeriesForecaster.Fit(train, Horizon, Quick);
        var forecast = model.Forecast();

        var seasonalNaive = Enumerable.Range(0, Horizon).Select(h => train[train.Length - 26 + h]).ToArray();
        var lastValue = Enumerable.Repeat(train[^1], Horizon).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(model.Configuration.SeasonalPeriod, Is.EqualTo(26), "the season is found");
            Assert.That(MeanAbsoluteError(test, forecast.Mean), Is.LessThan(0.5 * MeanAbsoluteError(test, seasonalNaive)));
            Assert.That(MeanAbsoluteError(test, forecast.Mean), Is.LessThan(0.5 * MeanAbsoluteError(test, lastValue)));
        });
    }

    [Test]
    public void Fit_FiftyPointYearlySeriesWithHorizonTen_Forecasts()
    {
        var y = Drifting(50, 2);

        var model = SeriesForecaster.Fit(y, 10, Quick);
        var forecast = model.Forecast();

        Assert.Multiple(() =>
        {
            Assert.That(forecast.Horizon, Is.EqualTo(10));
            Assert.That(forecast.Mean, Has.All.Matches<double>(double.IsFinite));
            Assert.That(model.Configuration.WashoutSteps, Is.LessThan(10), "the washout scales with the length");
            Assert.That(model.Configuration.Differences, Is.EqualTo(1), "a drifting series is differenced");
            Assert.That(forecast.Mean[^1], Is.GreaterThan(y[^1]), "the drift goes on");
        });
    }

    [Test]
    public void Fit_SeasonLongerThanTheTrainingRowsAllow_ForecastsWithoutTheSeasonalDifference()
    {
        // A season of 40 on 60 values leaves no room for a seasonal difference, but the undifferenced candidates fit.
        var y = Enumerable.Range(0, 60).Select(t => Math.Sin(2 * Math.PI * t / 40) + 0.01 * t).ToArray();

        var model = SeriesForecaster.Fit(y, 5, Quick with { SeasonalPeriod = 40 });

        Assert.Multiple(() =>
        {
            Assert.That(model.Configuration.SeasonalDifferences, Is.Zero);
            Assert.That(model.Configuration.Candidates, Has.All.Matches<SeriesForecastCandidate>(c => c.SeasonalDifferences == 0));
            Assert.That(model.Forecast().Mean, Has.All.Matches<double>(double.IsFinite));
        });
    }

    [Test]
    public void Fit_SeriesWithGaps_EqualsTheSeriesWithTheGapsInterpolated()
    {
        var y = TrendingSeasonal(120, 3);
        var gapped = (double[])y.Clone();
        gapped[40] = double.NaN;
        gapped[41] = double.NaN;
        gapped[90] = double.NaN;
        var filled = (double[])y.Clone();
        filled[40] = y[39] + (y[42] - y[39]) / 3;
        filled[41] = y[39] + 2 * (y[42] - y[39]) / 3;
        filled[90] = (y[89] + y[91]) / 2;

        var fromGaps = SeriesForecaster.Fit(gapped, 6, Quick);
        var fromFilled = SeriesForecaster.Fit(filled, 6, Quick);

        Assert.Multiple(() =>
        {
            Assert.That(fromGaps.Configuration.FilledValues, Is.EqualTo(3));
            Assert.That(fromGaps.Forecast(), Is.EqualTo(fromFilled.Forecast()));
        });
    }

    [Test]
    public void FillGaps_Gaps_FilledAsFitFillsThem()
    {
        double[] series = [double.NaN, 2, double.NaN, 4, double.NaN];

        Assert.That(SeriesForecaster.FillGaps(series), Is.EqualTo(new double[] { 2, 2, 3, 4, 4 }));
    }

    [Test]
    public void Fit_GapUnderErrorPolicy_ThrowsNamingTheIndex()
    {
        var y = TrendingSeasonal(120, 3);
        y[57] = double.NaN;

        var e = Assert.Throws<ArgumentException>(() =>
            SeriesForecaster.Fit(y, 6, Quick with { MissingValues = MissingValuePolicy.Error }));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("series"));
            Assert.That(e.Message, Does.Contain("series[57]"));
        });
    }

    [TestCase(0)]
    [TestCase(119)]
    public void Fit_GapAtAnEnd_TakesTheNearestValue(int index)
    {
        var y = TrendingSeasonal(120, 3);
        var gapped = (double[])y.Clone();
        gapped[index] = double.NaN;
        var filled = (double[])y.Clone();
        filled[index] = y[index == 0 ? 1 : 118];

        Assert.That(SeriesForecaster.Fit(gapped, 6, Quick).Forecast(), Is.EqualTo(SeriesForecaster.Fit(filled, 6, Quick).Forecast()));
    }

    [Test]
    public void Fit_SameSeed_IdenticalForecastsWhateverTheParallelism()
    {
        var y = TrendingSeasonal(150, 4);

        var parallel = SeriesForecaster.Fit(y, 8, Quick);
        var sequential = SeriesForecaster.Fit(y, 8, Quick with { MaxDegreeOfParallelism = 1 });
        var otherSeed = SeriesForecaster.Fit(y, 8, Quick with { Seed = 7 });

        Assert.Multiple(() =>
        {
            Assert.That(sequential.Forecast(), Is.EqualTo(parallel.Forecast()));
            Assert.That(sequential.Configuration, Is.EqualTo(parallel.Configuration));
            Assert.That(otherSeed.Forecast().Mean, Is.Not.EqualTo(parallel.Forecast().Mean));
        });
    }

    [Test]
    public void Fit_LargerEnsemble_ChangesTheForecastButNotTheChoice()
    {
        var y = TrendingSeasonal(150, 4);

        var one = SeriesForecaster.Fit(y, 8, Quick with { EnsembleSize = 1 });
        var three = SeriesForecaster.Fit(y, 8, Quick with { EnsembleSize = 3 });

        Assert.Multiple(() =>
        {
            Assert.That(three.Configuration with { EnsembleSize = 1 }, Is.EqualTo(one.Configuration));
            Assert.That(three.Forecast().Mean, Is.Not.EqualTo(one.Forecast().Mean));
        });
    }

    [Test]
    public void Forecast_Intervals_HoldThePointForecastAndWidenWithLevelAndStep()
    {
        var model = SeriesForecaster.Fit(TrendingSeasonal(150, 5), 10, Quick);

        var wide = model.Forecast(0.95);
        var narrow = model.Forecast(0.5);

        Assert.Multiple(() =>
        {
            for (var h = 0; h < 10; h++)
            {
                Assert.That(wide.Lower[h], Is.LessThanOrEqualTo(narrow.Lower[h]), $"lower bound at step {h + 1}");
                Assert.That(narrow.Lower[h], Is.LessThanOrEqualTo(narrow.Mean[h]), $"step {h + 1}");
                Assert.That(narrow.Upper[h], Is.GreaterThanOrEqualTo(narrow.Mean[h]), $"step {h + 1}");
                Assert.That(wide.Upper[h], Is.GreaterThanOrEqualTo(narrow.Upper[h]), $"upper bound at step {h + 1}");
                if (h > 0 && model.Configuration.BoxCoxLambda == 1)
                {
                    // Equal offsets added to different means differ in the last bits once subtracted again.
                    Assert.That(wide.Upper[h] - wide.Mean[h], Is.GreaterThanOrEqualTo(wide.Upper[h - 1] - wide.Mean[h - 1] - RoundOffTolerance), $"step {h + 1}");
                }
            }

            Assert.That(wide.Upper[0] - wide.Lower[0], Is.GreaterThan(0));
        });
    }

    [Test]
    public void Forecast_ShorterHorizon_IsThePrefix()
    {
        var model = SeriesForecaster.Fit(TrendingSeasonal(150, 5), 10, Quick);

        Assert.That(model.Forecast(4, 0.9).Mean, Is.EqualTo(model.Forecast(0.9).Mean.Take(4)));
    }

    [Test]
    public void Fit_MultiplicativeSeason_TakesTheLogAndForecastsPositive()
    {
        var random = new Random(6);
        var y = Enumerable.Range(0, 144).Select(t =>
            Math.Exp(4.8 + 0.01 * t + 0.15 * Math.Sin(2 * Math.PI * t / 12) + 0.03 * (random.NextDouble() - 0.5))).ToArray();

        var model = SeriesForecaster.Fit(y.AsSpan(0, 132), 12, Quick);
        var forecast = model.Forecast();

        Assert.Multiple(() =>
        {
            Assert.That(model.Configuration.BoxCoxLambda, Is.Zero);
            Assert.That(model.Configuration.SeasonalPeriod, Is.EqualTo(12));
            Assert.That(MeanAbsoluteError(y.AsSpan(132), forecast.Mean), Is.LessThan(0.3 * MeanAbsoluteError(y.AsSpan(132), y[120..132])));
            Assert.That(forecast.Lower, Has.All.GreaterThan(0.0));
        });
    }

    [Test]
    public void Fit_Progress_ReportsEveryValidationAndEnsembleFit()
    {
        var reports = new List<SeriesForecasterProgress>();
        var progress = new SynchronousProgress(reports);

        var model = SeriesForecaster.Fit(TrendingSeasonal(120, 8), 6, Quick, progress);

        Assert.Multiple(() =>
        {
            Assert.That(reports.Count(r => r.Stage == "validation"), Is.EqualTo(model.Configuration.Candidates.Length));
            Assert.That(reports.Where(r => r.Stage == "validation").Max(r => r.Completed), Is.EqualTo(model.Configuration.Candidates.Length));
            Assert.That(reports.Count(r => r.Stage == "ensemble"), Is.EqualTo(2));
        });
    }

    [Test]
    public void Configuration_ChosenCandidate_HasTheLowestValidationMase()
    {
        var configuration = SeriesForecaster.Fit(TrendingSeasonal(150, 9), 8, Quick).Configuration;

        var best = configuration.Candidates.MinBy(c => c.ValidationMase)!;
        Assert.Multiple(() =>
        {
            Assert.That(configuration.Candidates.Length, Is.GreaterThan(1));
            Assert.That((configuration.SeasonalDifferences, configuration.Differences, configuration.Method, configuration.MaxTimeConstant),
                Is.EqualTo((best.SeasonalDifferences, best.Differences, best.Method, best.MaxTimeConstant)));
            Assert.That(configuration.ValidationForecasts, Is.GreaterThan(0));
        });
    }

    [Test]
    public void Fit_FixedChoices_AreHonoured()
    {
        var configuration = SeriesForecaster.Fit(TrendingSeasonal(150, 9), 8, Quick with
        {
            SeasonalPeriod = 13, Transform = SeriesTransform.None, Differences = 0, SeasonalDifferences = 1,
            Method = SeriesForecastMethod.ClosedLoop, UnitCount = 30, WashoutSteps = 10,
        }).Configuration;

        Assert.Multiple(() =>
        {
            Assert.That(configuration.SeasonalPeriod, Is.EqualTo(13));
            Assert.That(configuration.BoxCoxLambda, Is.EqualTo(1));
            Assert.That(configuration.Differences, Is.Zero);
            Assert.That(configuration.SeasonalDifferences, Is.EqualTo(1));
            Assert.That(configuration.Method, Is.EqualTo(SeriesForecastMethod.ClosedLoop));
            Assert.That(configuration.UnitCount, Is.EqualTo(30));
            Assert.That(configuration.WashoutSteps, Is.EqualTo(10));
            Assert.That(configuration.Candidates, Has.All.Matches<SeriesForecastCandidate>(c => c.Method == SeriesForecastMethod.ClosedLoop));
        });
    }

    [Test]
    public void Fit_TooShortSeries_ThrowsWithTheMinimum()
    {
        var e = Assert.Throws<ArgumentException>(() => SeriesForecaster.Fit(Drifting(35, 1), 10));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("series"));
            Assert.That(e.Message, Does.Contain("at least 36"));
            Assert.That(SeriesForecaster.MinimumLength(10), Is.EqualTo(36));
        });
    }

    [TestCase(double.PositiveInfinity)]
    [TestCase(double.NegativeInfinity)]
    public void Fit_InfiniteValue_Throws(double value)
    {
        var y = Drifting(60, 1);
        y[5] = value;

        var e = Assert.Throws<ArgumentException>(() => SeriesForecaster.Fit(y, 5));

        Assert.That(e!.Message, Does.Contain("series[5]"));
    }

    [Test]
    public void Fit_AllMissing_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => SeriesForecaster.Fit(Enumerable.Repeat(double.NaN, 60).ToArray(), 5));

        Assert.That(e!.ParamName, Is.EqualTo("series"));
    }

    [TestCase(1)]
    [TestCase(null)]
    public void Fit_SeasonalDifferenceWithoutASeason_ThrowsNamingIt(int? period)
    {
        var e = Assert.Throws<ArgumentException>(() =>
            SeriesForecaster.Fit(Drifting(60, 1), 5, new SeriesForecasterOptions { SeasonalPeriod = period, SeasonalDifferences = 1 }));

        Assert.That(e!.ParamName, Is.EqualTo("SeasonalDifferences"));
    }

    [TestCase(SeriesTransform.Log)]
    [TestCase(SeriesTransform.BoxCox)]
    public void Fit_TransformOfNonPositiveSeries_ThrowsNamingTransform(SeriesTransform transform)
    {
        var y = Drifting(60, 1);
        y[3] = -1;

        var e = Assert.Throws<ArgumentException>(() => SeriesForecaster.Fit(y, 5, new SeriesForecasterOptions { Transform = transform }));

        Assert.That(e!.ParamName, Is.EqualTo("Transform"));
    }

    private static IEnumerable<TestCaseData> InvalidOptions()
    {
        var valid = new SeriesForecasterOptions();
        yield return new TestCaseData(valid with { SeasonalPeriod = 0 }, "SeasonalPeriod");
        yield return new TestCaseData(valid with { MissingValues = (MissingValuePolicy)9 }, "MissingValues");
        yield return new TestCaseData(valid with { Transform = (SeriesTransform)9 }, "Transform");
        yield return new TestCaseData(valid with { BoxCoxLambda = double.NaN }, "BoxCoxLambda");
        yield return new TestCaseData(valid with { BoxCoxLambda = 2.5 }, "BoxCoxLambda");
        yield return new TestCaseData(valid with { Differences = -1 }, "Differences");
        yield return new TestCaseData(valid with { Differences = 3 }, "Differences");
        yield return new TestCaseData(valid with { SeasonalDifferences = 2 }, "SeasonalDifferences");
        yield return new TestCaseData(valid with { Method = (SeriesForecastMethod)9 }, "Method");
        yield return new TestCaseData(valid with { UnitCount = 0 }, "UnitCount");
        yield return new TestCaseData(valid with { WashoutSteps = -1 }, "WashoutSteps");
        yield return new TestCaseData(valid with { EnsembleSize = 0 }, "EnsembleSize");
        yield return new TestCaseData(valid with { MaxDegreeOfParallelism = 0 }, "MaxDegreeOfParallelism");
        yield return new TestCaseData(valid with { MaxDegreeOfParallelism = -2 }, "MaxDegreeOfParallelism");
    }

    [TestCaseSource(nameof(InvalidOptions))]
    public void Fit_InvalidOption_ThrowsNamingTheMember(SeriesForecasterOptions options, string member)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SeriesForecaster.Fit(Drifting(60, 1), 5, options));

        Assert.That(e!.ParamName, Is.EqualTo(member));
    }

    [TestCase(0)]
    [TestCase(-3)]
    public void Fit_HorizonBelowOne_Throws(int horizon)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SeriesForecaster.Fit(Drifting(60, 1), horizon));

        Assert.That(e!.ParamName, Is.EqualTo("horizon"));
    }

    [TestCase(0, 0.95, "horizon")]
    [TestCase(11, 0.95, "horizon")]
    [TestCase(5, 0.0, "level")]
    [TestCase(5, 1.0, "level")]
    [TestCase(5, double.NaN, "level")]
    public void Forecast_OutOfRange_Throws(int horizon, double level, string name)
    {
        var model = SeriesForecaster.Fit(Drifting(60, 1), 10, Quick);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Forecast(horizon, level));

        Assert.That(e!.ParamName, Is.EqualTo(name));
    }

    /// <summary>An <see cref="IProgress{T}"/> that records on the reporting thread (Progress&lt;T&gt; posts later).</summary>
    private sealed class SynchronousProgress(List<SeriesForecasterProgress> reports) : IProgress<SeriesForecasterProgress>
    {
        public void Report(SeriesForecasterProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
