using NUnit.Framework;
using Reservoir.Nvar;

namespace Reservoir.Tests.Nvar;

/// <summary>Argument checks of <see cref="NvarFeatures"/>: exception type, parameter name and message.</summary>
public sealed partial class NvarFeaturesTests
{
    private static readonly NvarOptions Valid = new() { InputDimension = 2 };

    [TestCase(0)]
    [TestCase(-1)]
    public void Constructor_InputDimensionBelowOne_Throws(int value) =>
        AssertOptionOutOfRange(Valid with { InputDimension = value }, "InputDimension");

    [TestCase(0)]
    [TestCase(-3)]
    public void Constructor_DelayCountBelowOne_Throws(int value) =>
        AssertOptionOutOfRange(Valid with { DelayCount = value }, "DelayCount");

    [TestCase(0)]
    [TestCase(int.MinValue)]
    public void Constructor_DelayStrideBelowOne_Throws(int value) =>
        AssertOptionOutOfRange(Valid with { DelayStride = value }, "DelayStride");

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(4)]
    public void Constructor_PolynomialOrderOutsideTwoToThree_Throws(int value) =>
        AssertOptionOutOfRange(Valid with { PolynomialOrder = value }, "PolynomialOrder");

    [Test]
    public void Constructor_TooManyFeatures_ThrowsNamingDelayCount()
    {
        // k·D = 2000 gives 2000 + C(2001, 2) = 2 003 000 features, above 2^20.
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new NvarFeatures(Valid with { DelayCount = 1000 }));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.ParamName, Is.EqualTo("DelayCount"));
            Assert.That(exception.Message, Does.Contain("2003000 features").And.Contain("MaxFeatureCount"));
        });
    }

    [Test]
    public void Constructor_HugeDelayStore_ThrowsNamingDelayStride() =>
        AssertOptionOutOfRange(Valid with { DelayCount = 3, DelayStride = int.MaxValue }, "DelayStride");

    [Test]
    public void Constructor_OrderFour_MessageStatesRangeAndValue()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new NvarFeatures(Valid with { PolynomialOrder = 4 }));

        Assert.That(exception!.Message, Does.Contain("PolynomialOrder must be in [2, 3]; was 4."));
    }

    [Test]
    public void Constructor_NullOptions_Throws() =>
        Assert.That(() => new NvarFeatures(null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("options"));

    [Test]
    public void Run_NotLongerThanWarmup_ThrowsWithWarmup()
    {
        var features = new NvarFeatures(Valid with { DelayCount = 3, DelayStride = 2 });

        var exception = Assert.Throws<ArgumentException>(() => features.Run(new double[4, 2]));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.ParamName, Is.EqualTo("inputs"));
            Assert.That(exception.Message, Does.Contain("4 steps").And.Contain("warm-up").And.Contain("= 4 steps"));
        });
    }

    [Test]
    public void Run_WrongWidth_Throws()
    {
        var features = new NvarFeatures(Valid);

        var exception = Assert.Throws<ArgumentException>(() => features.Run(new double[5, 3]));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.ParamName, Is.EqualTo("inputs"));
            Assert.That(exception.Message, Does.Contain("3 columns").And.Contain("2 inputs"));
        });
    }

    [Test]
    public void Run_NonFiniteInput_ThrowsNamingRowAndColumn()
    {
        var features = new NvarFeatures(Valid);
        var inputs = new double[5, 2];
        inputs[3, 1] = double.NaN;

        var exception = Assert.Throws<ArgumentException>(() => features.Run(inputs));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.ParamName, Is.EqualTo("inputs"));
            Assert.That(exception.Message, Does.Contain("row 3, column 1"));
        });
    }

    [Test]
    public void Run_Null_Throws() =>
        Assert.That(() => new NvarFeatures(Valid).Run((double[,])null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("inputs"));

    [Test]
    public void RunMany_BadSequence_NamesItsIndex()
    {
        var features = new NvarFeatures(Valid);

        var exception = Assert.Throws<ArgumentException>(() => features.Run([new double[5, 2], new double[1, 2]]));

        Assert.That(exception!.ParamName, Is.EqualTo("sequences[1]"));
    }

    [Test]
    public void RunMany_NullSequence_NamesItsIndex() =>
        Assert.That(() => new NvarFeatures(Valid).Run([new double[5, 2], null!]),
            Throws.ArgumentNullException.With.Property("ParamName").EqualTo("sequences[1]"));

    [Test]
    public void Step_WrongInputLength_Throws()
    {
        var features = new NvarFeatures(Valid);

        var exception = Assert.Throws<ArgumentException>(() => features.Step(features.CreateState(), [1.0], new double[features.FeatureCount]));

        Assert.That(exception!.ParamName, Is.EqualTo("input"));
    }

    [Test]
    public void Step_WrongFeaturesLength_Throws()
    {
        var features = new NvarFeatures(Valid);

        var exception = Assert.Throws<ArgumentException>(() => features.Step(features.CreateState(), [1.0, 2.0], new double[3]));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.ParamName, Is.EqualTo("features"));
            Assert.That(exception.Message, Does.Contain($"FeatureCount = {features.FeatureCount}"));
        });
    }

    [Test]
    public void Step_StateOfOtherFeatures_Throws()
    {
        var features = new NvarFeatures(Valid);
        var other = new NvarFeatures(Valid);

        var exception = Assert.Throws<ArgumentException>(() => features.Step(other.CreateState(), [1.0, 2.0], new double[features.FeatureCount]));

        Assert.That(exception!.ParamName, Is.EqualTo("state"));
    }

    [Test]
    public void Step_NonFiniteInput_ThrowsAndLeavesStateUnchanged()
    {
        var features = new NvarFeatures(Valid);
        var state = features.CreateState();

        var exception = Assert.Throws<ArgumentException>(() => features.Step(state, [1.0, double.PositiveInfinity], new double[features.FeatureCount]));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.ParamName, Is.EqualTo("input"));
            Assert.That(state.StepCount, Is.Zero);
        });
    }

    [TestCase(-1, 2)]
    [TestCase(2, -1)]
    public void MonomialCount_Negative_Throws(int variables, int order) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => NvarFeatures.MonomialCount(variables, order));

    private static void AssertOptionOutOfRange(NvarOptions options, string name)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new NvarFeatures(options));

        Assert.That(exception!.ParamName, Is.EqualTo(name));
    }
}
