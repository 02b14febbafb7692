using NUnit.Framework;
using Reservoir.Datasets;

namespace Reservoir.Tests.Datasets;

/// <summary>Behaviour and argument checks of <see cref="Series"/>.</summary>
[TestFixture]
public sealed class SeriesTests
{
    private const double Tolerance = 1e-15;

    [Test]
    public void Range_Values_ReturnsMinAndMax()
    {
        var (min, max) = Series.Range([3.0, -2.5, 7.25, 0.0]);

        Assert.Multiple(() =>
        {
            Assert.That(min, Is.EqualTo(-2.5));
            Assert.That(max, Is.EqualTo(7.25));
        });
    }

    [Test]
    public void Range_Empty_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => Series.Range([]));

        Assert.That(exception!.ParamName, Is.EqualTo("values"));
    }

    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    [TestCase(double.NegativeInfinity)]
    public void Range_NonFiniteValue_Throws(double bad)
    {
        var exception = Assert.Throws<ArgumentException>(() => Series.Range([1.0, bad, 2.0]));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.ParamName, Is.EqualTo("values"));
            Assert.That(exception.Message, Does.Contain("index 1"));
        });
    }

    [Test]
    public void Rescale_Defaults_MapsToMinusOneOne()
    {
        var rescaled = Series.Rescale([2.0, 4.0, 6.0, 3.0]);

        Assert.That(rescaled, Is.EqualTo(new[] { -1.0, 0.0, 1.0, -0.5 }).AsCollection.Within(Tolerance));
    }

    [Test]
    public void Rescale_CustomRange_MapsToRange()
    {
        var rescaled = Series.Rescale([10.0, 0.0, 5.0], low: 0, high: 1);

        Assert.That(rescaled, Is.EqualTo(new[] { 1.0, 0.0, 0.5 }).AsCollection.Within(Tolerance));
    }

    [Test]
    public void Rescale_Extremes_MapExactlyToBounds()
    {
        double[] values = [0.1, 0.7, -0.3, 0.9, 0.2];

        var rescaled = Series.Rescale(values, low: 0.2, high: 0.9);

        Assert.Multiple(() =>
        {
            Assert.That(rescaled[2], Is.EqualTo(0.2));
            Assert.That(rescaled[3], Is.EqualTo(0.9));
        });
    }

    [Test]
    public void Rescale_Values_ReturnsNewArrayAndKeepsInput()
    {
        double[] values = [1.0, 2.0, 3.0];

        var rescaled = Series.Rescale(values);

        Assert.Multiple(() =>
        {
            Assert.That(rescaled, Is.Not.SameAs(values));
            Assert.That(values, Is.EqualTo(new[] { 1.0, 2.0, 3.0 }).AsCollection);
        });
    }

    [TestCase(1)]
    [TestCase(5)]
    public void Rescale_AllValuesEqual_Throws(int count)
    {
        var values = Enumerable.Repeat(0.5, count).ToArray();

        var exception = Assert.Throws<ArgumentException>(() => Series.Rescale(values));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.ParamName, Is.EqualTo("values"));
            Assert.That(exception.Message, Does.Contain("distinct"));
        });
    }

    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    [TestCase(double.NegativeInfinity)]
    public void Rescale_NonFiniteValue_Throws(double bad)
    {
        var exception = Assert.Throws<ArgumentException>(() => Series.Rescale([1.0, 2.0, bad]));

        Assert.That(exception!.ParamName, Is.EqualTo("values"));
    }

    [Test]
    public void Rescale_WidthOverflows_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => Series.Rescale([-1e308, 1e308]));

        Assert.That(exception!.ParamName, Is.EqualTo("values"));
    }

    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    [TestCase(double.NegativeInfinity)]
    public void Rescale_LowNotFinite_Throws(double low)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => Series.Rescale([1.0, 2.0], low, 1));

        Assert.That(exception!.ParamName, Is.EqualTo("low"));
    }

    [TestCase(0.0, 0.0)]
    [TestCase(1.0, 0.0)]
    [TestCase(0.0, double.NaN)]
    [TestCase(0.0, double.PositiveInfinity)]
    [TestCase(-1e308, 1e308)]
    public void Rescale_HighNotAboveLow_Throws(double low, double high)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => Series.Rescale([1.0, 2.0], low, high));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.ParamName, Is.EqualTo("high"));
            Assert.That(exception.Message, Does.Contain("> low"));
        });
    }
}
