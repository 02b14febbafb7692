using NUnit.Framework;
using Reservoir.Datasets;

namespace Reservoir.Tests.Datasets;

/// <summary>Behaviour and argument checks of <see cref="LogisticMap"/>.</summary>
[TestFixture]
public sealed class LogisticMapTests
{
    /// <summary>Tolerance of an orbit computed by hand in decimal; the map is iterated in binary.</summary>
    private const double HandComputedTolerance = 1e-14;

    /// <summary>
    /// Allowed distance of the sample mean and variance from those of the r = 4 invariant density (1/2 and 1/8) over 10⁶
    /// samples; the standard error of the mean is about √(1/8 / 10⁶) ≈ 3.5e-4 (measured distances below 3e-4).
    /// </summary>
    private const double InvariantDensityTolerance = 2e-3;

    private const int Seed = 17;
    private const int ValidLength = 10;

    [Test]
    public void Iterate_GrowthRate39_MatchesHandComputedOrbit()
    {
        // 0.2 → 3.9·0.2·0.8 = 0.624 → 3.9·0.624·0.376 = 0.9150336 → 3.9·0.9150336·0.0849664 = 0.30321...
        var orbit = LogisticMap.Iterate(4, 0.2, 3.9);

        Assert.That(orbit, Is.EqualTo(new[] { 0.2, 0.624, 0.9150336, 3.9 * 0.9150336 * 0.0849664 }).AsCollection.Within(HandComputedTolerance));
    }

    [Test]
    public void Iterate_Any_EqualsExactRecurrence()
    {
        var orbit = LogisticMap.Iterate(1000, 0.123, 3.7);

        Assert.Multiple(() =>
        {
            for (var t = 1; t < orbit.Length; t++)
            {
                Assert.That(orbit[t], Is.EqualTo(3.7 * orbit[t - 1] * (1 - orbit[t - 1])), $"sample {t}");
            }
        });
    }

    [Test]
    public void Generate_GrowthRateFour_MatchesInvariantDensityMoments()
    {
        var orbit = LogisticMap.Generate(1_000_000, Seed, growthRate: 4);

        var mean = orbit.Average();
        var variance = orbit.Select(v => (v - mean) * (v - mean)).Average();
        Assert.Multiple(() =>
        {
            Assert.That(mean, Is.EqualTo(0.5).Within(InvariantDensityTolerance));
            Assert.That(variance, Is.EqualTo(0.125).Within(InvariantDensityTolerance));
            Assert.That(orbit, Is.All.InRange(0.0, 1.0));
        });
    }

    [Test]
    public void Generate_GrowthRate25_ConvergesToFixedPoint() =>
        Assert.That(LogisticMap.Generate(10, Seed, growthRate: 2.5, transientSamples: 200), Is.All.EqualTo(0.6).Within(1e-12));

    [Test]
    public void Generate_Defaults_ChaoticInUnitInterval()
    {
        var orbit = LogisticMap.Generate(10_000, Seed);

        Assert.Multiple(() =>
        {
            Assert.That(orbit, Is.All.InRange(0.0, 1.0));
            Assert.That(orbit.Distinct().Count(), Is.EqualTo(orbit.Length));
        });
    }

    [Test]
    public void Generate_NoTransient_ContinuesAsIterate()
    {
        var generated = LogisticMap.Generate(100, Seed, transientSamples: 0);

        Assert.Multiple(() =>
        {
            Assert.That(LogisticMap.Iterate(100, generated[0]), Is.EqualTo(generated).AsCollection);
            Assert.That(generated[0], Is.InRange(0.05, 0.95));
        });
    }

    [Test]
    public void Generate_SameSeed_BitIdentical() =>
        Assert.That(LogisticMap.Generate(500, Seed), Is.EqualTo(LogisticMap.Generate(500, Seed)).AsCollection);

    [Test]
    public void Generate_DifferentSeeds_Differ() =>
        Assert.That(LogisticMap.Generate(500, Seed + 1), Is.Not.EqualTo(LogisticMap.Generate(500, Seed)).AsCollection);

    [TestCase(0)]
    [TestCase(-1)]
    public void Generate_LengthBelowOne_Throws(int length) =>
        AssertOutOfRange(() => LogisticMap.Generate(length, Seed), "length");

    [TestCase(-0.1)]
    [TestCase(4.000001)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Generate_GrowthRateOutsideZeroToFour_Throws(double growthRate) =>
        AssertOutOfRange(() => LogisticMap.Generate(ValidLength, Seed, growthRate), "growthRate");

    [TestCase(-0.1)]
    [TestCase(1.1)]
    [TestCase(double.NaN)]
    public void Iterate_InitialValueOutsideUnitInterval_Throws(double initialValue) =>
        AssertOutOfRange(() => LogisticMap.Iterate(ValidLength, initialValue), "initialValue");

    [Test]
    public void Iterate_GrowthRateAboveFour_Throws() =>
        AssertOutOfRange(() => LogisticMap.Iterate(ValidLength, 0.5, 4.5), "growthRate");

    [Test]
    public void Generate_NegativeTransientSamples_Throws() =>
        AssertOutOfRange(() => LogisticMap.Generate(ValidLength, Seed, transientSamples: -1), "transientSamples");

    [Test]
    public void Generate_GrowthRateFive_MessageStatesRangeAndValue()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => LogisticMap.Generate(ValidLength, Seed, 5));

        Assert.That(exception!.Message, Does.Contain("growthRate must be in [0, 4]; was 5."));
    }

    private static void AssertOutOfRange(TestDelegate generate, string parameterName)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(generate);

        Assert.That(exception!.ParamName, Is.EqualTo(parameterName));
    }
}
