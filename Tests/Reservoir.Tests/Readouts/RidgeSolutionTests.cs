using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

[TestFixture]
public sealed partial class RidgeSolutionTests
{
    private const double Tolerance = 1e-12;

    // y0 = 1·x0 + 2·x1 − 1·x2 + 0.5;  y1 = −2·x0 + 0·x1 + 3·x2 − 1.
    private static readonly double[,] Weights = { { 1, 2, -1 }, { -2, 0, 3 } };
    private static readonly double[] Intercept = [0.5, -1];

    [Test]
    public void FromWeights_Arrays_ExposesShapeAndCopies()
    {
        var solution = RidgeSolution.FromWeights(Weights, Intercept, 0.25);

        Assert.Multiple(() =>
        {
            Assert.That(solution.FeatureCount, Is.EqualTo(3));
            Assert.That(solution.TargetCount, Is.EqualTo(2));
            Assert.That(solution.L2Regularization, Is.EqualTo(0.25));
            Assert.That(solution.GetWeights(), Is.EqualTo(Weights));
            Assert.That(solution.GetIntercept(), Is.EqualTo(Intercept));
        });
    }

    [Test]
    public void FromWeights_InputChangedAfterwards_SolutionUnchanged()
    {
        var weights = (double[,])Weights.Clone();
        var intercept = (double[])Intercept.Clone();
        var solution = RidgeSolution.FromWeights(weights, intercept);

        weights[0, 0] = 100;
        intercept[0] = 100;

        Assert.That(solution.GetWeights()[0, 0], Is.EqualTo(1));
        Assert.That(solution.GetIntercept()[0], Is.EqualTo(0.5));
    }

    [Test]
    public void GetWeights_CopyChanged_SolutionUnchanged()
    {
        var solution = RidgeSolution.FromWeights(Weights, Intercept);

        solution.GetWeights()[1, 2] = 100;
        solution.GetIntercept()[1] = 100;

        Assert.That(solution.GetWeights(), Is.EqualTo(Weights));
        Assert.That(solution.GetIntercept(), Is.EqualTo(Intercept));
    }

    [Test]
    public void Predict_Span_ComputesWeightedSumPlusIntercept()
    {
        var solution = RidgeSolution.FromWeights(Weights, Intercept);
        Span<double> output = stackalloc double[2];

        solution.Predict([1, 2, 3], output);

        Assert.That(output.ToArray(), Is.EqualTo(new[] { 1 + 4 - 3 + 0.5, -2 + 0 + 9 - 1.0 }).Within(Tolerance));
    }

    [Test]
    public void Predict_Matrix_EqualsRowByRowSpanPredict()
    {
        var solution = RidgeSolution.FromWeights(Weights, Intercept);
        var features = ReadoutTestData.ToMatrix(ReadoutTestData.Random(5, 3, seed: 61), 5, 3);

        var outputs = solution.Predict(features);

        Assert.That(outputs.GetLength(0), Is.EqualTo(5));
        Assert.That(outputs.GetLength(1), Is.EqualTo(2));
        var row = new double[3];
        var expected = new double[2];
        for (var r = 0; r < 5; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                row[c] = features[r, c];
            }

            solution.Predict(row, expected);
            Assert.That(new[] { outputs[r, 0], outputs[r, 1] }, Is.EqualTo(expected), $"row {r}");
        }
    }

    [Test]
    public void Predict_MatrixWithoutRows_ReturnsEmpty()
    {
        var outputs = RidgeSolution.FromWeights(Weights, Intercept).Predict(new double[0, 3]);

        Assert.That(outputs.GetLength(0), Is.Zero);
        Assert.That(outputs.GetLength(1), Is.EqualTo(2));
    }

    [Test]
    public void Predict_Span_AllocatesNothing()
    {
        var solution = RidgeSolution.FromWeights(Weights, Intercept);
        var features = new double[] { 1, 2, 3 };
        var output = new double[2];
        solution.Predict(features, output);

        var allocated = Allocations.Fewest(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                solution.Predict(features, output);
            }
        });

        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void Predict_TrainedReadout_ReproducesTrainingTargetsOfExactFit()
    {
        var features = new double[,] { { 1, 0 }, { 0, 1 }, { 1, 1 } };
        var targets = new double[,] { { 1 }, { 2 }, { 4 } };
        var solution = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 0 }).Fit(features, targets);

        Assert.That(solution.Predict(features), Is.EqualTo(targets).Within(1e-12));
    }

    [TestCase(2, 2, "features")]
    [TestCase(4, 2, "features")]
    [TestCase(3, 1, "output")]
    [TestCase(3, 3, "output")]
    public void Predict_SpanWrongLength_Throws(int featureLength, int outputLength, string paramName)
    {
        var solution = RidgeSolution.FromWeights(Weights, Intercept);

        var e = Assert.Throws<ArgumentException>(
            () => solution.Predict(new double[featureLength], new double[outputLength]));

        Assert.That(e!.ParamName, Is.EqualTo(paramName));
    }

    [Test]
    public void Predict_MatrixWrongColumns_Throws()
    {
        var solution = RidgeSolution.FromWeights(Weights, Intercept);

        var e = Assert.Throws<ArgumentException>(() => solution.Predict(new double[4, 2]));

        Assert.That(e!.ParamName, Is.EqualTo("features"));
        Assert.That(e.Message, Does.Contain("2 columns").And.Contain("3"));
    }

    [Test]
    public void FromWeights_InterceptLengthMismatch_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => RidgeSolution.FromWeights(Weights, [1.0]));

        Assert.That(e!.ParamName, Is.EqualTo("intercept"));
    }

    [TestCase(0, 3)]
    [TestCase(2, 0)]
    public void FromWeights_EmptyWeights_Throws(int rows, int columns)
    {
        var e = Assert.Throws<ArgumentException>(() => RidgeSolution.FromWeights(new double[rows, columns], new double[rows]));

        Assert.That(e!.ParamName, Is.EqualTo("weights"));
    }

    [Test]
    public void FromWeights_NaNWeight_ThrowsNamingRowAndColumn()
    {
        var weights = (double[,])Weights.Clone();
        weights[1, 2] = double.NaN;

        var e = Assert.Throws<ArgumentException>(() => RidgeSolution.FromWeights(weights, Intercept));

        Assert.That(e!.ParamName, Is.EqualTo("weights"));
        Assert.That(e.Message, Does.Contain("row 1, column 2"));
    }

    [Test]
    public void FromWeights_InfiniteIntercept_Throws()
    {
        var e = Assert.Throws<ArgumentException>(
            () => RidgeSolution.FromWeights(Weights, [0, double.PositiveInfinity]));

        Assert.That(e!.ParamName, Is.EqualTo("intercept"));
    }

    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void FromWeights_InvalidL2Regularization_Throws(double lambda)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => RidgeSolution.FromWeights(Weights, Intercept, lambda));

        Assert.That(e!.ParamName, Is.EqualTo("l2Regularization"));
    }

    [Test]
    public void FromWeights_Null_Throws()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<ArgumentNullException>(() => RidgeSolution.FromWeights(null!, Intercept))!.ParamName,
                Is.EqualTo("weights"));
            Assert.That(Assert.Throws<ArgumentNullException>(() => RidgeSolution.FromWeights(Weights, null!))!.ParamName,
                Is.EqualTo("intercept"));
        });
    }
}
