using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

[TestFixture]
public sealed class SequenceFeaturesTests
{
    private const double Tolerance = 1e-15;

    // Five steps, two units: row t = (t, 10 + t).
    private static readonly double[,] States = { { 0, 10 }, { 1, 11 }, { 2, 12 }, { 3, 13 }, { 4, 14 } };

    [Test]
    public void Extract_LastState_IsLastRow() =>
        Assert.That(SequenceFeatures.Extract(States, SequenceFeatureKind.LastState), Is.EqualTo(new double[] { 4, 14 }));

    [Test]
    public void Extract_MeanState_IsColumnMeans() =>
        Assert.That(SequenceFeatures.Extract(States, SequenceFeatureKind.MeanState), Is.EqualTo(new double[] { 2, 12 }).Within(Tolerance));

    [TestCase(1, new double[] { 4, 14 })]
    [TestCase(2, new double[] { 0, 10, 4, 14 })]
    [TestCase(3, new double[] { 0, 10, 2, 12, 4, 14 })]
    [TestCase(5, new double[] { 0, 10, 1, 11, 2, 12, 3, 13, 4, 14 })]
    // round(i·4/5) for i = 0…5: 0, 0.8, 1.6, 2.4, 3.2, 4 → 0, 1, 2, 2, 3, 4 (steps repeat when k > T).
    [TestCase(6, new double[] { 0, 10, 1, 11, 2, 12, 2, 12, 3, 13, 4, 14 })]
    public void Extract_EvenlySpacedStates_TakesRoundedSteps(int sampleCount, double[] expected) =>
        Assert.That(SequenceFeatures.Extract(States, SequenceFeatureKind.EvenlySpacedStates, sampleCount), Is.EqualTo(expected));

    [Test]
    public void Extract_EvenlySpacedStatesHalfway_RoundsHalfUp()
    {
        // T = 4, k = 3: steps 0, round(1.5) = 2, 3.
        var states = new double[,] { { 0 }, { 1 }, { 2 }, { 3 } };

        Assert.That(SequenceFeatures.Extract(states, SequenceFeatureKind.EvenlySpacedStates, 3), Is.EqualTo(new double[] { 0, 2, 3 }));
    }

    [TestCase(SequenceFeatureKind.LastState)]
    [TestCase(SequenceFeatureKind.MeanState)]
    [TestCase(SequenceFeatureKind.EvenlySpacedStates)]
    public void Extract_OneStep_RepeatsThatState(SequenceFeatureKind kind)
    {
        var states = new double[,] { { 7, -1 } };
        var expected = kind == SequenceFeatureKind.EvenlySpacedStates ? new double[] { 7, -1, 7, -1, 7, -1 } : [7, -1];

        Assert.That(SequenceFeatures.Extract(states, kind, 3), Is.EqualTo(expected));
    }

    [Test]
    public void Extract_Input_IsNotChanged()
    {
        var states = (double[,])States.Clone();

        _ = SequenceFeatures.Extract(states, SequenceFeatureKind.MeanState);

        Assert.That(states, Is.EqualTo(States));
    }

    [TestCase(SequenceFeatureKind.LastState, 4, 7)]
    [TestCase(SequenceFeatureKind.MeanState, 1, 7)]
    [TestCase(SequenceFeatureKind.EvenlySpacedStates, 4, 28)]
    public void Length_Kinds_MatchExtract(SequenceFeatureKind kind, int sampleCount, int expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(SequenceFeatures.Length(7, kind, sampleCount), Is.EqualTo(expected));
            Assert.That(SequenceFeatures.Extract(new double[3, 7], kind, sampleCount), Has.Length.EqualTo(expected));
        });
    }

    [Test]
    public void Extract_NoSteps_Throws() =>
        Assert.That(() => SequenceFeatures.Extract(new double[0, 2], SequenceFeatureKind.LastState),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("states"));

    [Test]
    public void Extract_NoUnits_Throws() =>
        Assert.That(() => SequenceFeatures.Extract(new double[3, 0], SequenceFeatureKind.MeanState),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("states"));

    [Test]
    public void Extract_Null_Throws() =>
        Assert.That(() => SequenceFeatures.Extract(null!, SequenceFeatureKind.MeanState), Throws.ArgumentNullException);

    [Test]
    public void Extract_NonFiniteState_ThrowsNamingRowAndColumn()
    {
        var states = (double[,])States.Clone();
        states[3, 1] = double.NaN;

        var e = Assert.Throws<ArgumentException>(() => SequenceFeatures.Extract(states, SequenceFeatureKind.LastState));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("states"));
            Assert.That(e.Message, Does.Contain("row 3, column 1"));
        });
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void ExtractAndLength_SampleCountBelowOne_Throws(int sampleCount)
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => SequenceFeatures.Extract(States, SequenceFeatureKind.EvenlySpacedStates, sampleCount),
                Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("sampleCount"));
            Assert.That(() => SequenceFeatures.Length(2, SequenceFeatureKind.LastState, sampleCount),
                Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("sampleCount"));
        });
    }

    [Test]
    public void Length_StateWidthBelowOne_Throws() =>
        Assert.That(() => SequenceFeatures.Length(0, SequenceFeatureKind.LastState, 1),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("stateWidth"));

    [Test]
    public void Length_UndefinedKind_Throws() =>
        Assert.That(() => SequenceFeatures.Length(2, (SequenceFeatureKind)9, 1),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("kind"));

    [Test]
    public void Length_ResultTooLong_Throws() =>
        Assert.That(() => SequenceFeatures.Length(1 << 16, SequenceFeatureKind.EvenlySpacedStates, 1 << 16),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("sampleCount"));
}
