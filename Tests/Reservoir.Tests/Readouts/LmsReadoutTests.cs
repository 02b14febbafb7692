using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

[TestFixture]
public sealed class LmsReadoutTests
{
    private const double ExactTolerance = 1e-12;
    private const double ConvergenceTolerance = 1e-6;

    [TestCase(0.3)]
    [TestCase(1.0)]
    [TestCase(1.7)]
    public void Update_OneRow_ShrinksItsErrorByOneMinusLearningRate(double learningRate)
    {
        var lms = new LmsReadout(3, 2, new LmsReadoutOptions { LearningRate = learningRate });
        double[] x = [0.5, -2, 1];
        double[] y = [3, -1];
        var output = new double[2];

        lms.Update([1, 1, 1], [1, 2]);
        lms.Predict(x, output);
        var errorBefore = new[] { y[0] - output[0], y[1] - output[1] };
        lms.Update(x, y);
        lms.Predict(x, output);

        Assert.Multiple(() =>
        {
            Assert.That(y[0] - output[0], Is.EqualTo((1 - learningRate) * errorBefore[0]).Within(ExactTolerance));
            Assert.That(y[1] - output[1], Is.EqualTo((1 - learningRate) * errorBefore[1]).Within(ExactTolerance));
        });
    }

    [Test]
    public void Update_StationaryNoiselessProblem_ErrorFallsAndWeightsConverge()
    {
        const int Features = 4;
        const int Rows = 4000;
        double[] weights = [1, -0.5, 2, 0.25];
        const double Intercept = -1.5;
        var inputs = ReadoutTestData.Random(Rows, Features, seed: 301);
        var test = ReadoutTestData.Random(200, Features, seed: 302);
        var lms = new LmsReadout(Features, 1, new LmsReadoutOptions { LearningRate = 0.5 });

        var initial = TestMse(lms, test, weights, Intercept);
        for (var r = 0; r < Rows; r++)
        {
            var row = inputs.AsSpan(r * Features, Features);
            lms.Update(row, [Target(weights, Intercept, row)]);
        }

        var final = TestMse(lms, test, weights, Intercept);
        var solution = lms.ToSolution();
        Assert.Multiple(() =>
        {
            Assert.That(final, Is.LessThan(1e-6 * initial));
            Assert.That(solution.GetWeights(), Is.EqualTo(new[,] { { 1, -0.5, 2, 0.25 } }).Within(ConvergenceTolerance));
            Assert.That(solution.GetIntercept()[0], Is.EqualTo(Intercept).Within(ConvergenceTolerance));
            Assert.That(solution.L2Regularization, Is.Zero);
            Assert.That(lms.UpdateCount, Is.EqualTo(Rows));
        });
    }

    [Test]
    public void Update_ZeroFeaturesWithoutIntercept_ChangesNothing()
    {
        var lms = new LmsReadout(2, 1, new LmsReadoutOptions { FitIntercept = false, LearningRate = 1 });
        lms.Update([1, 0], [2]);

        lms.Update([0, 0], [5]);

        Assert.Multiple(() =>
        {
            Assert.That(lms.ToSolution().GetWeights(), Is.EqualTo(new[,] { { 2.0, 0 } }));
            Assert.That(lms.UpdateCount, Is.EqualTo(2));
        });
    }

    [Test]
    public void Update_AfterWarmUp_AllocatesNothing()
    {
        var lms = new LmsReadout(3, 2);
        double[] x = [0.1, 0.2, -0.3];
        double[] y = [1, -1];
        lms.Update(x, y);

        var allocated = Allocations.Fewest(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                lms.Update(x, y);
            }
        });

        Assert.That(allocated, Is.Zero);
    }

    [TestCase(0.0)]
    [TestCase(-0.1)]
    [TestCase(2.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Constructor_LearningRateOutsideStableRange_Throws(double value)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new LmsReadout(2, 1, new LmsReadoutOptions { LearningRate = value }));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("LearningRate"));
            Assert.That(e.Message, Does.Contain("must be in (0, 2)"));
        });
    }

    [TestCase(1e-300)]
    [TestCase(1.9999999)]
    public void Constructor_LearningRateInsideRange_Accepted(double value) =>
        Assert.That(() => new LmsReadout(2, 1, new LmsReadoutOptions { LearningRate = value }), Throws.Nothing);

    [TestCase(double.NaN, 0.0, "features")]
    [TestCase(0.0, double.PositiveInfinity, "targets")]
    public void Update_NonFiniteValue_Throws(double feature, double target, string parameter)
    {
        var lms = new LmsReadout(2, 1);

        var e = Assert.Throws<ArgumentException>(() => lms.Update([feature, 1], [target]));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo(parameter));
            Assert.That(lms.UpdateCount, Is.Zero);
        });
    }

    [TestCase(3, 1, "features")]
    [TestCase(2, 2, "targets")]
    public void Update_WrongLength_Throws(int featureLength, int targetLength, string parameter)
    {
        var e = Assert.Throws<ArgumentException>(() => new LmsReadout(2, 1).Update(new double[featureLength], new double[targetLength]));

        Assert.That(e!.ParamName, Is.EqualTo(parameter));
    }

    private static double Target(double[] weights, double intercept, ReadOnlySpan<double> row)
    {
        var sum = intercept;
        for (var d = 0; d < weights.Length; d++)
        {
            sum += weights[d] * row[d];
        }

        return sum;
    }

    private static double TestMse(LmsReadout lms, double[] test, double[] weights, double intercept)
    {
        var rows = test.Length / weights.Length;
        var output = new double[1];
        var sum = 0.0;
        for (var r = 0; r < rows; r++)
        {
            var row = test.AsSpan(r * weights.Length, weights.Length);
            lms.Predict(row, output);
            var error = Target(weights, intercept, row) - output[0];
            sum += error * error;
        }

        return sum / rows;
    }
}
