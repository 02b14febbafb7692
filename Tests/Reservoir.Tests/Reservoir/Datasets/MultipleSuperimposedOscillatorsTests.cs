using NUnit.Framework;
using Reservoir.Datasets;

namespace Reservoir.Tests.Datasets;

/// <summary>Behaviour and argument checks of <see cref="MultipleSuperimposedOscillators"/>.</summary>
[TestFixture]
public sealed class MultipleSuperimposedOscillatorsTests
{
    /// <summary>Tolerance of a sum of sines recomputed in the test, which may add in a different order.</summary>
    private const double SumTolerance = 1e-12;

    [Test]
    public void Generate_OneOscillator_EqualsSinPointTwoT()
    {
        var series = MultipleSuperimposedOscillators.Generate(300, 1);

        var expected = Enumerable.Range(0, 300).Select(t => Math.Sin(0.2 * t)).ToArray();
        Assert.That(series, Is.EqualTo(expected).AsCollection);
    }

    [Test]
    public void Generate_TwoOscillators_EqualsClassicMso2()
    {
        var series = MultipleSuperimposedOscillators.Generate(300, 2);

        var expected = Enumerable.Range(0, 300).Select(t => Math.Sin(0.2 * t) + Math.Sin(0.311 * t)).ToArray();
        Assert.That(series, Is.EqualTo(expected).AsCollection.Within(SumTolerance));
    }

    [TestCase(1)]
    [TestCase(5)]
    [TestCase(12)]
    public void Generate_AnyCount_EqualsSumOfFirstFrequencies(int count)
    {
        var series = MultipleSuperimposedOscillators.Generate(100, count);

        Assert.Multiple(() =>
        {
            for (var t = 0; t < 100; t++)
            {
                var expected = MultipleSuperimposedOscillators.Frequencies.Take(count).Sum(alpha => Math.Sin(alpha * t));
                Assert.That(series[t], Is.EqualTo(expected).Within(SumTolerance), $"t = {t}");
                Assert.That(Math.Abs(series[t]), Is.LessThanOrEqualTo(count), $"t = {t}");
            }
        });
    }

    [Test]
    public void Generate_StartStep_ContinuesSeries()
    {
        var full = MultipleSuperimposedOscillators.Generate(150, 4);
        var continued = MultipleSuperimposedOscillators.Generate(50, 4, startStep: 100);

        Assert.That(continued, Is.EqualTo(full[100..]).AsCollection);
    }

    [Test]
    public void Generate_SameArguments_BitIdenticalNewArrays()
    {
        var first = MultipleSuperimposedOscillators.Generate(100, 3);
        var second = MultipleSuperimposedOscillators.Generate(100, 3);

        Assert.Multiple(() =>
        {
            Assert.That(second, Is.EqualTo(first).AsCollection);
            Assert.That(second, Is.Not.SameAs(first));
        });
    }

    [Test]
    public void Frequencies_Standard_TwelveValuesInOrder()
    {
        double[] expected = [0.2, 0.311, 0.42, 0.51, 0.63, 0.74, 0.85, 0.97, 1.08, 1.19, 1.27, 1.32];

        Assert.Multiple(() =>
        {
            Assert.That(MultipleSuperimposedOscillators.Frequencies, Is.EqualTo(expected).AsCollection);
            Assert.That(MultipleSuperimposedOscillators.Frequencies, Has.Count.EqualTo(MultipleSuperimposedOscillators.MaxOscillatorCount));
        });
    }

    [Test]
    public void Frequencies_CastToList_CannotBeModified()
    {
        var asList = (IList<double>)MultipleSuperimposedOscillators.Frequencies;

        Assert.Throws<NotSupportedException>(() => asList[0] = 1.0);
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void Generate_LengthBelowOne_Throws(int length) =>
        AssertOutOfRange(() => MultipleSuperimposedOscillators.Generate(length, 2), "length");

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(13)]
    [TestCase(int.MaxValue)]
    public void Generate_OscillatorCountOutsideOneToTwelve_Throws(int oscillatorCount) =>
        AssertOutOfRange(() => MultipleSuperimposedOscillators.Generate(10, oscillatorCount), "oscillatorCount");

    [Test]
    public void Generate_OscillatorCountThirteen_MessageStatesRangeAndValue()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => MultipleSuperimposedOscillators.Generate(10, 13));

        Assert.That(exception!.Message, Does.Contain("oscillatorCount must be in [1, 12]; was 13."));
    }

    [TestCase(-1)]
    [TestCase(int.MinValue)]
    public void Generate_NegativeStartStep_Throws(int startStep) =>
        AssertOutOfRange(() => MultipleSuperimposedOscillators.Generate(10, 2, startStep), "startStep");

    private static void AssertOutOfRange(TestDelegate generate, string parameterName)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(generate);

        Assert.That(exception!.ParamName, Is.EqualTo(parameterName));
    }
}
