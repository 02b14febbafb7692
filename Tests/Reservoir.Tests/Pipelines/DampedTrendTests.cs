using NUnit.Framework;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Pipelines;

[TestFixture]
public sealed class DampedTrendTests
{
    private const double Tolerance = 1e-9;

    [Test]
    public void Forecast_LineWithAlphaAndBetaOne_FollowsTheSlopeDamped()
    {
        // With α = β = 1 the level is the last value and the trend the last difference: z(last) + 2·(φ + … + φ^h).
        var z = Enumerable.Range(0, 20).Select(t => 3 + 2.0 * t).ToArray();

        var forecast = new DampedTrend(1, 1, 0.9).Forecast(z, 19, 4);

        Assert.That(forecast, Is.EqualTo(new[] { 41 + 2 * 0.9, 41 + 2 * (0.9 + 0.81), 41 + 2 * (0.9 + 0.81 + 0.729), 41 + 2 * (0.9 + 0.81 + 0.729 + 0.6561) })
            .Within(Tolerance));
    }

    [Test]
    public void Forecast_ReadsOnlyUpToLast()
    {
        var z = Enumerable.Range(0, 30).Select(t => Math.Sin(t / 3.0) + 0.1 * t).ToArray();
        var trend = DampedTrend.Fit(z, 20);

        var changed = (double[])z.Clone();
        changed[25] = 1000;

        Assert.That(trend.Forecast(changed, 20, 5), Is.EqualTo(trend.Forecast(z, 20, 5)));
    }

    [Test]
    public void Fit_ConstantSeries_ForecastsTheConstant()
    {
        var z = Enumerable.Repeat(5.0, 30).ToArray();

        Assert.That(DampedTrend.Fit(z, 29).Forecast(z, 29, 6), Has.All.EqualTo(5.0));
    }

    [Test]
    public void Fit_NoisyTrend_BeatsTheNaiveForecast()
    {
        var random = new Random(3);
        var z = Enumerable.Range(0, 120).Select(t => 0.5 * t + random.NextDouble() - 0.5).ToArray();

        var forecast = DampedTrend.Fit(z, 99).Forecast(z, 99, 10);

        var damped = Enumerable.Range(0, 10).Sum(h => Math.Abs(z[100 + h] - forecast[h]));
        var naive = Enumerable.Range(0, 10).Sum(h => Math.Abs(z[100 + h] - z[99]));
        Assert.That(damped, Is.LessThan(0.5 * naive));
    }
}
