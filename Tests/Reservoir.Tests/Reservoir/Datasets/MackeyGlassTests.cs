using NUnit.Framework;
using Reservoir.Datasets;

namespace Reservoir.Tests.Datasets;

/// <summary>Behaviour of <see cref="MackeyGlass.Generate"/>: range, determinism, integrators and sampling.</summary>
[TestFixture]
public sealed partial class MackeyGlassTests
{
    /// <summary>Bounds that every sample of the default τ = 17 series stays in.</summary>
    private const double AttractorLow = 0.2;
    private const double AttractorHigh = 1.4;

    /// <summary>The default series visits most of its attractor: well below 0.6 and above 1.2.</summary>
    private const double VisitsBelow = 0.6;
    private const double VisitsAbove = 1.2;

    /// <summary>A series that moves has a standard deviation above this.</summary>
    private const double MinimumStandardDeviation = 0.15;

    /// <summary>Euler (δ = 0.1) and Runge-Kutta 4 (h = 0.1) agree on mean and standard deviation to within this (measured: about 0.001).</summary>
    private const double IntegratorStatisticsTolerance = 0.02;

    /// <summary>Tolerance of a single hand-computed integration step.</summary>
    private const double HandComputedTolerance = 1e-14;

    private const int Seed = 42;

    private static readonly MackeyGlassOptions RungeKutta = new() { Integrator = MackeyGlassIntegrator.RungeKutta4 };

    [Test]
    public void Generate_Defaults_StaysOnClassicAttractor()
    {
        var series = MackeyGlass.Generate(2000, Seed);

        Assert.Multiple(() =>
        {
            Assert.That(series, Has.Length.EqualTo(2000));
            Assert.That(series, Is.All.InRange(AttractorLow, AttractorHigh));
            Assert.That(series.Min(), Is.LessThan(VisitsBelow));
            Assert.That(series.Max(), Is.GreaterThan(VisitsAbove));
            Assert.That(StandardDeviation(series), Is.GreaterThan(MinimumStandardDeviation));
        });
    }

    [Test]
    public void Generate_RungeKutta4_StaysOnClassicAttractor()
    {
        var series = MackeyGlass.Generate(2000, Seed, RungeKutta);

        Assert.Multiple(() =>
        {
            Assert.That(series, Is.All.InRange(AttractorLow, AttractorHigh));
            Assert.That(StandardDeviation(series), Is.GreaterThan(MinimumStandardDeviation));
        });
    }

    [TestCase(MackeyGlassIntegrator.Euler)]
    [TestCase(MackeyGlassIntegrator.RungeKutta4)]
    public void Generate_SameSeed_BitIdentical(MackeyGlassIntegrator integrator)
    {
        var options = new MackeyGlassOptions { Integrator = integrator };

        var first = MackeyGlass.Generate(500, Seed, options);
        var second = MackeyGlass.Generate(500, Seed, options);

        Assert.That(second, Is.EqualTo(first).AsCollection);
    }

    [TestCase(MackeyGlassIntegrator.Euler)]
    [TestCase(MackeyGlassIntegrator.RungeKutta4)]
    public void Generate_DifferentSeeds_Differ(MackeyGlassIntegrator integrator)
    {
        var options = new MackeyGlassOptions { Integrator = integrator };

        var first = MackeyGlass.Generate(500, Seed, options);
        var second = MackeyGlass.Generate(500, Seed + 1, options);

        Assert.That(second, Is.Not.EqualTo(first).AsCollection);
    }

    [Test]
    public void Generate_ZeroJitter_IgnoresSeed()
    {
        var options = new MackeyGlassOptions { HistoryJitter = 0 };

        var first = MackeyGlass.Generate(200, Seed, options);
        var second = MackeyGlass.Generate(200, Seed + 1, options);

        Assert.That(second, Is.EqualTo(first).AsCollection);
    }

    [Test]
    public void Generate_NullOptions_EqualsDefaultOptions()
    {
        var implicitDefaults = MackeyGlass.Generate(300, Seed);
        var explicitDefaults = MackeyGlass.Generate(300, Seed, new MackeyGlassOptions());

        Assert.That(explicitDefaults, Is.EqualTo(implicitDefaults).AsCollection);
    }

    [Test]
    public void Generate_EulerAndRungeKutta4_SimilarStatistics()
    {
        var euler = MackeyGlass.Generate(5000, Seed);
        var rungeKutta = MackeyGlass.Generate(5000, Seed, RungeKutta);

        Assert.Multiple(() =>
        {
            Assert.That(rungeKutta.Average(), Is.EqualTo(euler.Average()).Within(IntegratorStatisticsTolerance));
            Assert.That(StandardDeviation(rungeKutta), Is.EqualTo(StandardDeviation(euler)).Within(IntegratorStatisticsTolerance));
        });
    }

    [Test]
    public void Generate_RungeKutta4NonIntegerDelay_StaysOnAttractor()
    {
        var series = MackeyGlass.Generate(1000, Seed, RungeKutta with { Tau = 17.05 });

        Assert.That(series, Is.All.InRange(AttractorLow, AttractorHigh));
    }

    [Test]
    public void Generate_NoTransient_FirstSampleIsJitteredInitialValue()
    {
        var options = new MackeyGlassOptions { TransientSamples = 0 };

        var series = MackeyGlass.Generate(1, Seed, options);

        Assert.That(series[0], Is.InRange(options.InitialValue - options.HistoryJitter, options.InitialValue + options.HistoryJitter));
    }

    [TestCase(MackeyGlassIntegrator.Euler)]
    [TestCase(MackeyGlassIntegrator.RungeKutta4)]
    public void Generate_TransientSamples_DropsLeadingSamples(MackeyGlassIntegrator integrator)
    {
        var options = new MackeyGlassOptions { Integrator = integrator, TransientSamples = 0 };

        var full = MackeyGlass.Generate(50, Seed, options);
        var trimmed = MackeyGlass.Generate(40, Seed, options with { TransientSamples = 10 });

        Assert.That(trimmed, Is.EqualTo(full[10..]).AsCollection);
    }

    [Test]
    public void Generate_Subsample_KeepsEveryKthStep()
    {
        var everyStep = MackeyGlass.Generate(101, Seed, new MackeyGlassOptions { Subsample = 1, TransientSamples = 0 });
        var everyTenth = MackeyGlass.Generate(11, Seed, new MackeyGlassOptions { Subsample = 10, TransientSamples = 0 });

        var expected = Enumerable.Range(0, 11).Select(i => everyStep[10 * i]).ToArray();
        Assert.That(everyTenth, Is.EqualTo(expected).AsCollection);
    }

    [Test]
    public void Generate_EulerFirstStep_MatchesHandComputation()
    {
        var options = new MackeyGlassOptions { HistoryJitter = 0, Subsample = 1, TransientSamples = 0 };

        var series = MackeyGlass.Generate(2, Seed, options);

        // Constant history y = 1.2, so the delayed value is 1.2 as well.
        const double y = 1.2;
        var expected = y + 0.1 * (0.2 * y / (1 + Math.Pow(y, 10)) - 0.1 * y);
        Assert.Multiple(() =>
        {
            Assert.That(series[0], Is.EqualTo(y));
            Assert.That(series[1], Is.EqualTo(expected).Within(HandComputedTolerance));
        });
    }

    [Test]
    public void Generate_RungeKutta4FirstStep_MatchesHandComputation()
    {
        var options = RungeKutta with { HistoryJitter = 0, Subsample = 1, TransientSamples = 0 };

        var series = MackeyGlass.Generate(2, Seed, options);

        // Constant history: every delayed value (also the interpolated half-step one) is 1.2.
        const double y = 1.2;
        const double h = 0.1;
        const double delayedTerm = 0.2 * y;
        var feedback = delayedTerm / (1 + Math.Pow(y, 10));
        var k1 = feedback - 0.1 * y;
        var k2 = feedback - 0.1 * (y + h / 2 * k1);
        var k3 = feedback - 0.1 * (y + h / 2 * k2);
        var k4 = feedback - 0.1 * (y + h * k3);
        var expected = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
        Assert.That(series[1], Is.EqualTo(expected).Within(HandComputedTolerance));
    }

    private static double StandardDeviation(double[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }
}
