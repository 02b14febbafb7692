using NUnit.Framework;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Pipelines;

[TestFixture]
public sealed class ThetaMethodTests
{
    private const double Tolerance = 1e-12;

    [Test]
    public void Forecast_NoSeason_MatchesAHandComputation()
    {
        // α = 0.5 from ℓ(0) = 1 over 1, 3, 2, 4: levels 1, 2, 2, 3. Least-squares slope over t = 0…3: 4/5, drift 0.4.
        // (1 − 0.5⁴)/0.5 = 1.875, so the forecasts are 3 + 0.4·(h + 1.875).
        var theta = new ThetaMethod(0.5, 1);

        var forecast = theta.Forecast([1, 3, 2, 4], 3, 3);

        Assert.That(forecast, Is.EqualTo(new[] { 3 + 0.4 * 1.875, 3 + 0.4 * 2.875, 3 + 0.4 * 3.875 }).Within(Tolerance));
    }

    [Test]
    public void Decompose_EvenPeriod_MatchesAHandComputation()
    {
        // Period 2: the centred average at t is (x(t−1)/2 + x(t) + x(t+1)/2)/2 = 3, so the ratios are 4/3 and 2/3.
        var indices = ThetaMethod.Decompose([2, 4, 2, 4, 2, 4], 2);

        Assert.That(indices, Is.EqualTo(new[] { 2.0 / 3, 4.0 / 3 }).Within(Tolerance));
    }

    [Test]
    public void Decompose_ValueNotPositive_IsNull() =>
        Assert.That(ThetaMethod.Decompose([2, 4, 0, 4, 2, 4], 2), Is.Null);

    [Test]
    public void Forecast_SeasonalIndices_ReseasonalisesByPhase()
    {
        // The deseasonalised series is 3 throughout; with α = 1 the level is 3 and the slope 0; step 1 follows phase 0.
        var theta = new ThetaMethod(1, 0) { SeasonalIndices = [2.0 / 3, 4.0 / 3] };

        Assert.That(theta.Forecast([2, 4, 2, 4, 2, 4], 5, 3), Is.EqualTo(new[] { 2.0, 4.0, 2.0 }).Within(Tolerance));
    }

    [Test]
    public void Fit_Line_TakesAlphaOneAndHalfTheSlope()
    {
        // On a line the one-step errors are least with α = 1 (each is the slope, 2); the drift is half the slope.
        var x = Enumerable.Range(0, 30).Select(t => 10 + 2.0 * t).ToArray();

        var theta = ThetaMethod.Fit(x, 29, 1);

        Assert.Multiple(() =>
        {
            Assert.That(theta.Alpha, Is.EqualTo(1));
            Assert.That(theta.SeasonalIndices, Is.Empty);
            Assert.That(theta.Forecast(x, 29, 3), Is.EqualTo(new[] { 68 + 1.0, 68 + 2.0, 68 + 3.0 }).Within(1e-9));
        });
    }

    [Test]
    public void Fit_StrongSeason_DeseasonalisesAndIsDeterministic()
    {
        var x = Enumerable.Range(0, 96).Select(t => 20 + 0.1 * t + 5 * Math.Sin(2 * Math.PI * t / 12)).ToArray();

        var first = ThetaMethod.Fit(x, 95, 12);
        var second = ThetaMethod.Fit(x, 95, 12);

        Assert.Multiple(() =>
        {
            Assert.That(ThetaMethod.IsSeasonal(x, 12), Is.True);
            Assert.That(first.SeasonalIndices, Has.Length.EqualTo(12));
            Assert.That(first.SeasonalIndices.Average(), Is.EqualTo(1).Within(Tolerance));
            Assert.That(second, Is.EqualTo(first));
        });
    }

    [Test]
    public void IsSeasonal_NoiseOrConstant_IsFalse()
    {
        var random = new Random(5);
        var noise = Enumerable.Range(0, 120).Select(_ => 10 + random.NextDouble()).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(ThetaMethod.IsSeasonal(noise, 12), Is.False);
            Assert.That(ThetaMethod.IsSeasonal(Enumerable.Repeat(3.0, 48).ToArray(), 12), Is.False);
        });
    }

    [Test]
    public void Forecast_ReadsOnlyUpToLast()
    {
        var x = Enumerable.Range(0, 60).Select(t => 20 + Math.Sin(t / 2.0) + 0.1 * t).ToArray();
        var theta = ThetaMethod.Fit(x, 40, 4);

        var changed = (double[])x.Clone();
        changed[50] = 1000;

        Assert.That(theta.Forecast(changed, 40, 5), Is.EqualTo(theta.Forecast(x, 40, 5)));
    }
}
