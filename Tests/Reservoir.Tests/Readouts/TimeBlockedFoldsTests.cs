using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

[TestFixture]
public sealed class TimeBlockedFoldsTests
{
    [TestCase(5, null, TimeBlockedFolds.MaxBlockRows)]
    [TestCase(5, 0L, 1)]
    [TestCase(5, 19L, 1)]
    [TestCase(5, 100L, 5)]
    [TestCase(4, 2970L, 185)]
    [TestCase(5, 10_000L, 500)]
    [TestCase(5, 1_000_000L, 500)]
    [TestCase(1, 40L, 10)]
    public void Constructor_BlockSizeRule_RowsOverFourKBetweenOneAndMax(int folds, long? rows, int expected) =>
        Assert.That(new TimeBlockedFolds(folds, rows).BlockRows, Is.EqualTo(expected));

    [Test]
    public void FoldOf_BlocksDealtRoundRobin()
    {
        var folds = new TimeBlockedFolds(3, 24); // blocks of 2 rows

        var assigned = Enumerable.Range(0, 14).Select(r => folds.FoldOf(r)).ToArray();

        Assert.That(assigned, Is.EqualTo(new[] { 0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2, 0, 0 }));
    }

    [Test]
    public void FoldOf_OneFold_AlwaysZero() =>
        Assert.That(Enumerable.Range(0, 2000).Select(r => new TimeBlockedFolds(1).FoldOf(r)), Has.All.EqualTo(0));

    [Test]
    public void Accumulate_InChunks_SameAsRowByRowAssignment()
    {
        const int rows = 203;
        const int d = 3;
        var x = ReadoutTestData.Random(rows, d, seed: 5);
        var y = ReadoutTestData.Random(rows, 1, seed: 6);
        var folds = new TimeBlockedFolds(4, rows); // blocks of 12 rows
        var chunked = folds.CreateAccumulators(d, 1);
        foreach (var (start, count) in new[] { (0, 7), (7, 50), (57, 146) })
        {
            folds.Accumulate(chunked, start, x.AsSpan(start * d, count * d), y.AsSpan(start, count), count);
        }

        var byRow = folds.CreateAccumulators(d, 1);
        for (var r = 0; r < rows; r++)
        {
            byRow[folds.FoldOf(r)].Accumulate(x.AsSpan(r * d, d), y.AsSpan(r, 1), 1);
        }

        for (var f = 0; f < folds.FoldCount; f++)
        {
            Assert.That(chunked[f].Count, Is.EqualTo(byRow[f].Count), $"fold {f}");
            Assert.That(chunked[f].GetFeatureMeans(), Is.EqualTo(byRow[f].GetFeatureMeans()).Within(1e-12), $"fold {f}");
            Assert.That(chunked[f].GetTargetMeans(), Is.EqualTo(byRow[f].GetTargetMeans()).Within(1e-12), $"fold {f}");
        }

        Assert.That(chunked.Sum(f => f.Count), Is.EqualTo(rows));
    }

    [Test]
    public void Accumulate_OneFold_BitIdenticalToOneDirectCall()
    {
        const int rows = 777;
        var x = ReadoutTestData.Random(rows, 2, seed: 7);
        var y = ReadoutTestData.Random(rows, 1, seed: 8);
        var folds = new TimeBlockedFolds(1);
        var accumulators = folds.CreateAccumulators(2, 1);
        var direct = new GramAccumulator(2, 1);

        folds.Accumulate(accumulators, 3, x, y, rows);
        direct.Accumulate(x, y, rows);

        var ridge = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 1e-3 });
        Assert.That(ridge.Fit(accumulators[0]).GetWeights(), Is.EqualTo(ridge.Fit(direct).GetWeights()));
    }

    [TestCase(0)]
    [TestCase(-2)]
    public void Constructor_FoldCountBelowOne_Throws(int folds)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TimeBlockedFolds(folds));
        Assert.That(error!.ParamName, Is.EqualTo("foldCount"));
    }

    [Test]
    public void Constructor_NegativeRowCount_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TimeBlockedFolds(3, -1));
        Assert.That(error!.ParamName, Is.EqualTo("rowCount"));
    }

    [Test]
    public void FoldOf_NegativeRow_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TimeBlockedFolds(3).FoldOf(-1));
        Assert.That(error!.ParamName, Is.EqualTo("row"));
    }

    [Test]
    public void Accumulate_WrongNumberOfAccumulators_Throws()
    {
        var folds = new TimeBlockedFolds(3);
        var error = Assert.Throws<ArgumentException>(() => folds.Accumulate(new TimeBlockedFolds(2).CreateAccumulators(1, 1), 0, [1.0], [1.0], 1));
        Assert.That(error!.ParamName, Is.EqualTo("folds"));
    }

    [Test]
    public void Accumulate_NegativeFirstRow_Throws()
    {
        var folds = new TimeBlockedFolds(2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => folds.Accumulate(folds.CreateAccumulators(1, 1), -1, [1.0], [1.0], 1));
        Assert.That(error!.ParamName, Is.EqualTo("firstRow"));
    }
}
