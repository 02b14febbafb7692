using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

public sealed partial class RlsReadoutTests
{
    [TestCase(0.0)]
    [TestCase(-0.5)]
    [TestCase(1.0000001)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Constructor_ForgettingFactorOutsideUnitInterval_Throws(double value)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RlsReadout(2, 1, new RlsReadoutOptions { ForgettingFactor = value }));

        Assert.That(e!.ParamName, Is.EqualTo("ForgettingFactor"));
    }

    [TestCase(1e-300)]
    [TestCase(1.0)]
    public void Constructor_ForgettingFactorBoundary_Accepted(double value) =>
        Assert.That(() => new RlsReadout(2, 1, new RlsReadoutOptions { ForgettingFactor = value }), Throws.Nothing);

    [TestCase(0.0)]
    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Constructor_NonPositiveInitialCovarianceScale_Throws(double value)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RlsReadout(2, 1, new RlsReadoutOptions { InitialCovarianceScale = value }));

        Assert.That(e!.ParamName, Is.EqualTo("InitialCovarianceScale"));
    }

    [TestCase(0, 1, "featureCount")]
    [TestCase(1, 0, "targetCount")]
    [TestCase(46340, 1, "featureCount")]
    public void Constructor_BadShape_Throws(int featureCount, int targetCount, string parameter)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RlsReadout(featureCount, targetCount));

        Assert.That(e!.ParamName, Is.EqualTo(parameter));
    }

    [TestCase(double.NaN, 0.0, "features")]
    [TestCase(double.NegativeInfinity, 0.0, "features")]
    [TestCase(0.0, double.NaN, "targets")]
    [TestCase(0.0, double.PositiveInfinity, "targets")]
    public void Update_NonFiniteValue_ThrowsAndLeavesReadoutUnchanged(double feature, double target, string parameter)
    {
        var rls = new RlsReadout(2, 1);
        rls.Update([1, 2], [3]);
        var before = rls.ToSolution().GetWeights();

        var e = Assert.Throws<ArgumentException>(() => rls.Update([1, feature], [target]));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo(parameter));
            Assert.That(e.Message, Does.Contain("at index"));
            Assert.That(rls.ToSolution().GetWeights(), Is.EqualTo(before));
            Assert.That(rls.UpdateCount, Is.EqualTo(1));
        });
    }

    [TestCase(1, 1, "features")]
    [TestCase(3, 1, "features")]
    [TestCase(2, 0, "targets")]
    [TestCase(2, 2, "targets")]
    public void Update_WrongLength_Throws(int featureLength, int targetLength, string parameter)
    {
        var rls = new RlsReadout(2, 1);

        var e = Assert.Throws<ArgumentException>(() => rls.Update(new double[featureLength], new double[targetLength]));

        Assert.That(e!.ParamName, Is.EqualTo(parameter));
    }
}
