using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

public sealed partial class RidgeCvTests
{
    [TestCase(-1e-300)]
    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    [TestCase(double.NegativeInfinity)]
    public void Constructor_InvalidGridValue_ThrowsNamingGrid(double value)
    {
        var options = new RidgeCvOptions { L2Grid = [1, value] };

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RidgeCv(options));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("L2Grid"));
            Assert.That(e.Message, Does.Contain("L2Grid[1] must be finite and >= 0"));
        });
    }

    [Test]
    public void Constructor_ZeroInGrid_Accepted() =>
        Assert.That(() => new RidgeCv(new RidgeCvOptions { L2Grid = [0] }), Throws.Nothing);

    [Test]
    public void Constructor_EmptyGrid_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => _ = new RidgeCv(new RidgeCvOptions { L2Grid = [] }));

        Assert.That(e!.ParamName, Is.EqualTo("L2Grid"));
    }

    [Test]
    public void Constructor_UndefinedMethod_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RidgeCv(new RidgeCvOptions { Method = (RidgeCvMethod)7 }));

        Assert.That(e!.ParamName, Is.EqualTo("Method"));
    }

    [Test]
    public void Fit_NullFolds_Throws()
    {
        var e = Assert.Throws<ArgumentNullException>(() => new RidgeCv().Fit(null!));

        Assert.That(e!.ParamName, Is.EqualTo("folds"));
    }

    [Test]
    public void Fit_NoFolds_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new RidgeCv().Fit([]));

        Assert.That(e!.ParamName, Is.EqualTo("folds"));
    }

    [Test]
    public void Fit_NullFold_ThrowsNamingIndex()
    {
        var (x, y) = NoisyProblem(20, seed: 121);

        var e = Assert.Throws<ArgumentException>(() => new RidgeCv().Fit([Accumulate(x, y, 0, 10), null!]));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("folds"));
            Assert.That(e.Message, Does.Contain("folds[1] is null"));
        });
    }

    [Test]
    public void Fit_FoldsOfDifferentShapes_Throws()
    {
        var (x, y) = NoisyProblem(20, seed: 123);

        var e = Assert.Throws<ArgumentException>(() => new RidgeCv().Fit([Accumulate(x, y, 0, 10), new GramAccumulator(Features + 1, Targets)]));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("folds"));
            Assert.That(e.Message, Does.Contain("folds[1] has 9 features"));
        });
    }

    [Test]
    public void Fit_KFoldWithOneNonEmptyFold_ThrowsWithHint()
    {
        var (x, y) = NoisyProblem(20, seed: 125);

        var e = Assert.Throws<ArgumentException>(() => new RidgeCv().Fit([Accumulate(x, y, 0, 20), new GramAccumulator(Features, Targets)]));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("folds"));
            Assert.That(e.Message, Does.Contain("at least 2 folds with rows; 1 of the 2"));
        });
    }

    [Test]
    public void Fit_GcvWithOneFold_Accepted()
    {
        var (x, y) = NoisyProblem(20, seed: 127);
        var cv = new RidgeCv(new RidgeCvOptions { Method = RidgeCvMethod.GeneralizedCrossValidation });

        Assert.That(() => cv.Fit([Accumulate(x, y, 0, 20)]), Throws.Nothing);
    }

    [Test]
    public void Fit_ConsumedFold_ThrowsNamingIndex()
    {
        var (x, y) = NoisyProblem(20, seed: 129);
        var consumed = Accumulate(x, y, 10, 20);
        new RidgeReadout().FitAndConsume(consumed);
        var cv = new RidgeCv(new RidgeCvOptions { Method = RidgeCvMethod.GeneralizedCrossValidation });

        var e = Assert.Throws<ArgumentException>(() => cv.Fit([Accumulate(x, y, 0, 10), consumed]));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("folds"));
            Assert.That(e.Message, Does.Contain("folds[1] was consumed"));
        });
    }

    [Test]
    public void Fit_GcvOnOneFold_BitIdenticalToFoldMergedIntoEmptyAccumulator()
    {
        // One fold is used as it is, without a merged copy; that must not change a bit of the result.
        var (x, y) = NoisyProblem(40, seed: 131);
        var fold = Accumulate(x, y, 0, 40);
        var copy = new GramAccumulator(fold.FeatureCount, fold.TargetCount);
        copy.Add(fold);
        var cv = new RidgeCv(new RidgeCvOptions { Method = RidgeCvMethod.GeneralizedCrossValidation });

        var single = cv.Fit([fold]);
        var merged = cv.Fit([new GramAccumulator(fold.FeatureCount, fold.TargetCount), copy]);

        Assert.Multiple(() =>
        {
            Assert.That(single.BestL2Regularization, Is.EqualTo(merged.BestL2Regularization));
            Assert.That(single.Curve.Select(p => BitConverter.DoubleToInt64Bits(p.ValidationError)),
                Is.EqualTo(merged.Curve.Select(p => BitConverter.DoubleToInt64Bits(p.ValidationError))));
            Assert.That(single.Solution.GetWeights().Cast<double>().Select(BitConverter.DoubleToInt64Bits),
                Is.EqualTo(merged.Solution.GetWeights().Cast<double>().Select(BitConverter.DoubleToInt64Bits)));
            Assert.That(fold.IsConsumed, Is.False);
        });
    }

    [Test]
    public void Fit_GcvWithNoRows_Throws()
    {
        var cv = new RidgeCv(new RidgeCvOptions { Method = RidgeCvMethod.GeneralizedCrossValidation });

        var e = Assert.Throws<ArgumentException>(() => cv.Fit([new GramAccumulator(2, 1)]));

        Assert.That(e!.ParamName, Is.EqualTo("folds"));
    }
}
