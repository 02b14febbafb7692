using NUnit.Framework;

namespace Reservoir.Tests;

[TestFixture]
public sealed class SparseWeightsTests
{
    [Test]
    public void FromTriplets_UnsortedWithDuplicates_SortsAndSums()
    {
        var w = SparseWeights.FromTriplets(3, 3, [2, 0, 2, 0], [1, 2, 1, 0], [1.0, 2.0, 3.0, 4.0]);

        Assert.That(w.NonZeroCount, Is.EqualTo(3));
        Assert.That(w[2, 1], Is.EqualTo(4.0));
        Assert.That(w[0, 0], Is.EqualTo(4.0));
        Assert.That(w[0, 2], Is.EqualTo(2.0));
        Assert.That(w[1, 1], Is.EqualTo(0.0));
        Assert.That(w.NonZeros().Select(e => (e.Row, e.Column)), Is.EqualTo(new[] { (0, 0), (0, 2), (2, 1) }));
    }

    [Test]
    public void FromDense_ToDense_RoundTrips()
    {
        var dense = new double[,] { { 0, 1.5 }, { -2, 0 }, { 0, 0 } };

        Assert.That(SparseWeights.FromDense(dense).ToDense(), Is.EqualTo(dense));
    }

    [Test]
    public void FromTriplets_IndexOutsideMatrix_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => SparseWeights.FromTriplets(2, 2, [0, 2], [0, 0], [1.0, 1.0]));

        Assert.That(error!.ParamName, Is.EqualTo("rows"));
    }

    [Test]
    public void FromDense_NaN_ThrowsNamingRowAndColumn()
    {
        var error = Assert.Throws<ArgumentException>(() => SparseWeights.FromDense(new double[,] { { 0, double.NaN } }));

        Assert.That(error!.Message, Does.Contain("row 0, column 1"));
    }

    [Test]
    public void Indexer_OutsideMatrix_Throws()
    {
        var w = SparseWeights.FromDense(new double[2, 2]);

        Assert.Throws<ArgumentOutOfRangeException>(() => _ = w[2, 0]);
    }
}
