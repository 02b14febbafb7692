using NUnit.Framework;
using Reservoir.Datasets;

namespace Reservoir.Tests.Datasets;

/// <summary>Behaviour of <see cref="Narma.Generate"/>: recurrence, alignment, determinism and divergence.</summary>
[TestFixture]
public sealed partial class NarmaTests
{
    /// <summary>Tolerance between the generator and the recurrence recomputed in the test.</summary>
    private const double RecurrenceTolerance = 1e-14;

    /// <summary>The NARMA-10 target stays in (0, 1.5) for the seeds tested (measured maximum about 1.12 over 200 seeds).</summary>
    private const double TargetUpperBound = 1.5;

    private const int Seed = 7;

    // The NARMA-10 defaults, repeated here so that the hand computations read like the equation.
    private const double A = 0.3;
    private const double B = 0.05;
    private const double C = 1.5;
    private const double D = 0.1;

    [Test]
    public void Generate_SameSeed_BitIdentical()
    {
        var first = Narma.Generate(1000, Seed);
        var second = Narma.Generate(1000, Seed);

        Assert.Multiple(() =>
        {
            Assert.That(second.Input, Is.EqualTo(first.Input).AsCollection);
            Assert.That(second.Target, Is.EqualTo(first.Target).AsCollection);
        });
    }

    [Test]
    public void Generate_DifferentSeeds_Differ()
    {
        var first = Narma.Generate(1000, Seed);
        var second = Narma.Generate(1000, Seed + 1);

        Assert.Multiple(() =>
        {
            Assert.That(second.Input, Is.Not.EqualTo(first.Input).AsCollection);
            Assert.That(second.Target, Is.Not.EqualTo(first.Target).AsCollection);
        });
    }

    [Test]
    public void Generate_Defaults_InputUniformInRangeAndTargetBounded()
    {
        var series = Narma.Generate(2000, Seed);

        Assert.Multiple(() =>
        {
            Assert.That(series.Input, Has.Length.EqualTo(2000));
            Assert.That(series.Target, Has.Length.EqualTo(2000));
            Assert.That(series.Input, Is.All.GreaterThanOrEqualTo(0.0).And.LessThan(0.5));
            Assert.That(series.Target, Is.All.GreaterThan(0.0).And.LessThan(TargetUpperBound));
        });
    }

    [Test]
    public void Generate_CustomInputRange_InputWithinBounds()
    {
        var series = Narma.Generate(500, Seed, inputLow: 0.1, inputHigh: 0.2);

        Assert.That(series.Input, Is.All.GreaterThanOrEqualTo(0.1).And.LessThan(0.2));
    }

    [Test]
    public void Generate_OrderTwo_FirstTargetsMatchHandComputation()
    {
        var series = Narma.Generate(4, Seed, order: 2, transientSteps: 0);
        var u = series.Input;

        // y(0) = y(1) = 0; the recurrence starts at t = n − 1 = 1.
        const double y1 = 0;
        var y2 = A * y1 + B * y1 * (y1 + 0) + C * u[0] * u[1] + D;
        var y3 = A * y2 + B * y2 * (y2 + y1) + C * u[1] * u[2] + D;
        var y4 = A * y3 + B * y3 * (y3 + y2) + C * u[2] * u[3] + D;

        Assert.That(series.Target, Is.EqualTo(new[] { y1, y2, y3, y4 }).AsCollection.Within(RecurrenceTolerance));
    }

    [Test]
    public void Generate_OrderThree_MatchesIndependentRecurrence()
    {
        const int order = 3;
        const int length = 60;
        var series = Narma.Generate(length, Seed, order, transientSteps: 0);
        var u = series.Input;

        // Recomputed with explicit time indices: y(t) = 0 for t < n, then y(t+1) from the equation.
        var y = new Dictionary<int, double>();
        double Y(int t) => t < order ? 0 : y[t];
        for (var t = order - 1; t < length; t++)
        {
            var window = Y(t) + Y(t - 1) + Y(t - 2);
            y[t + 1] = A * Y(t) + B * Y(t) * window + C * u[t - order + 1] * u[t] + D;
        }

        var expected = Enumerable.Range(0, length).Select(t => Y(t + 1)).ToArray();
        Assert.That(series.Target, Is.EqualTo(expected).AsCollection.Within(RecurrenceTolerance));
    }

    [Test]
    public void Generate_TransientSteps_DroppedFromBothArrays()
    {
        var full = Narma.Generate(80, Seed, transientSteps: 0);
        var trimmed = Narma.Generate(50, Seed, transientSteps: 30);

        Assert.Multiple(() =>
        {
            Assert.That(trimmed.Input, Is.EqualTo(full.Input[30..]).AsCollection);
            Assert.That(trimmed.Target, Is.EqualTo(full.Target[30..]).AsCollection);
        });
    }

    [Test]
    public void Generate_NoTransient_TargetsBeforeOrderAreZeroStart()
    {
        var series = Narma.Generate(12, Seed, transientSteps: 0);

        Assert.Multiple(() =>
        {
            Assert.That(series.Target[..9], Is.All.EqualTo(0.0));
            Assert.That(series.Target[9], Is.EqualTo(C * series.Input[0] * series.Input[9] + D).Within(RecurrenceTolerance));
        });
    }

    [TestCase(1.5, 1.5)]
    [TestCase(0.3, 50.0)]
    public void Generate_DivergentCoefficients_ThrowsNamingOrderSeedAndStep(double a, double c)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Narma.Generate(500, Seed, order: 10, a: a, c: c));

        Assert.That(exception!.Message,
            Does.Contain("NARMA-10").And.Contain($"seed {Seed}").And.Contain("time step").And.Contain("another seed"));
    }

    [Test]
    public void Generate_OrderFifteenWithNarma10Coefficients_Diverges() =>
        Assert.Throws<InvalidOperationException>(() => Narma.Generate(2000, Seed, order: 15));

    [Test]
    public void Generate_OrderThirtyWithSmallCoefficients_StaysBounded()
    {
        var series = Narma.Generate(2000, Seed, order: 30, a: 0.2, b: 0.04, d: 0.001);

        Assert.That(series.Target, Is.All.GreaterThan(0.0).And.LessThan(1.0));
    }
}
