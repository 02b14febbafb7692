using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

[TestFixture]
public sealed partial class MetricsTests
{
    private const double Tolerance = 1e-14;

    // truth mean 2.5, population variance 1.25; one error of 1 on the last value.
    private static readonly double[] Truth = [1, 2, 3, 4];
    private static readonly double[] Prediction = [1, 2, 3, 5];

    [Test]
    public void Mse_HandValues_IsQuarter() =>
        Assert.That(Metrics.Mse(Truth, Prediction), Is.EqualTo(0.25).Within(Tolerance));

    [Test]
    public void Rmse_HandValues_IsHalf() =>
        Assert.That(Metrics.Rmse(Truth, Prediction), Is.EqualTo(0.5).Within(Tolerance));

    [Test]
    public void Mae_HandValues_IsQuarter() =>
        Assert.That(Metrics.Mae([1, 2, 3, 4], [2, 2, 3, 4.5]), Is.EqualTo((1 + 0.5) / 4).Within(Tolerance));

    [Test]
    public void Nrmse_HandValues_IsRmseOverPopulationStandardDeviation() =>
        Assert.That(Metrics.Nrmse(Truth, Prediction), Is.EqualTo(0.5 / Math.Sqrt(1.25)).Within(Tolerance));

    [Test]
    public void RSquared_HandValues_IsOneMinusResidualOverTotal() =>
        Assert.That(Metrics.RSquared(Truth, Prediction), Is.EqualTo(1 - 1.0 / 5).Within(Tolerance));

    [Test]
    public void Nrmse_PredictionIsTruthMean_IsOne() =>
        Assert.That(Metrics.Nrmse(Truth, [2.5, 2.5, 2.5, 2.5]), Is.EqualTo(1).Within(Tolerance));

    [Test]
    public void RSquared_PredictionIsTruthMean_IsZero() =>
        Assert.That(Metrics.RSquared(Truth, [2.5, 2.5, 2.5, 2.5]), Is.EqualTo(0).Within(Tolerance));

    [Test]
    public void Metrics_PerfectPrediction_ZeroErrorsAndRSquaredOne()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Metrics.Mse(Truth, Truth), Is.Zero);
            Assert.That(Metrics.Rmse(Truth, Truth), Is.Zero);
            Assert.That(Metrics.Nrmse(Truth, Truth), Is.Zero);
            Assert.That(Metrics.Mae(Truth, Truth), Is.Zero);
            Assert.That(Metrics.RSquared(Truth, Truth), Is.EqualTo(1));
        });
    }

    [Test]
    public void RSquared_WorseThanMean_IsNegative() =>
        Assert.That(Metrics.RSquared(Truth, [4, 3, 2, 1]), Is.LessThan(0));

    [Test]
    public void Nrmse_AnyPrediction_SquaredIsOneMinusRSquared()
    {
        var truth = ReadoutTestData.Random(50, 1, seed: 71);
        var prediction = ReadoutTestData.Random(50, 1, seed: 72);

        var nrmse = Metrics.Nrmse(truth, prediction);

        Assert.That(nrmse * nrmse, Is.EqualTo(1 - Metrics.RSquared(truth, prediction)).Within(1e-12));
    }

    [Test]
    public void Matrix_TwoColumns_MeanOfPerColumnMetric()
    {
        // Column 0: Truth vs Prediction above; column 1: perfect, scaled by 10.
        var truth = new double[4, 2];
        var prediction = new double[4, 2];
        for (var r = 0; r < 4; r++)
        {
            truth[r, 0] = Truth[r];
            prediction[r, 0] = Prediction[r];
            truth[r, 1] = 10 * Truth[r];
            prediction[r, 1] = 10 * Truth[r];
        }

        Assert.Multiple(() =>
        {
            Assert.That(Metrics.Mse(truth, prediction), Is.EqualTo(0.25 / 2).Within(Tolerance));
            Assert.That(Metrics.Rmse(truth, prediction), Is.EqualTo(0.5 / 2).Within(Tolerance));
            Assert.That(Metrics.Mae(truth, prediction), Is.EqualTo(0.25 / 2).Within(Tolerance));
            Assert.That(Metrics.Nrmse(truth, prediction), Is.EqualTo(0.5 / Math.Sqrt(1.25) / 2).Within(Tolerance));
            Assert.That(Metrics.RSquared(truth, prediction), Is.EqualTo((0.8 + 1) / 2).Within(Tolerance));
        });
    }

    [Test]
    public void Matrix_OneColumn_EqualsSpanOverload()
    {
        var truth = ReadoutTestData.ToMatrix(Truth, 4, 1);
        var prediction = ReadoutTestData.ToMatrix(Prediction, 4, 1);

        Assert.Multiple(() =>
        {
            Assert.That(Metrics.Mse(truth, prediction), Is.EqualTo(Metrics.Mse(Truth, Prediction)));
            Assert.That(Metrics.Rmse(truth, prediction), Is.EqualTo(Metrics.Rmse(Truth, Prediction)));
            Assert.That(Metrics.Nrmse(truth, prediction), Is.EqualTo(Metrics.Nrmse(Truth, Prediction)));
            Assert.That(Metrics.Mae(truth, prediction), Is.EqualTo(Metrics.Mae(Truth, Prediction)));
            Assert.That(Metrics.RSquared(truth, prediction), Is.EqualTo(Metrics.RSquared(Truth, Prediction)));
        });
    }

    private static IEnumerable<TestCaseData> SpanMetrics()
    {
        yield return new TestCaseData(new Func<double[], double[], double>((t, p) => Metrics.Mse(t, p))).SetArgDisplayNames("Mse");
        yield return new TestCaseData(new Func<double[], double[], double>((t, p) => Metrics.Rmse(t, p))).SetArgDisplayNames("Rmse");
        yield return new TestCaseData(new Func<double[], double[], double>((t, p) => Metrics.Nrmse(t, p))).SetArgDisplayNames("Nrmse");
        yield return new TestCaseData(new Func<double[], double[], double>((t, p) => Metrics.Mae(t, p))).SetArgDisplayNames("Mae");
        yield return new TestCaseData(new Func<double[], double[], double>((t, p) => Metrics.RSquared(t, p))).SetArgDisplayNames("RSquared");
    }

    private static IEnumerable<TestCaseData> MatrixMetrics()
    {
        yield return new TestCaseData(new Func<double[,], double[,], double>(Metrics.Mse)).SetArgDisplayNames("Mse");
        yield return new TestCaseData(new Func<double[,], double[,], double>(Metrics.Rmse)).SetArgDisplayNames("Rmse");
        yield return new TestCaseData(new Func<double[,], double[,], double>(Metrics.Nrmse)).SetArgDisplayNames("Nrmse");
        yield return new TestCaseData(new Func<double[,], double[,], double>(Metrics.Mae)).SetArgDisplayNames("Mae");
        yield return new TestCaseData(new Func<double[,], double[,], double>(Metrics.RSquared)).SetArgDisplayNames("RSquared");
    }

    [TestCaseSource(nameof(SpanMetrics))]
    public void Span_LengthsDiffer_ThrowsWithBothLengths(Func<double[], double[], double> metric)
    {
        var e = Assert.Throws<ArgumentException>(() => metric([1, 2, 3], [1, 2]));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("prediction"));
            Assert.That(e.Message, Does.Contain("2 values").And.Contain("truth has 3"));
        });
    }

    [TestCaseSource(nameof(SpanMetrics))]
    public void Span_Empty_Throws(Func<double[], double[], double> metric)
    {
        var e = Assert.Throws<ArgumentException>(() => metric([], []));

        Assert.That(e!.ParamName, Is.EqualTo("truth"));
    }

    [TestCaseSource(nameof(SpanMetrics))]
    public void Span_NonFinite_ThrowsNamingArgumentAndIndex(Func<double[], double[], double> metric)
    {
        Assert.Multiple(() =>
        {
            var e = Assert.Throws<ArgumentException>(() => metric([1, double.NaN, 3], [1, 2, 3]));
            Assert.That(e!.ParamName, Is.EqualTo("truth"));
            Assert.That(e.Message, Does.Contain("index 1"));

            e = Assert.Throws<ArgumentException>(() => metric([1, 2, 3], [1, 2, double.PositiveInfinity]));
            Assert.That(e!.ParamName, Is.EqualTo("prediction"));
            Assert.That(e.Message, Does.Contain("index 2"));
        });
    }

    [TestCaseSource(nameof(MatrixMetrics))]
    public void Matrix_ShapesDiffer_ThrowsWithBothShapes(Func<double[,], double[,], double> metric)
    {
        var e = Assert.Throws<ArgumentException>(() => metric(new double[3, 2], new double[3, 1]));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("prediction"));
            Assert.That(e.Message, Does.Contain("3 × 1").And.Contain("3 × 2"));
        });
    }

    [TestCaseSource(nameof(MatrixMetrics))]
    public void Matrix_Empty_Throws(Func<double[,], double[,], double> metric)
    {
        var e = Assert.Throws<ArgumentException>(() => metric(new double[0, 2], new double[0, 2]));

        Assert.That(e!.ParamName, Is.EqualTo("truth"));
    }

    [TestCaseSource(nameof(MatrixMetrics))]
    public void Matrix_NaN_ThrowsNamingRowAndColumn(Func<double[,], double[,], double> metric)
    {
        var truth = new double[,] { { 1, 2 }, { 3, 4 } };
        var prediction = new double[,] { { 1, 2 }, { 3, double.NaN } };

        var e = Assert.Throws<ArgumentException>(() => metric(truth, prediction));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("prediction"));
            Assert.That(e.Message, Does.Contain("row 1, column 1"));
        });
    }

    [TestCaseSource(nameof(MatrixMetrics))]
    public void Matrix_Null_Throws(Func<double[,], double[,], double> metric)
    {
        Assert.That(() => metric(null!, new double[1, 1]), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("truth"));
        Assert.That(() => metric(new double[1, 1], null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("prediction"));
    }

    [TestCase(new[] { 4.0, 4.0, 4.0 })]
    [TestCase(new[] { 0.1, 0.1, 0.1 })]
    [TestCase(new[] { -7.0 })]
    public void Nrmse_ConstantTarget_ThrowsZeroVariance(double[] truth)
    {
        var e = Assert.Throws<ArgumentException>(() => Metrics.Nrmse(truth, new double[truth.Length]));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("truth"));
            Assert.That(e.Message, Does.Contain("zero variance").And.Contain("target"));
        });
    }

    [Test]
    public void RSquared_ConstantTarget_ThrowsZeroVariance()
    {
        var e = Assert.Throws<ArgumentException>(() => Metrics.RSquared([2.0, 2.0], [1.0, 3.0]));

        Assert.That(e!.ParamName, Is.EqualTo("truth"));
        Assert.That(e.Message, Does.Contain("zero variance"));
    }

    [Test]
    public void Nrmse_MatrixWithConstantColumn_ThrowsNamingColumn()
    {
        var truth = new double[,] { { 1, 5 }, { 2, 5 }, { 3, 5 } };

        var e = Assert.Throws<ArgumentException>(() => Metrics.Nrmse(truth, new double[3, 2]));

        Assert.That(e!.ParamName, Is.EqualTo("truth"));
        Assert.That(e.Message, Does.Contain("column 1").And.Contain("zero variance"));
    }
}
