using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

public sealed partial class GramAccumulatorTests
{
    [TestCase(0, 1, "featureCount")]
    [TestCase(-1, 1, "featureCount")]
    [TestCase(1, 0, "targetCount")]
    [TestCase(3, -5, "targetCount")]
    [TestCase(46341, 1, "featureCount")]
    [TestCase(46340, 50000, "targetCount")]
    public void Constructor_CountOutOfRange_Throws(int featureCount, int targetCount, string paramName)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new GramAccumulator(featureCount, targetCount));

        Assert.That(e!.ParamName, Is.EqualTo(paramName));
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void Accumulate_RowsBelowOne_Throws(int rows)
    {
        var gram = new GramAccumulator(2, 1);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => gram.Accumulate([], [], rows));

        Assert.That(e!.ParamName, Is.EqualTo("rows"));
    }

    [TestCase(5, 2, "features")]
    [TestCase(7, 2, "features")]
    [TestCase(6, 1, "targets")]
    [TestCase(6, 3, "targets")]
    public void Accumulate_WrongLength_ThrowsNamingArgument(int featureValues, int targetValues, string paramName)
    {
        var gram = new GramAccumulator(3, 1);

        var e = Assert.Throws<ArgumentException>(
            () => gram.Accumulate(new double[featureValues], new double[targetValues], 2));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo(paramName));
            Assert.That(e.Message, Does.Contain("2 × "));
        });
    }

    [TestCase(double.NaN, 2, 1, "features")]
    [TestCase(double.PositiveInfinity, 0, 0, "features")]
    [TestCase(double.NegativeInfinity, 3, 2, "features")]
    [TestCase(double.NaN, 1, 1, "targets")]
    [TestCase(double.PositiveInfinity, 3, 0, "targets")]
    public void Accumulate_NonFiniteValue_ThrowsNamingRowAndColumn(double bad, int row, int column, string paramName)
    {
        const int Rows = 4;
        const int Columns = 3;
        const int TargetColumns = 2;
        var features = new double[Rows * Columns];
        var targets = new double[Rows * TargetColumns];
        if (paramName == "features")
        {
            features[row * Columns + column] = bad;
        }
        else
        {
            targets[row * TargetColumns + column] = bad;
        }

        var gram = new GramAccumulator(Columns, TargetColumns);

        var e = Assert.Throws<ArgumentException>(() => gram.Accumulate(features, targets, Rows));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo(paramName));
            Assert.That(e.Message, Does.Contain($"row {row}, column {column}"));
            Assert.That(gram.Count, Is.Zero, "a rejected block must leave the accumulator unchanged");
        });
    }

    [Test]
    public void Add_Null_Throws()
    {
        var gram = new GramAccumulator(2, 1);

        var e = Assert.Throws<ArgumentNullException>(() => gram.Add(null!));

        Assert.That(e!.ParamName, Is.EqualTo("other"));
    }

    [TestCase(3, 1)]
    [TestCase(2, 2)]
    public void Add_DifferentShape_Throws(int featureCount, int targetCount)
    {
        var gram = new GramAccumulator(2, 1);

        var e = Assert.Throws<ArgumentException>(() => gram.Add(new GramAccumulator(featureCount, targetCount)));

        Assert.That(e!.ParamName, Is.EqualTo("other"));
    }
}
