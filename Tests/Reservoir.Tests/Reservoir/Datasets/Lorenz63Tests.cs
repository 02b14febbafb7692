using NUnit.Framework;
using Reservoir.Datasets;

namespace Reservoir.Tests.Datasets;

/// <summary>Behaviour and argument checks of <see cref="Lorenz63.Generate"/>.</summary>
[TestFixture]
public sealed class Lorenz63Tests
{
    /// <summary>The classic attractor keeps |x| below this (measured maximum about 20).</summary>
    private const double MaxAbsX = 30;

    /// <summary>The classic attractor keeps z inside (0, ZUpper) (measured range about (3.6, 45)).</summary>
    private const double ZUpper = 60;

    /// <summary>Tolerance of one hand-computed Runge-Kutta step.</summary>
    private const double HandComputedTolerance = 1e-12;

    private const int Seed = 3;
    private const int ValidLength = 10;

    [Test]
    public void Generate_Defaults_StaysOnAttractor()
    {
        var trajectory = Lorenz63.Generate(5000, Seed);

        Assert.Multiple(() =>
        {
            Assert.That(trajectory.GetLength(0), Is.EqualTo(5000));
            Assert.That(trajectory.GetLength(1), Is.EqualTo(3));
            for (var t = 0; t < trajectory.GetLength(0); t++)
            {
                Assert.That(Math.Abs(trajectory[t, 0]), Is.LessThan(MaxAbsX), $"x at sample {t}");
                Assert.That(trajectory[t, 2], Is.GreaterThan(0.0).And.LessThan(ZUpper), $"z at sample {t}");
            }
        });
    }

    [Test]
    public void Generate_Defaults_VisitsBothWings()
    {
        var trajectory = Lorenz63.Generate(5000, Seed);

        var xs = Enumerable.Range(0, 5000).Select(t => trajectory[t, 0]).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(xs.Min(), Is.LessThan(-10.0));
            Assert.That(xs.Max(), Is.GreaterThan(10.0));
        });
    }

    [Test]
    public void Generate_SameSeed_BitIdentical()
    {
        var first = Lorenz63.Generate(500, Seed);
        var second = Lorenz63.Generate(500, Seed);

        Assert.That(second, Is.EqualTo(first).AsCollection);
    }

    [Test]
    public void Generate_DifferentSeeds_Differ()
    {
        var first = Lorenz63.Generate(500, Seed);
        var second = Lorenz63.Generate(500, Seed + 1);

        Assert.That(second, Is.Not.EqualTo(first).AsCollection);
    }

    [Test]
    public void Generate_NoTransient_StartsNearOneOneOne()
    {
        var trajectory = Lorenz63.Generate(1, Seed, transientSamples: 0);

        Assert.Multiple(() =>
        {
            for (var c = 0; c < 3; c++)
            {
                Assert.That(trajectory[0, c], Is.InRange(0.0, 2.0), $"coordinate {c}");
            }
        });
    }

    [Test]
    public void Generate_OneStep_MatchesHandComputedRungeKutta()
    {
        const double h = 0.01;
        var trajectory = Lorenz63.Generate(2, Seed, timeStep: h, transientSamples: 0);
        double[] start = [trajectory[0, 0], trajectory[0, 1], trajectory[0, 2]];

        var k1 = Lorenz(start);
        var k2 = Lorenz(Add(start, k1, h / 2));
        var k3 = Lorenz(Add(start, k2, h / 2));
        var k4 = Lorenz(Add(start, k3, h));
        var expected = new double[3];
        for (var c = 0; c < 3; c++)
        {
            expected[c] = start[c] + h / 6 * (k1[c] + 2 * k2[c] + 2 * k3[c] + k4[c]);
        }

        double[] actual = [trajectory[1, 0], trajectory[1, 1], trajectory[1, 2]];
        Assert.That(actual, Is.EqualTo(expected).AsCollection.Within(HandComputedTolerance));
    }

    [Test]
    public void Generate_Substeps_EqualFinerStepSubsampled()
    {
        var coarse = Lorenz63.Generate(50, Seed, timeStep: 0.01, substeps: 2, transientSamples: 0);
        var fine = Lorenz63.Generate(99, Seed, timeStep: 0.005, transientSamples: 0);

        Assert.Multiple(() =>
        {
            for (var t = 0; t < 50; t++)
            {
                for (var c = 0; c < 3; c++)
                {
                    Assert.That(coarse[t, c], Is.EqualTo(fine[2 * t, c]), $"sample {t}, coordinate {c}");
                }
            }
        });
    }

    [Test]
    public void Generate_TransientSamples_DropsLeadingSamples()
    {
        var full = Lorenz63.Generate(30, Seed, transientSamples: 0);
        var trimmed = Lorenz63.Generate(20, Seed, transientSamples: 10);

        Assert.Multiple(() =>
        {
            for (var t = 0; t < 20; t++)
            {
                for (var c = 0; c < 3; c++)
                {
                    Assert.That(trimmed[t, c], Is.EqualTo(full[t + 10, c]));
                }
            }
        });
    }

    [Test]
    public void Generate_LargeStepWithSubsteps_StaysOnAttractor()
    {
        var trajectory = Lorenz63.Generate(500, Seed, timeStep: 0.2, substeps: 20);

        Assert.That(trajectory, Is.All.InRange(-MaxAbsX - 10, ZUpper));
    }

    [Test]
    public void Generate_UnstableStep_ThrowsInvalidOperation()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Lorenz63.Generate(ValidLength, Seed, timeStep: 0.5));

        Assert.That(exception!.Message, Does.Contain("timeStep").And.Contain("substeps"));
    }

    [Test]
    public void MaxLyapunovExponent_ClassicParameters_Is0906() =>
        Assert.That(Lorenz63.MaxLyapunovExponent, Is.EqualTo(0.906));

    [TestCase(0)]
    [TestCase(-1)]
    public void Generate_LengthBelowOne_Throws(int length) =>
        AssertOutOfRange(() => Lorenz63.Generate(length, Seed), "length");

    [TestCase(0.0)]
    [TestCase(-0.01)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Generate_TimeStepNotPositive_Throws(double timeStep) =>
        AssertOutOfRange(() => Lorenz63.Generate(ValidLength, Seed, timeStep), "timeStep");

    [TestCase("sigma", 0.0)]
    [TestCase("sigma", -10.0)]
    [TestCase("sigma", double.NaN)]
    [TestCase("rho", 0.0)]
    [TestCase("rho", double.PositiveInfinity)]
    [TestCase("beta", -1.0)]
    [TestCase("beta", double.NaN)]
    [TestCase("beta", double.NegativeInfinity)]
    public void Generate_ParameterNotPositive_Throws(string name, double value)
    {
        TestDelegate generate = name switch
        {
            "sigma" => () => Lorenz63.Generate(ValidLength, Seed, sigma: value),
            "rho" => () => Lorenz63.Generate(ValidLength, Seed, rho: value),
            _ => () => Lorenz63.Generate(ValidLength, Seed, beta: value),
        };

        AssertOutOfRange(generate, name);
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void Generate_SubstepsBelowOne_Throws(int substeps) =>
        AssertOutOfRange(() => Lorenz63.Generate(ValidLength, Seed, substeps: substeps), "substeps");

    [Test]
    public void Generate_NegativeTransientSamples_Throws() =>
        AssertOutOfRange(() => Lorenz63.Generate(ValidLength, Seed, transientSamples: -1), "transientSamples");

    [Test]
    public void Generate_NegativeSigma_MessageStatesRangeAndValue()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => Lorenz63.Generate(ValidLength, Seed, sigma: -2));

        Assert.That(exception!.Message, Does.Contain("sigma must be finite and > 0; was -2."));
    }

    private static double[] Lorenz(double[] s) =>
        [10 * (s[1] - s[0]), s[0] * (28 - s[2]) - s[1], s[0] * s[1] - 8.0 / 3 * s[2]];

    private static double[] Add(double[] s, double[] k, double scale) =>
        [s[0] + scale * k[0], s[1] + scale * k[1], s[2] + scale * k[2]];

    private static void AssertOutOfRange(TestDelegate generate, string parameterName)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(generate);

        Assert.That(exception!.ParamName, Is.EqualTo(parameterName));
    }
}
