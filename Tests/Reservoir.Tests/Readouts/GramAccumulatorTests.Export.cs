using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

// Shipping an accumulator between processes: the exported statistics rebuild it bit for bit.
public sealed partial class GramAccumulatorTests
{
    [Test]
    public void FromStatistics_ExportedAccumulator_MergesAndSolvesBitIdentically()
    {
        var original = new GramAccumulator(Features, Targets);
        original.Accumulate(_features, _targets, Rows);
        var copy = GramAccumulator.FromStatistics(Features, Targets, original.ExportStatistics());
        var intoOriginal = new GramAccumulator(Features, Targets);
        intoOriginal.Accumulate(_features.AsSpan(0, 10 * Features), _targets.AsSpan(0, 10 * Targets), 10);
        var intoCopy = GramAccumulator.FromStatistics(Features, Targets, intoOriginal.ExportStatistics());
        intoOriginal.Add(original);
        intoCopy.Add(copy);
        var readout = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 1e-3 });

        Assert.Multiple(() =>
        {
            Assert.That(copy.ExportStatistics(), Is.EqualTo(original.ExportStatistics()));
            Assert.That(copy.Count, Is.EqualTo(Rows));
            Assert.That(intoCopy.ExportStatistics(), Is.EqualTo(intoOriginal.ExportStatistics()));
            Assert.That(readout.Fit(intoCopy).GetWeights(), Is.EqualTo(readout.Fit(intoOriginal).GetWeights()));
        });
    }

    [Test]
    public void StatisticsLength_Sizes_CountsEveryPart()
    {
        Assert.That(GramAccumulator.StatisticsLength(4, 2), Is.EqualTo(1 + 4 + 2 + 16 + 8 + 2));
    }

    [TestCase(-1.0)]
    [TestCase(2.5)]
    [TestCase(double.NaN)]
    public void FromStatistics_BadRowCount_Throws(double count)
    {
        var values = new double[GramAccumulator.StatisticsLength(2, 1)];
        values[0] = count;

        var e = Assert.Throws<ArgumentException>(() => GramAccumulator.FromStatistics(2, 1, values));
        Assert.That(e!.ParamName, Is.EqualTo("statistics"));
    }

    [Test]
    public void FromStatistics_HugeCountsAndTinyArray_ThrowsBeforeAllocating()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();

        Assert.Throws<ArgumentException>(() => GramAccumulator.FromStatistics(10_000, 1, new double[3]));

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(1 << 20), "nothing of the size of D² = 10⁸ doubles");
    }

    [TestCase(1 + 2 + 1 + 0, -1.0, "sum of squares of feature 0")]
    [TestCase(1 + 2 + 1 + 3, -0.5, "sum of squares of feature 1")]
    [TestCase(1 + 2 + 1 + 4 + 2, -2.0, "sum of squares of target 0")]
    public void FromStatistics_NegativeSumOfSquares_Throws(int index, double value, string fragment)
    {
        var source = new GramAccumulator(2, 1);
        source.Accumulate([0.1, 0.2, 0.4, -0.3, 0.9, 0.5], [1.0, 2.0, 0.5], 3);
        var values = source.ExportStatistics();
        values[index] = value;

        var e = Assert.Throws<ArgumentException>(() => GramAccumulator.FromStatistics(2, 1, values));

        Assert.That(e!.Message, Does.Contain(fragment).And.Contain("never negative"));
    }

    [Test]
    public void FromStatistics_NoRowsButStatistics_Throws()
    {
        var values = new double[GramAccumulator.StatisticsLength(2, 1)];
        values[5] = 0.25;

        var e = Assert.Throws<ArgumentException>(() => GramAccumulator.FromStatistics(2, 1, values));

        Assert.That(e!.Message, Does.Contain("statistics[5] is 0.25 but the row count is 0"));
    }

    [Test]
    public void FromStatistics_WrongLength_ThrowsWithSizes()
    {
        var e = Assert.Throws<ArgumentException>(() => GramAccumulator.FromStatistics(2, 1, new double[3]));

        Assert.That(e!.Message, Does.Contain("has 3 values").And.Contain("need 11"));
    }
}
