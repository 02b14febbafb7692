using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

[TestFixture]
public sealed partial class RidgeReadoutTests
{
    private const double ExactTolerance = 1e-12;
    private const double RecoveryTolerance = 1e-6;

    // Three rows, two features: x = (1, 0), (0, 1), (1, 1); y = 1, 2, 4.
    private static readonly double[,] SmallFeatures = { { 1, 0 }, { 0, 1 }, { 1, 1 } };
    private static readonly double[,] SmallTargets = { { 1 }, { 2 }, { 4 } };

    [TestCase(0.0, false)]
    [TestCase(1.0, false)]
    [TestCase(0.0, true)]
    [TestCase(1.0, true)]
    [TestCase(2.5, true)]
    public void Fit_ThreeRowsTwoFeatures_MatchesNormalEquationsSolvedByHand(double lambda, bool fitIntercept)
    {
        // Normal equations written out: A = Σ x xᵀ + λI, c = Σ x y, on centred values when an intercept is fitted.
        const int N = 3;
        double mean0 = 0, mean1 = 0, meanY = 0;
        if (fitIntercept)
        {
            mean0 = (1 + 0 + 1) / 3.0;
            mean1 = (0 + 1 + 1) / 3.0;
            meanY = (1 + 2 + 4) / 3.0;
        }

        double a00 = 0, a01 = 0, a11 = 0, c0 = 0, c1 = 0;
        for (var r = 0; r < N; r++)
        {
            var x0 = SmallFeatures[r, 0] - mean0;
            var x1 = SmallFeatures[r, 1] - mean1;
            var y = SmallTargets[r, 0] - meanY;
            a00 += x0 * x0;
            a01 += x0 * x1;
            a11 += x1 * x1;
            c0 += x0 * y;
            c1 += x1 * y;
        }

        a00 += lambda;
        a11 += lambda;
        var determinant = a00 * a11 - a01 * a01;
        var w0 = (a11 * c0 - a01 * c1) / determinant; // Cramer's rule
        var w1 = (a00 * c1 - a01 * c0) / determinant;
        var b = meanY - w0 * mean0 - w1 * mean1;

        var solution = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = lambda, FitIntercept = fitIntercept })
            .Fit(SmallFeatures, SmallTargets);

        Assert.Multiple(() =>
        {
            Assert.That(solution.GetWeights()[0, 0], Is.EqualTo(w0).Within(ExactTolerance));
            Assert.That(solution.GetWeights()[0, 1], Is.EqualTo(w1).Within(ExactTolerance));
            Assert.That(solution.GetIntercept()[0], Is.EqualTo(b).Within(ExactTolerance));
            Assert.That(solution.L2Regularization, Is.EqualTo(lambda));
        });
    }

    // The same system in closed fractions (worked on paper), as a check on the check above.
    [TestCase(1.0, false, 9.0 / 8, 13.0 / 8, 0.0)]
    [TestCase(0.0, false, 4.0 / 3, 7.0 / 3, 0.0)]
    [TestCase(1.0, true, 3.0 / 8, 7.0 / 8, 1.5)]
    [TestCase(0.0, true, 2.0, 3.0, -1.0)]
    public void Fit_ThreeRowsTwoFeatures_MatchesPaperFractions(double lambda, bool fitIntercept, double w0, double w1, double b)
    {
        var solution = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = lambda, FitIntercept = fitIntercept })
            .Fit(SmallFeatures, SmallTargets);

        Assert.That(solution.GetWeights(), Is.EqualTo(new[,] { { w0, w1 } }).Within(ExactTolerance));
        Assert.That(solution.GetIntercept(), Is.EqualTo(new[] { b }).Within(ExactTolerance));
    }

    [Test]
    public void Fit_HugeLambda_WeightsVanishAndInterceptIsTargetMean()
    {
        // The intercept is not regularised: as λ → ∞ only the weights shrink.
        var solution = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 1e15 }).Fit(SmallFeatures, SmallTargets);

        Assert.Multiple(() =>
        {
            Assert.That(solution.GetWeights(), Is.EqualTo(new double[1, 2]).Within(1e-12));
            Assert.That(solution.GetIntercept()[0], Is.EqualTo(7.0 / 3).Within(1e-12));
        });
    }

    [Test]
    public void Fit_WithoutIntercept_InterceptIsZero()
    {
        var solution = new RidgeReadout(new RidgeReadoutOptions { FitIntercept = false }).Fit(SmallFeatures, SmallTargets);

        Assert.That(solution.GetIntercept(), Is.EqualTo(new[] { 0.0 }));
    }

    [Test]
    public void Fit_MultiOutputNoiseless_RecoversWeightsAndIntercepts()
    {
        const int Rows = 600;
        const int Features = 20;
        const int Targets = 3;
        var x = ReadoutTestData.Random(Rows, Features, seed: 21, offset: 0.5);
        var trueWeights = ReadoutTestData.Random(Targets, Features, seed: 22);
        double[] trueIntercept = [0.5, -3, 10];
        var y = new double[Rows * Targets];
        for (var r = 0; r < Rows; r++)
        {
            for (var k = 0; k < Targets; k++)
            {
                var sum = trueIntercept[k];
                for (var d = 0; d < Features; d++)
                {
                    sum += trueWeights[k * Features + d] * x[r * Features + d];
                }

                y[r * Targets + k] = sum;
            }
        }

        var solution = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 1e-10 })
            .Fit(ReadoutTestData.ToMatrix(x, Rows, Features), ReadoutTestData.ToMatrix(y, Rows, Targets));

        Assert.Multiple(() =>
        {
            Assert.That(solution.TargetCount, Is.EqualTo(Targets));
            Assert.That(solution.FeatureCount, Is.EqualTo(Features));
            Assert.That(solution.GetWeights(), Is.EqualTo(ReadoutTestData.ToMatrix(trueWeights, Targets, Features)).Within(RecoveryTolerance));
            Assert.That(solution.GetIntercept(), Is.EqualTo(trueIntercept).Within(RecoveryTolerance));
        });
    }

    [Test]
    public void Fit_MultiOutput_EachOutputEqualsSingleOutputFit()
    {
        const int Rows = 200;
        const int Features = 9;
        const int Targets = 4;
        var x = ReadoutTestData.ToMatrix(ReadoutTestData.Random(Rows, Features, seed: 31), Rows, Features);
        var yValues = ReadoutTestData.Random(Rows, Targets, seed: 32);
        var readout = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 0.1 });

        var joint = readout.Fit(x, ReadoutTestData.ToMatrix(yValues, Rows, Targets));

        for (var k = 0; k < Targets; k++)
        {
            var column = new double[Rows, 1];
            for (var r = 0; r < Rows; r++)
            {
                column[r, 0] = yValues[r * Targets + k];
            }

            var single = readout.Fit(x, column);
            for (var d = 0; d < Features; d++)
            {
                Assert.That(joint.GetWeights()[k, d], Is.EqualTo(single.GetWeights()[0, d]).Within(ExactTolerance), $"W[{k}, {d}]");
            }

            Assert.That(joint.GetIntercept()[k], Is.EqualTo(single.GetIntercept()[0]).Within(ExactTolerance), $"b[{k}]");
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Fit_StreamedAndShardedGram_EqualsMatrixFit(bool fitIntercept)
    {
        const int Rows = 700;
        const int Features = 15;
        const int Targets = 2;
        var x = ReadoutTestData.Random(Rows, Features, seed: 41, offset: 2);
        var y = ReadoutTestData.Random(Rows, Targets, seed: 42);
        var readout = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 1e-3, FitIntercept = fitIntercept });
        var expected = readout.Fit(ReadoutTestData.ToMatrix(x, Rows, Features), ReadoutTestData.ToMatrix(y, Rows, Targets));
        var first = new GramAccumulator(Features, Targets);
        var second = new GramAccumulator(Features, Targets);
        first.Accumulate(x.AsSpan(0, 123 * Features), y.AsSpan(0, 123 * Targets), 123);
        for (var start = 123; start < Rows; start += 50)
        {
            var rows = Math.Min(50, Rows - start);
            second.Accumulate(x.AsSpan(start * Features, rows * Features), y.AsSpan(start * Targets, rows * Targets), rows);
        }

        first.Add(second);
        var actual = readout.Fit(first);

        Assert.That(actual.GetWeights(), Is.EqualTo(expected.GetWeights()).Within(1e-10));
        Assert.That(actual.GetIntercept(), Is.EqualTo(expected.GetIntercept()).Within(1e-10));
    }

    [Test]
    public void Fit_Gram_DoesNotChangeAccumulator()
    {
        var gram = new GramAccumulator(2, 1);
        gram.Accumulate([1, 0, 0, 1, 1, 1], [1, 2, 4], 3);
        var means = gram.GetFeatureMeans();

        _ = new RidgeReadout().Fit(gram);

        Assert.That(gram.Count, Is.EqualTo(3));
        Assert.That(gram.GetFeatureMeans(), Is.EqualTo(means));
    }

    [Test]
    public void Constructor_NullOptions_UsesDefaults()
    {
        var readout = new RidgeReadout();

        Assert.That(readout.Options, Is.EqualTo(new RidgeReadoutOptions()));
    }
}
