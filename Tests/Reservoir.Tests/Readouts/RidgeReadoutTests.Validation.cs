using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

public sealed partial class RidgeReadoutTests
{
    [TestCase(-1e-12)]
    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    [TestCase(double.NegativeInfinity)]
    public void Constructor_InvalidL2Regularization_Throws(double lambda)
    {
        var options = new RidgeReadoutOptions { L2Regularization = lambda };

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RidgeReadout(options));

        Assert.That(e!.ParamName, Is.EqualTo("L2Regularization"));
    }

    [TestCase(0.0)]
    [TestCase(double.MaxValue)]
    public void Constructor_BoundaryL2Regularization_Accepted(double lambda)
    {
        Assert.That(() => new RidgeReadout(new RidgeReadoutOptions { L2Regularization = lambda }), Throws.Nothing);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Fit_CollinearFeaturesWithoutRegularization_ThrowsWithHint(bool fitIntercept)
    {
        // Second column = 2 × first column.
        var features = new double[,] { { 1, 2 }, { 2, 4 }, { 3, 6 }, { 5, 10 } };
        var targets = new double[,] { { 1 }, { 2 }, { 2 }, { 7 } };
        var readout = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 0, FitIntercept = fitIntercept });

        var e = Assert.Throws<ArgumentException>(() => readout.Fit(features, targets));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("L2Regularization"));
            Assert.That(e.Message, Does.Contain("not positive definite; set L2Regularization > 0 (was 0)."));
        });
    }

    [Test]
    public void Fit_RoundedLinearCombinationWithoutRegularization_ThrowsWithHint()
    {
        // Third column = first + second, with values whose sums round: the pivot is rounding noise, not zero.
        const int Rows = 50;
        var random = ReadoutTestData.Random(Rows, 2, seed: 51);
        var features = new double[Rows, 3];
        var targets = new double[Rows, 1];
        for (var r = 0; r < Rows; r++)
        {
            features[r, 0] = random[2 * r] * 0.1;
            features[r, 1] = random[2 * r + 1] * 0.3;
            features[r, 2] = features[r, 0] + features[r, 1];
            targets[r, 0] = r % 3;
        }

        var readout = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 0 });

        var e = Assert.Throws<ArgumentException>(() => readout.Fit(features, targets));

        Assert.That(e!.ParamName, Is.EqualTo("L2Regularization"));
    }

    [Test]
    public void Fit_ConstantFeatureWithInterceptWithoutRegularization_ThrowsWithHint()
    {
        var features = new double[,] { { 0.1, 1 }, { 0.1, 2 }, { 0.1, 4 } };
        var targets = new double[,] { { 1 }, { 2 }, { 3 } };
        var readout = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 0 });

        var e = Assert.Throws<ArgumentException>(() => readout.Fit(features, targets));

        Assert.That(e!.ParamName, Is.EqualTo("L2Regularization"));
    }

    [Test]
    public void Fit_CollinearFeaturesWithRegularization_Succeeds()
    {
        var features = new double[,] { { 1, 2 }, { 2, 4 }, { 3, 6 }, { 5, 10 } };
        var targets = new double[,] { { 1 }, { 2 }, { 2 }, { 7 } };

        var solution = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 1e-3 }).Fit(features, targets);

        Assert.That(solution.GetWeights(), Is.All.Matches<double>(double.IsFinite));
    }

    [Test]
    public void Fit_EmptyGram_ThrowsInvalidOperation()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new RidgeReadout().Fit(new GramAccumulator(2, 1)));

        Assert.That(e!.Message, Does.Contain("no rows accumulated"));
    }

    [Test]
    public void Fit_NullGram_Throws()
    {
        var e = Assert.Throws<ArgumentNullException>(() => new RidgeReadout().Fit(null!));

        Assert.That(e!.ParamName, Is.EqualTo("gram"));
    }

    [Test]
    public void Fit_RowCountsDiffer_ThrowsNamingTargetsWithBothCounts()
    {
        var e = Assert.Throws<ArgumentException>(() => new RidgeReadout().Fit(new double[3, 2], new double[4, 1]));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("targets"));
            Assert.That(e.Message, Does.Contain("4 rows").And.Contain("3"));
        });
    }

    [TestCase(0, 2, 0, 1, "features")]
    [TestCase(3, 0, 3, 1, "features")]
    [TestCase(3, 2, 3, 0, "targets")]
    public void Fit_EmptyMatrix_Throws(int featureRows, int featureColumns, int targetRows, int targetColumns, string paramName)
    {
        var e = Assert.Throws<ArgumentException>(
            () => new RidgeReadout().Fit(new double[featureRows, featureColumns], new double[targetRows, targetColumns]));

        Assert.That(e!.ParamName, Is.EqualTo(paramName));
    }

    [TestCase(double.NaN, 1, 0, "features")]
    [TestCase(double.PositiveInfinity, 2, 1, "features")]
    [TestCase(double.NaN, 2, 0, "targets")]
    public void Fit_NonFiniteValue_ThrowsNamingRowAndColumn(double bad, int row, int column, string paramName)
    {
        var features = new double[,] { { 1, 0 }, { 0, 1 }, { 1, 1 } };
        var targets = new double[,] { { 1 }, { 2 }, { 4 } };
        (paramName == "features" ? features : targets)[row, column] = bad;

        var e = Assert.Throws<ArgumentException>(() => new RidgeReadout().Fit(features, targets));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo(paramName));
            Assert.That(e.Message, Does.Contain($"row {row}, column {column}"));
        });
    }

    [TestCase(null, "features")]
    [TestCase("features", "targets")]
    public void Fit_NullMatrix_Throws(string? given, string paramName)
    {
        var matrix = new double[1, 1];

        var e = Assert.Throws<ArgumentNullException>(
            () => new RidgeReadout().Fit(given == null ? null! : matrix, given == null ? matrix : null!));

        Assert.That(e!.ParamName, Is.EqualTo(paramName));
    }
}
