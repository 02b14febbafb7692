using NUnit.Framework;
using Reservoir.Datasets;

namespace Reservoir.Tests.Datasets;

/// <summary>Behaviour and argument checks of <see cref="Henon"/>.</summary>
[TestFixture]
public sealed class HenonTests
{
    /// <summary>Tolerance of an orbit computed by hand in decimal; the map is iterated in binary.</summary>
    private const double HandComputedTolerance = 1e-14;

    private const int Seed = 13;
    private const int ValidLength = 10;

    [Test]
    public void Iterate_FromOrigin_MatchesHandComputedOrbit()
    {
        // (0, 0) → (1, 0) → (1 − 1.4, 0.3) → (1 − 1.4·0.16 + 0.3, −0.12) → (1 − 1.4·1.076² − 0.12, 0.3·1.076).
        double[,] expected = { { 0, 0 }, { 1, 0 }, { -0.4, 0.3 }, { 1.076, -0.12 }, { -0.7408864, 0.3228 } };

        var orbit = Henon.Iterate(5, 0, 0);

        Assert.That(orbit, Is.EqualTo(expected).AsCollection.Within(HandComputedTolerance));
    }

    [Test]
    public void Iterate_FromFixedPoint_StaysThere()
    {
        // The fixed point x* = (−(1 − b) + √((1 − b)² + 4a)) / (2a), y* = b·x*; it is unstable, so only a few steps are checked.
        var x = (-0.7 + Math.Sqrt(0.49 + 5.6)) / 2.8;

        var orbit = Henon.Iterate(8, x, 0.3 * x);

        Assert.Multiple(() =>
        {
            for (var t = 0; t < 8; t++)
            {
                Assert.That(orbit[t, 0], Is.EqualTo(x).Within(1e-12), $"x at {t}");
                Assert.That(orbit[t, 1], Is.EqualTo(0.3 * x).Within(1e-12), $"y at {t}");
            }

            Assert.That(x, Is.EqualTo(0.63135).Within(1e-5));
        });
    }

    [Test]
    public void Generate_Defaults_StaysInsideClassicAttractorBounds()
    {
        var orbit = Henon.Generate(100_000, Seed);

        var xs = Enumerable.Range(0, orbit.GetLength(0)).Select(t => orbit[t, 0]).ToArray();
        var ys = Enumerable.Range(0, orbit.GetLength(0)).Select(t => orbit[t, 1]).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(xs, Is.All.InRange(-1.2855, 1.2731));
            Assert.That(ys, Is.All.InRange(-0.3857, 0.3820));
            Assert.That(xs.Min(), Is.LessThan(-1.28));
            Assert.That(xs.Max(), Is.GreaterThan(1.27));
        });
    }

    [Test]
    public void Generate_NoTransient_ContinuesAsIterate()
    {
        var generated = Henon.Generate(50, Seed, transientSamples: 0);

        var iterated = Henon.Iterate(50, generated[0, 0], generated[0, 1]);

        Assert.Multiple(() =>
        {
            Assert.That(iterated, Is.EqualTo(generated).AsCollection);
            Assert.That(Math.Abs(generated[0, 0]), Is.LessThanOrEqualTo(0.1));
            Assert.That(Math.Abs(generated[0, 1]), Is.LessThanOrEqualTo(0.1));
        });
    }

    [Test]
    public void Generate_SameSeed_BitIdentical() =>
        Assert.That(Henon.Generate(500, Seed), Is.EqualTo(Henon.Generate(500, Seed)).AsCollection);

    [Test]
    public void Generate_DifferentSeeds_Differ() =>
        Assert.That(Henon.Generate(500, Seed + 1), Is.Not.EqualTo(Henon.Generate(500, Seed)).AsCollection);

    [Test]
    public void Iterate_EscapingOrbit_ThrowsInvalidOperation()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Henon.Iterate(100, 10, 0));

        Assert.That(exception!.Message, Does.Contain("escaped"));
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void Generate_LengthBelowOne_Throws(int length) =>
        AssertOutOfRange(() => Henon.Generate(length, Seed), "length");

    [TestCase(0)]
    [TestCase(-1)]
    public void Iterate_LengthBelowOne_Throws(int length) =>
        AssertOutOfRange(() => Henon.Iterate(length, 0, 0), "length");

    [TestCase("a", double.NaN)]
    [TestCase("a", double.PositiveInfinity)]
    [TestCase("b", double.NegativeInfinity)]
    [TestCase("b", double.NaN)]
    public void Generate_ParameterNotFinite_Throws(string name, double value) =>
        AssertOutOfRange(
            name == "a" ? () => Henon.Generate(ValidLength, Seed, a: value) : () => Henon.Generate(ValidLength, Seed, b: value),
            name);

    [TestCase("initialX", double.NaN)]
    [TestCase("initialY", double.PositiveInfinity)]
    [TestCase("a", double.NaN)]
    [TestCase("b", double.NegativeInfinity)]
    public void Iterate_ArgumentNotFinite_Throws(string name, double value)
    {
        TestDelegate iterate = name switch
        {
            "initialX" => () => Henon.Iterate(ValidLength, value, 0),
            "initialY" => () => Henon.Iterate(ValidLength, 0, value),
            "a" => () => Henon.Iterate(ValidLength, 0, 0, a: value),
            _ => () => Henon.Iterate(ValidLength, 0, 0, b: value),
        };

        AssertOutOfRange(iterate, name);
    }

    [Test]
    public void Generate_NegativeTransientSamples_Throws() =>
        AssertOutOfRange(() => Henon.Generate(ValidLength, Seed, transientSamples: -1), "transientSamples");

    private static void AssertOutOfRange(TestDelegate generate, string parameterName)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(generate);

        Assert.That(exception!.ParamName, Is.EqualTo(parameterName));
    }
}
