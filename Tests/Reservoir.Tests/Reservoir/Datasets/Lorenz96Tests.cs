using NUnit.Framework;
using Reservoir.Datasets;

namespace Reservoir.Tests.Datasets;

/// <summary>Behaviour and argument checks of <see cref="Lorenz96.Generate"/>.</summary>
[TestFixture]
public sealed class Lorenz96Tests
{
    /// <summary>Climatological mean per variable at D = 40, F = 8 (Lorenz and Emanuel 1998: about 2.3; measured here 2.36).</summary>
    private const double PublishedMean = 2.3;

    /// <summary>Climatological standard deviation per variable at D = 40, F = 8 (Lorenz and Emanuel 1998: about 3.6; measured here 3.65).</summary>
    private const double PublishedStandardDeviation = 3.6;

    /// <summary>Allowed distance from the published statistics for 1000 time units of one trajectory (the published figures have two digits).</summary>
    private const double StatisticsTolerance = 0.15;

    /// <summary>Largest Lyapunov exponent at D = 40, F = 8 from the doubling time of about 0.42 time units (Lorenz and Emanuel 1998): ln 2 / 0.42.</summary>
    private const double PublishedLyapunovExponent = 1.65;

    /// <summary>Allowed distance of the finite-time Benettin estimate over 200 time units from the published value (measured 1.74).</summary>
    private const double LyapunovTolerance = 0.25;

    /// <summary>Relative tolerance of the F = 0 energy decay, whose RK4 error at h = 0.01 is about (2h)⁵/120 per step.</summary>
    private const double EnergyDecayTolerance = 1e-8;

    private const int Seed = 11;
    private const int ValidLength = 10;

    [Test]
    public void Generate_FortyVariablesForcingEight_MatchesPublishedMeanAndStandardDeviation()
    {
        var trajectory = Lorenz96.Generate(20_000, Seed, dimension: 40, forcing: 8);

        var values = trajectory.Cast<double>().ToArray();
        var mean = values.Average();
        var standardDeviation = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
        Assert.Multiple(() =>
        {
            Assert.That(mean, Is.EqualTo(PublishedMean).Within(StatisticsTolerance));
            Assert.That(standardDeviation, Is.EqualTo(PublishedStandardDeviation).Within(StatisticsTolerance));
        });
    }

    [Test]
    public void RungeKuttaStep_FortyVariablesForcingEight_LargestLyapunovExponentAsPublished()
    {
        const int dimension = 40;
        const double forcing = 8;
        const double h = 0.01;
        const int stepsPerRenormalisation = 10;
        const int renormalisations = 2000;
        const double separation = 1e-8;

        var onAttractor = Lorenz96.Generate(1, Seed, dimension, forcing);
        var reference = new double[dimension];
        var perturbed = new double[dimension];
        for (var i = 0; i < dimension; i++)
        {
            reference[i] = onAttractor[0, i];
            perturbed[i] = reference[i] + (i == 0 ? separation : 0);
        }

        var scratch = new Lorenz96.Scratch(dimension);
        var logGrowth = 0.0;
        for (var r = 0; r < renormalisations; r++)
        {
            for (var s = 0; s < stepsPerRenormalisation; s++)
            {
                Lorenz96.RungeKuttaStep(reference, h, forcing, scratch);
                Lorenz96.RungeKuttaStep(perturbed, h, forcing, scratch);
            }

            var distance = Math.Sqrt(reference.Zip(perturbed, (a, b) => (a - b) * (a - b)).Sum());
            logGrowth += Math.Log(distance / separation);
            for (var i = 0; i < dimension; i++)
            {
                perturbed[i] = reference[i] + (perturbed[i] - reference[i]) * separation / distance;
            }
        }

        var exponent = logGrowth / (renormalisations * stepsPerRenormalisation * h);
        Assert.That(exponent, Is.EqualTo(PublishedLyapunovExponent).Within(LyapunovTolerance));
    }

    [Test]
    public void Generate_NoForcing_EnergyDecaysAsExpMinusTwoT()
    {
        // With F = 0 the advection term conserves Σx², so d(Σx²)/dt = −2·Σx² exactly.
        const double timeStep = 0.01;
        var trajectory = Lorenz96.Generate(101, Seed, dimension: 12, forcing: 0, timeStep: timeStep, transientSamples: 0);

        var initial = Energy(trajectory, 0);
        Assert.Multiple(() =>
        {
            foreach (var t in new[] { 10, 50, 100 })
            {
                var expected = initial * Math.Exp(-2 * t * timeStep);
                Assert.That(Energy(trajectory, t), Is.EqualTo(expected).Within(EnergyDecayTolerance * initial), $"sample {t}");
            }
        });
    }

    [Test]
    public void Generate_Defaults_EightVariablesStayBounded()
    {
        var trajectory = Lorenz96.Generate(5000, Seed);

        Assert.Multiple(() =>
        {
            Assert.That(trajectory.GetLength(1), Is.EqualTo(8));
            Assert.That(trajectory, Is.All.InRange(-20.0, 25.0));
        });
    }

    [Test]
    public void Generate_SameSeed_BitIdentical() =>
        Assert.That(Lorenz96.Generate(300, Seed), Is.EqualTo(Lorenz96.Generate(300, Seed)).AsCollection);

    [Test]
    public void Generate_DifferentSeeds_Differ() =>
        Assert.That(Lorenz96.Generate(300, Seed + 1), Is.Not.EqualTo(Lorenz96.Generate(300, Seed)).AsCollection);

    [Test]
    public void Generate_NoTransient_StartsWithinOneOfForcing()
    {
        var trajectory = Lorenz96.Generate(1, Seed, dimension: 6, forcing: 3, transientSamples: 0);

        Assert.That(trajectory, Is.All.InRange(2.0, 4.0));
    }

    [Test]
    public void Generate_Substeps_EqualFinerStepSubsampled()
    {
        var coarse = Lorenz96.Generate(20, Seed, timeStep: 0.05, substeps: 2, transientSamples: 0);
        var fine = Lorenz96.Generate(39, Seed, timeStep: 0.025, transientSamples: 0);

        Assert.Multiple(() =>
        {
            for (var t = 0; t < 20; t++)
            {
                for (var i = 0; i < 8; i++)
                {
                    Assert.That(coarse[t, i], Is.EqualTo(fine[2 * t, i]), $"sample {t}, variable {i}");
                }
            }
        });
    }

    [Test]
    public void Generate_UnstableStep_ThrowsInvalidOperation()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Lorenz96.Generate(ValidLength, Seed, timeStep: 2));

        Assert.That(exception!.Message, Does.Contain("timeStep").And.Contain("substeps"));
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void Generate_LengthBelowOne_Throws(int length) =>
        AssertOutOfRange(() => Lorenz96.Generate(length, Seed), "length");

    [TestCase(3)]
    [TestCase(0)]
    [TestCase(-8)]
    public void Generate_DimensionBelowFour_Throws(int dimension) =>
        AssertOutOfRange(() => Lorenz96.Generate(ValidLength, Seed, dimension), "dimension");

    [Test]
    public void Generate_TooManyValues_ThrowsNamingLength() =>
        AssertOutOfRange(() => Lorenz96.Generate(ReservoirLimits.MaxGeneratedValues / 4, Seed, dimension: 8), "length");

    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    [TestCase(double.NegativeInfinity)]
    public void Generate_ForcingNotFinite_Throws(double forcing) =>
        AssertOutOfRange(() => Lorenz96.Generate(ValidLength, Seed, forcing: forcing), "forcing");

    [TestCase(0.0)]
    [TestCase(-0.05)]
    [TestCase(double.NaN)]
    public void Generate_TimeStepNotPositive_Throws(double timeStep) =>
        AssertOutOfRange(() => Lorenz96.Generate(ValidLength, Seed, timeStep: timeStep), "timeStep");

    [TestCase(0)]
    [TestCase(-1)]
    public void Generate_SubstepsBelowOne_Throws(int substeps) =>
        AssertOutOfRange(() => Lorenz96.Generate(ValidLength, Seed, substeps: substeps), "substeps");

    [Test]
    public void Generate_NegativeTransientSamples_Throws() =>
        AssertOutOfRange(() => Lorenz96.Generate(ValidLength, Seed, transientSamples: -1), "transientSamples");

    [Test]
    public void Generate_DimensionThree_MessageStatesRangeAndValue()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => Lorenz96.Generate(ValidLength, Seed, dimension: 3));

        Assert.That(exception!.Message, Does.Contain("dimension must be >= 4; was 3."));
    }

    private static double Energy(double[,] trajectory, int t)
    {
        var sum = 0.0;
        for (var i = 0; i < trajectory.GetLength(1); i++)
        {
            sum += trajectory[t, i] * trajectory[t, i];
        }

        return sum;
    }

    private static void AssertOutOfRange(TestDelegate generate, string parameterName)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(generate);

        Assert.That(exception!.ParamName, Is.EqualTo(parameterName));
    }
}
