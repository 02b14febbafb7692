using NUnit.Framework;
using Reservoir.Datasets;

namespace Reservoir.Tests.Datasets;

/// <summary>Behaviour and argument checks of <see cref="Rossler.Generate"/>.</summary>
[TestFixture]
public sealed class RosslerTests
{
    /// <summary>Period of the attractor's period-1 orbit at a = b = 0.2, c = 5.7 (ChaosBook, "Rössler's model").</summary>
    private const double PeriodOneOrbit = 5.8811;

    /// <summary>Allowed distance of the mean return time from <see cref="PeriodOneOrbit"/> (measured: 5.855–5.870 over three seeds and two steps).</summary>
    private const double PeriodTolerance = 0.08;

    /// <summary>Tolerance of one hand-computed Runge-Kutta step.</summary>
    private const double HandComputedTolerance = 1e-12;

    private const int Seed = 5;
    private const int ValidLength = 10;

    [Test]
    public void Generate_Defaults_StaysOnAttractor()
    {
        var trajectory = Rossler.Generate(20_000, Seed);

        Assert.Multiple(() =>
        {
            Assert.That(trajectory.GetLength(1), Is.EqualTo(3));
            for (var t = 0; t < trajectory.GetLength(0); t++)
            {
                Assert.That(trajectory[t, 0], Is.InRange(-11.0, 13.0), $"x at sample {t}");
                Assert.That(trajectory[t, 1], Is.InRange(-12.0, 9.0), $"y at sample {t}");
                Assert.That(trajectory[t, 2], Is.InRange(0.0, 25.0), $"z at sample {t}");
            }
        });
    }

    [Test]
    public void Generate_Defaults_MeanReturnTimeNearPeriodOneOrbit()
    {
        const double timeStep = 0.1;
        var trajectory = Rossler.Generate(20_000, Seed, timeStep);

        // Upward crossings of y = 0 (a Poincaré section), interpolated linearly between samples.
        var crossings = new List<double>();
        for (var t = 1; t < trajectory.GetLength(0); t++)
        {
            if (trajectory[t - 1, 1] < 0 && trajectory[t, 1] >= 0)
            {
                var fraction = -trajectory[t - 1, 1] / (trajectory[t, 1] - trajectory[t - 1, 1]);
                crossings.Add((t - 1 + fraction) * timeStep);
            }
        }

        var meanPeriod = (crossings[^1] - crossings[0]) / (crossings.Count - 1);
        Assert.That(meanPeriod, Is.EqualTo(PeriodOneOrbit).Within(PeriodTolerance));
    }

    [Test]
    public void Generate_OneStep_MatchesHandComputedRungeKutta()
    {
        const double h = 0.1;
        var trajectory = Rossler.Generate(2, Seed, timeStep: h, transientSamples: 0);
        double[] start = [trajectory[0, 0], trajectory[0, 1], trajectory[0, 2]];

        var k1 = Derivative(start);
        var k2 = Derivative(Add(start, k1, h / 2));
        var k3 = Derivative(Add(start, k2, h / 2));
        var k4 = Derivative(Add(start, k3, h));
        var expected = new double[3];
        for (var c = 0; c < 3; c++)
        {
            expected[c] = start[c] + h / 6 * (k1[c] + 2 * k2[c] + 2 * k3[c] + k4[c]);
        }

        Assert.That(new[] { trajectory[1, 0], trajectory[1, 1], trajectory[1, 2] },
            Is.EqualTo(expected).AsCollection.Within(HandComputedTolerance));
    }

    [Test]
    public void Generate_SameSeed_BitIdentical() =>
        Assert.That(Rossler.Generate(500, Seed), Is.EqualTo(Rossler.Generate(500, Seed)).AsCollection);

    [Test]
    public void Generate_DifferentSeeds_Differ() =>
        Assert.That(Rossler.Generate(500, Seed + 1), Is.Not.EqualTo(Rossler.Generate(500, Seed)).AsCollection);

    [Test]
    public void Generate_TransientSamples_DropsLeadingSamples()
    {
        var full = Rossler.Generate(30, Seed, transientSamples: 0);
        var trimmed = Rossler.Generate(20, Seed, transientSamples: 10);

        Assert.That(trimmed, Is.EqualTo(Slice(full, 10, 20)).AsCollection);
    }

    [Test]
    public void Generate_UnboundedParameters_ThrowsInvalidOperation()
    {
        // With c = −5.7 the z equation is unstable for x > −5.7, so z grows without bound.
        var exception = Assert.Throws<InvalidOperationException>(() => Rossler.Generate(ValidLength, Seed, c: -5.7, transientSamples: 10_000));

        Assert.That(exception!.Message, Does.Contain("diverged"));
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void Generate_LengthBelowOne_Throws(int length) =>
        AssertOutOfRange(() => Rossler.Generate(length, Seed), "length");

    [TestCase(0.0)]
    [TestCase(-0.1)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Generate_TimeStepNotPositive_Throws(double timeStep) =>
        AssertOutOfRange(() => Rossler.Generate(ValidLength, Seed, timeStep), "timeStep");

    [TestCase("a", double.NaN)]
    [TestCase("a", double.PositiveInfinity)]
    [TestCase("b", double.NegativeInfinity)]
    [TestCase("b", double.NaN)]
    [TestCase("c", double.NaN)]
    [TestCase("c", double.PositiveInfinity)]
    public void Generate_ParameterNotFinite_Throws(string name, double value)
    {
        TestDelegate generate = name switch
        {
            "a" => () => Rossler.Generate(ValidLength, Seed, a: value),
            "b" => () => Rossler.Generate(ValidLength, Seed, b: value),
            _ => () => Rossler.Generate(ValidLength, Seed, c: value),
        };

        AssertOutOfRange(generate, name);
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void Generate_SubstepsBelowOne_Throws(int substeps) =>
        AssertOutOfRange(() => Rossler.Generate(ValidLength, Seed, substeps: substeps), "substeps");

    [Test]
    public void Generate_NegativeTransientSamples_Throws() =>
        AssertOutOfRange(() => Rossler.Generate(ValidLength, Seed, transientSamples: -1), "transientSamples");

    [Test]
    public void Generate_NotFiniteC_MessageStatesValue()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => Rossler.Generate(ValidLength, Seed, c: double.NaN));

        Assert.That(exception!.Message, Does.Contain("c must be finite; was NaN."));
    }

    private static double[] Derivative(double[] s) => [-s[1] - s[2], s[0] + 0.2 * s[1], 0.2 + s[2] * (s[0] - 5.7)];

    private static double[] Add(double[] s, double[] k, double scale) =>
        [s[0] + scale * k[0], s[1] + scale * k[1], s[2] + scale * k[2]];

    private static double[,] Slice(double[,] values, int start, int count)
    {
        var result = new double[count, values.GetLength(1)];
        for (var t = 0; t < count; t++)
        {
            for (var c = 0; c < values.GetLength(1); c++)
            {
                result[t, c] = values[start + t, c];
            }
        }

        return result;
    }

    private static void AssertOutOfRange(TestDelegate generate, string parameterName)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(generate);

        Assert.That(exception!.ParamName, Is.EqualTo(parameterName));
    }
}
