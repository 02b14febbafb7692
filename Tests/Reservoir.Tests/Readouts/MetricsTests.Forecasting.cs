using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

/// <summary>MASE, sMAPE, MAPE, pinball loss and interval coverage.</summary>
public sealed partial class MetricsTests
{
    [Test]
    public void Mase_LagOne_MaeOverMeanAbsoluteFirstDifference()
    {
        // Training differences 2, −1, 3: scale 6/3 = 2. Errors 1 and 2: MAE 1.5.
        Assert.That(Metrics.Mase([4, 6], [5, 4], [1, 3, 2, 5]), Is.EqualTo(0.75).Within(Tolerance));
    }

    [Test]
    public void Mase_SeasonalPeriodTwo_ScaleUsesLagTwo()
    {
        // Lag-2 differences of the training series: |3 − 1|, |5 − 2|, |4 − 3|, |8 − 5| → scale 9/4. Error 4.5.
        Assert.That(Metrics.Mase([1], [5.5], [1, 2, 3, 5, 4, 8], seasonalPeriod: 2), Is.EqualTo(2).Within(Tolerance));
    }

    [Test]
    public void Mase_PerfectForecast_IsZero() =>
        Assert.That(Metrics.Mase([4, 6], [4, 6], [1, 3, 2, 5]), Is.Zero);

    [Test]
    public void Mase_TrainingOneLongerThanPeriod_UsesTheSingleError() =>
        Assert.That(Metrics.Mase([0], [3], [1, 2, 3, 7], seasonalPeriod: 3), Is.EqualTo(0.5).Within(Tolerance));

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(int.MinValue)]
    public void Mase_SeasonalPeriodBelowOne_Throws(int seasonalPeriod)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Metrics.Mase([1], [1], [1, 2, 3], seasonalPeriod));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("seasonalPeriod"));
            Assert.That(e.Message, Does.Contain($"was {seasonalPeriod}"));
        });
    }

    [TestCase(1, 0)]
    [TestCase(1, 1)]
    [TestCase(3, 3)]
    [TestCase(12, 7)]
    public void Mase_TrainingNoLongerThanPeriod_ThrowsWithNeededLength(int seasonalPeriod, int length)
    {
        var training = Enumerable.Range(0, length).Select(i => (double)i).ToArray();

        var e = Assert.Throws<ArgumentException>(() => Metrics.Mase([1], [2], training, seasonalPeriod));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("training"));
            Assert.That(e.Message, Does.Contain($"has {length} values").And.Contain($"at least {seasonalPeriod + 1}"));
        });
    }

    [TestCase(new[] { 2.0, 2.0, 2.0 }, 1)]
    [TestCase(new[] { 1.0, 2.0, 1.0, 2.0, 1.0 }, 2)]
    [TestCase(new[] { 0.0, 0.0 }, 1)]
    public void Mase_NoNaiveError_ThrowsZeroScale(double[] training, int seasonalPeriod)
    {
        var e = Assert.Throws<ArgumentException>(() => Metrics.Mase([1], [2], training, seasonalPeriod));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("training"));
            Assert.That(e.Message, Does.Contain($"lag {seasonalPeriod}").And.Contain("undefined"));
        });
    }

    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    [TestCase(double.NegativeInfinity)]
    public void Mase_NonFiniteTraining_ThrowsNamingIndex(double bad)
    {
        var e = Assert.Throws<ArgumentException>(() => Metrics.Mase([1], [2], [1, 2, bad, 4]));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("training"));
            Assert.That(e.Message, Does.Contain("index 2"));
        });
    }

    [Test]
    public void Mase_TwoTrainingValues_ScaleIsTheirDistance() =>
        Assert.That(Metrics.Mase([1], [2], [-3, 0.5]), Is.EqualTo(1 / 3.5).Within(Tolerance));

    [Test]
    public void Smape_HandValues_MeanOfSymmetricPercentages()
    {
        // 200·10/210; both zero → 0; one zero → 200; 200·4/(2 + 2) = 200.
        var expected = (2000.0 / 210 + 0 + 200 + 200) / 4;

        Assert.That(Metrics.Smape([100, 0, 0, -2], [110, 0, 3, 2]), Is.EqualTo(expected).Within(Tolerance));
    }

    [Test]
    public void Smape_BothZeroEverywhere_IsZero() =>
        Assert.That(Metrics.Smape([0, 0], [0, 0]), Is.Zero);

    [Test]
    public void Smape_OppositeSigns_IsTheMaximum200() =>
        Assert.That(Metrics.Smape([1, -5], [-1, 5]), Is.EqualTo(200).Within(Tolerance));

    [Test]
    public void Smape_SwappedArguments_SameValue() =>
        Assert.That(Metrics.Smape([3, 7, 1], [4, 5, 2]), Is.EqualTo(Metrics.Smape([4, 5, 2], [3, 7, 1])));

    [Test]
    public void Mape_HandValues_MeanOfAbsolutePercentages()
    {
        // 100·1/2, 100·1/4, 0.
        Assert.That(Metrics.Mape([2, -4, 5], [3, -3, 5]), Is.EqualTo(25).Within(Tolerance));
    }

    [TestCase(0, 0.0)]
    [TestCase(2, -0.0)]
    public void Mape_ZeroTruth_ThrowsNamingIndex(int index, double zero)
    {
        double[] truth = [1, 2, 3];
        truth[index] = zero;

        var e = Assert.Throws<ArgumentException>(() => Metrics.Mape(truth, [1, 2, 3]));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("truth"));
            Assert.That(e.Message, Does.Contain($"index {index}"));
        });
    }

    [Test]
    public void PinballLoss_HandValues_WeighsUnderAndOverForecasts()
    {
        // τ = 0.9: truth 2 above q costs 0.9·2 = 1.8; truth 3 below q costs 0.1·3 = 0.3.
        Assert.That(Metrics.PinballLoss([10, 10], [8, 13], 0.9), Is.EqualTo(1.05).Within(Tolerance));
    }

    [Test]
    public void PinballLoss_Median_IsHalfTheMae() =>
        Assert.That(Metrics.PinballLoss([1, 2, 3, 4], [2, 2, 3, 4.5], 0.5),
            Is.EqualTo(Metrics.Mae([1, 2, 3, 4], [2, 2, 3, 4.5]) / 2).Within(Tolerance));

    [TestCase(1e-12)]
    [TestCase(1 - 1e-12)]
    public void PinballLoss_LevelJustInsideTheInterval_Computes(double level) =>
        Assert.That(Metrics.PinballLoss([1, 3], [2, 2], level), Is.EqualTo(0.5).Within(1e-11));

    [TestCase(0.0)]
    [TestCase(1.0)]
    [TestCase(-0.1)]
    [TestCase(1.1)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    [TestCase(double.NegativeInfinity)]
    public void PinballLoss_LevelOutside_Throws(double level)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Metrics.PinballLoss([1], [1], level));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("quantileLevel"));
            Assert.That(e.Message, Does.Contain("(0, 1)"));
        });
    }

    [Test]
    public void Coverage_HandValues_CountsBoundsAsInside()
    {
        // 1 in [0, 2]; 2 on the lower bound; 3 below [3.5, 4]; 4 on the upper bound.
        Assert.That(Metrics.Coverage([1, 2, 3, 4], [0, 2, 3.5, 0], [2, 3, 4, 4]), Is.EqualTo(0.75));
    }

    [Test]
    public void Coverage_PointInterval_CoversOnlyExactValues() =>
        Assert.That(Metrics.Coverage([1, 2], [1, 3], [1, 3]), Is.EqualTo(0.5));

    [Test]
    public void Coverage_UpperBelowLower_ThrowsNamingIndex()
    {
        var e = Assert.Throws<ArgumentException>(() => Metrics.Coverage([1, 2, 3], [0, 1, 4], [2, 3, 3.5]));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("upper"));
            Assert.That(e.Message, Does.Contain("index 2").And.Contain("3.5").And.Contain("4"));
        });
    }

    private static IEnumerable<TestCaseData> ForecastMetrics()
    {
        // Each metric called with (truth, second argument); the name is the parameter that the second argument binds to.
        yield return new TestCaseData(new Func<double[], double[], double>((t, p) => Metrics.Mase(t, p, [1, 2, 4])), "prediction")
            .SetArgDisplayNames("Mase", "prediction");
        yield return new TestCaseData(new Func<double[], double[], double>((t, p) => Metrics.Smape(t, p)), "prediction")
            .SetArgDisplayNames("Smape", "prediction");
        yield return new TestCaseData(new Func<double[], double[], double>((t, p) => Metrics.Mape(t, p)), "prediction")
            .SetArgDisplayNames("Mape", "prediction");
        yield return new TestCaseData(new Func<double[], double[], double>((t, p) => Metrics.PinballLoss(t, p, 0.5)), "quantileForecast")
            .SetArgDisplayNames("PinballLoss", "quantileForecast");
        yield return new TestCaseData(new Func<double[], double[], double>((t, p) => Metrics.Coverage(t, p, [.. t.Select(_ => 100.0)])), "lower")
            .SetArgDisplayNames("Coverage", "lower");
        yield return new TestCaseData(new Func<double[], double[], double>((t, p) => Metrics.Coverage(t, [.. t.Select(_ => -100.0)], p)), "upper")
            .SetArgDisplayNames("Coverage", "upper");
    }

    [TestCaseSource(nameof(ForecastMetrics))]
    public void ForecastMetric_LengthsDiffer_ThrowsNamingArgumentAndLengths(Func<double[], double[], double> metric, string name)
    {
        var e = Assert.Throws<ArgumentException>(() => metric([1, 2, 3], [1, 2]));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo(name));
            Assert.That(e.Message, Does.StartWith($"{name} has 2 values").And.Contain("truth has 3"));
        });
    }

    [TestCaseSource(nameof(ForecastMetrics))]
    public void ForecastMetric_Empty_Throws(Func<double[], double[], double> metric, string name)
    {
        var e = Assert.Throws<ArgumentException>(() => metric([], []));

        Assert.That(e!.ParamName, Is.EqualTo("truth"));
    }

    [TestCaseSource(nameof(ForecastMetrics))]
    public void ForecastMetric_NonFinite_ThrowsNamingArgumentAndIndex(Func<double[], double[], double> metric, string name)
    {
        Assert.Multiple(() =>
        {
            var e = Assert.Throws<ArgumentException>(() => metric([1, double.NaN, 3], [1, 2, 3]));
            Assert.That(e!.ParamName, Is.EqualTo("truth"));
            Assert.That(e.Message, Does.Contain("index 1"));

            e = Assert.Throws<ArgumentException>(() => metric([1, 2, 3], [1, 2, double.NegativeInfinity]));
            Assert.That(e!.ParamName, Is.EqualTo(name));
            Assert.That(e.Message, Does.Contain("index 2"));
        });
    }
}
