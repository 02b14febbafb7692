using NUnit.Framework;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Pipelines;

[TestFixture]
public sealed class SeriesPreprocessingTests
{
    private const double Tolerance = 1e-12;

    private static double[] WhiteNoise(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
    }

    private static double[] RandomWalk(int length, int seed)
    {
        var noise = WhiteNoise(length, seed);
        for (var t = 1; t < length; t++)
        {
            noise[t] += noise[t - 1];
        }

        return noise;
    }

    [Test]
    public void FillGaps_InteriorAndEndGaps_InterpolatesAndCounts()
    {
        double[] series = [double.NaN, 1, double.NaN, double.NaN, 4, 5, double.NaN];

        var filled = SeriesPreprocessing.FillGaps(series, MissingValuePolicy.Interpolate, out var count);

        Assert.Multiple(() =>
        {
            Assert.That(filled, Is.EqualTo(new double[] { 1, 1, 2, 3, 4, 5, 5 }).Within(Tolerance));
            Assert.That(count, Is.EqualTo(4));
            Assert.That(series[2], Is.NaN, "the caller's array is not changed");
        });
    }

    [TestCase(0.0)]
    [TestCase(0.5)]
    [TestCase(1.0)]
    [TestCase(-0.5)]
    [TestCase(2.0)]
    public void BoxCox_RoundTrip_ReturnsTheValue(double lambda)
    {
        foreach (var y in new[] { 0.01, 0.7, 1, 3.5, 250 })
        {
            Assert.That(SeriesPreprocessing.InverseBoxCox(SeriesPreprocessing.BoxCox(y, lambda), lambda), Is.EqualTo(y).Within(1e-10 * y));
        }
    }

    [Test]
    public void BoxCox_ZeroAndOne_AreLogAndIdentity()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SeriesPreprocessing.BoxCox(Math.E, 0), Is.EqualTo(1).Within(Tolerance));
            Assert.That(SeriesPreprocessing.BoxCox(7.25, 1), Is.EqualTo(7.25));
            Assert.That(SeriesPreprocessing.BoxCox(4, 0.5), Is.EqualTo(2).Within(Tolerance));
        });
    }

    [Test]
    public void GuerreroLambda_SwingsGrowingWithTheLevel_ChoosesTheLog()
    {
        var y = Enumerable.Range(0, 120).Select(t => Math.Exp(3 + 0.02 * t + 0.2 * Math.Sin(2 * Math.PI * t / 12))).ToArray();

        Assert.That(SeriesPreprocessing.GuerreroLambda(y, 12, [0, 0.5, 1]), Is.Zero);
    }

    [Test]
    public void GuerreroLambda_ConstantSwings_ChoosesNoTransform()
    {
        var y = Enumerable.Range(0, 120).Select(t => 50 + 0.5 * t + 5 * Math.Sin(2 * Math.PI * t / 12)).ToArray();

        Assert.That(SeriesPreprocessing.GuerreroLambda(y, 12, [0, 0.5, 1]), Is.EqualTo(1));
    }

    [Test]
    public void Kpss_WhiteNoise_IsStationaryAndRandomWalk_IsNot()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SeriesPreprocessing.Kpss(WhiteNoise(200, 1)), Is.LessThan(SeriesPreprocessing.KpssCritical5Percent));
            Assert.That(SeriesPreprocessing.Kpss(RandomWalk(200, 1)), Is.GreaterThan(SeriesPreprocessing.KpssCritical5Percent));
            Assert.That(SeriesPreprocessing.Kpss(Enumerable.Range(0, 100).Select(t => (double)t).ToArray()),
                Is.GreaterThan(SeriesPreprocessing.KpssCritical5Percent), "a trend");
        });
    }

    [Test]
    public void Kpss_SmallSeries_MatchesTheStatisticComputedByHand()
    {
        // n = 4 gives trunc(4·0.04^¼) = 1 lag. e = (-1.5, 0.5, -0.5, 1.5), S = (-1.5, -1, -1.5, 0), ΣS² = 5.5,
        // γ0 = 5/4, γ1 = (-0.75 - 0.25 - 0.75)/4 = -0.4375, σ² = γ0 + 2·(1/2)·γ1 = 0.8125, η = 5.5 / (16·0.8125).
        double[] series = [1, 3, 2, 4];

        Assert.That(SeriesPreprocessing.Kpss(series), Is.EqualTo(5.5 / (16 * 0.8125)).Within(Tolerance));
    }

    [Test]
    public void DetectPeriod_SeasonalSeriesWithTrend_FindsThePeriod()
    {
        var noise = WhiteNoise(200, 2);
        var y = Enumerable.Range(0, 200).Select(t => 0.1 * t + Math.Sin(2 * Math.PI * t / 12) + 0.3 * noise[t]).ToArray();

        Assert.That(SeriesPreprocessing.DetectPeriod(y, 60), Is.EqualTo(12));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void DetectPeriod_NoSeason_IsOne(int seed)
    {
        Assert.Multiple(() =>
        {
            Assert.That(SeriesPreprocessing.DetectPeriod(WhiteNoise(200, seed), 60), Is.EqualTo(1));
            Assert.That(SeriesPreprocessing.DetectPeriod(RandomWalk(200, seed), 60), Is.EqualTo(1));
        });
    }

    [TestCase(0, 0)]
    [TestCase(0, 1)]
    [TestCase(1, 0)]
    [TestCase(1, 1)]
    [TestCase(0, 2)]
    public void Integrate_TrueDifferencedFuture_GivesBackTheSeries(int seasonalDifferences, int differences)
    {
        // Integers keep every difference and sum exact.
        var z = Enumerable.Range(0, 60).Select(t => (double)((t * t) % 17 + 3 * (t % 5))).ToArray();
        var design = new SeriesDesign(z, 5, seasonalDifferences, differences);
        const int Origin = 40;
        var differenced = Enumerable.Range(Origin + 1, 8).Select(design.Differenced).ToArray();

        Assert.That(design.Integrate(Origin, differenced), Is.EqualTo(z[(Origin + 1)..(Origin + 9)]));
    }

    [TestCase(0, 0)]
    [TestCase(1, 1)]
    [TestCase(0, 2)]
    public void Append_ValueByValue_EqualsTheDesignOfTheWholeSeries(int seasonalDifferences, int differences)
    {
        var z = Enumerable.Range(0, 60).Select(t => Math.Sin(t / 3.0) + 0.1 * t).ToArray();
        var whole = new SeriesDesign(z, 5, seasonalDifferences, differences);
        var grown = new SeriesDesign(z[..30], 5, seasonalDifferences, differences);
        var copy = grown.Clone();

        foreach (var value in z[30..])
        {
            grown.Append(value);
        }

        copy.Append(1e6);
        copy.RemoveLast();
        Assert.Multiple(() =>
        {
            Assert.That(grown.Length, Is.EqualTo(60));
            Assert.That(copy.Length, Is.EqualTo(30), "the copy is independent and RemoveLast undoes Append");
            Assert.That(Enumerable.Range(whole.Offset, 60 - whole.Offset).Select(grown.Differenced),
                Is.EqualTo(Enumerable.Range(whole.Offset, 60 - whole.Offset).Select(whole.Differenced)));
            Assert.That(grown.Integrate(50, [0.5, -0.25, 1]), Is.EqualTo(whole.Integrate(50, [0.5, -0.25, 1])));
        });
    }

    [Test]
    public void Rows_WithASeason_HoldTheValueAndThePhase()
    {
        var z = Enumerable.Range(0, 30).Select(t => (double)(t * t)).ToArray();
        var design = new SeriesDesign(z, 4, 0, 1);

        var rows = design.Rows(6, 7);

        Assert.Multiple(() =>
        {
            Assert.That(design.Offset, Is.EqualTo(1));
            Assert.That(design.FirstRow, Is.EqualTo(1));
            Assert.That(SeriesDesign.FirstRowFor(4, 0, 1), Is.EqualTo(design.FirstRow));
            Assert.That(SeriesDesign.FirstRowFor(4, 1, 1), Is.EqualTo(new SeriesDesign(z, 4, 1, 1).FirstRow));
            Assert.That(SeriesDesign.FirstRowFor(1, 0, 1), Is.EqualTo(new SeriesDesign(z, 1, 0, 1).FirstRow));
            Assert.That(design.InputWidth, Is.EqualTo(3));
            Assert.That(rows[0, 0], Is.EqualTo(11), "v(t) = 2t − 1");
            Assert.That(rows[0, 1], Is.EqualTo(Math.Sin(2 * Math.PI * 2 / 4)).Within(Tolerance));
            Assert.That(rows[1, 2], Is.EqualTo(Math.Cos(2 * Math.PI * 3 / 4)).Within(Tolerance));
        });
    }

    [Test]
    public void Rows_WithoutASeason_HoldFourLagsAndNoPhase()
    {
        var design = new SeriesDesign(Enumerable.Range(0, 30).Select(t => (double)t).ToArray(), 1, 0, 0);

        var rows = design.Rows(3, 3);

        Assert.That(Enumerable.Range(0, design.InputWidth).Select(j => rows[0, j]), Is.EqualTo(new double[] { 3, 2, 1, 0 }));
    }
}
