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
    public void FromStatistics_WrongLength_ThrowsWithSizes()
    {
        var e = Assert.Throws<ArgumentException>(() => GramAccumulator.FromStatistics(2, 1, new double[3]));

        Assert.That(e!.Message, Does.Contain("has 3 values").And.Contain("need 11"));
    }
}
