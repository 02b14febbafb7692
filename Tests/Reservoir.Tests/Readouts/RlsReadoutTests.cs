using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

[TestFixture]
public sealed partial class RlsReadoutTests
{
    /// <summary>RLS and the batch ridge solve are algebraically identical; they differ only by rounding.</summary>
    private const double EquivalenceTolerance = 1e-8;

    private const double TrackingTolerance = 1e-6;

    private const int Features = 5;
    private const int Targets = 2;

    [TestCase(1.0)]
    [TestCase(100.0)]
    [TestCase(0.01)]
    public void Update_ForgettingFactorOne_EqualsRidgeWithLambdaOneOverScale(double scale)
    {
        const int Rows = 300;
        var (x, y) = RidgeCvTests.NoisyProblem(Rows, seed: 201, features: Features, targets: Targets);
        var rls = new RlsReadout(Features, Targets, new RlsReadoutOptions { InitialCovarianceScale = scale, FitIntercept = false });

        Feed(rls, x, y);
        var ridge = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 1 / scale, FitIntercept = false }).Fit(x, y);
        var online = rls.ToSolution();

        Assert.Multiple(() =>
        {
            Assert.That(online.GetWeights(), Is.EqualTo(ridge.GetWeights()).Within(EquivalenceTolerance));
            Assert.That(online.GetIntercept(), Is.EqualTo(new double[Targets]));
            Assert.That(online.L2Regularization, Is.EqualTo(1 / scale).Within(1e-12).Percent);
            Assert.That(rls.UpdateCount, Is.EqualTo(Rows));
        });
    }

    [Test]
    public void Update_WithIntercept_EqualsRidgeOnFeaturesWithAConstantColumn()
    {
        // The intercept is the weight of an appended constant 1, regularised like the others.
        const int Rows = 200;
        var (x, y) = RidgeCvTests.NoisyProblem(Rows, seed: 203, features: Features, targets: Targets);
        var augmented = new double[Rows, Features + 1];
        for (var r = 0; r < Rows; r++)
        {
            for (var d = 0; d < Features; d++)
            {
                augmented[r, d] = x[r, d];
            }

            augmented[r, Features] = 1;
        }

        var rls = new RlsReadout(Features, Targets, new RlsReadoutOptions { InitialCovarianceScale = 2 });
        Feed(rls, x, y);
        var ridge = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 0.5, FitIntercept = false }).Fit(augmented, y);
        var online = rls.ToSolution();
        var ridgeWeights = ridge.GetWeights();

        for (var t = 0; t < Targets; t++)
        {
            for (var d = 0; d < Features; d++)
            {
                Assert.That(online.GetWeights()[t, d], Is.EqualTo(ridgeWeights[t, d]).Within(EquivalenceTolerance), $"W[{t}, {d}]");
            }

            Assert.That(online.GetIntercept()[t], Is.EqualTo(ridgeWeights[t, Features]).Within(EquivalenceTolerance), $"b[{t}]");
        }
    }

    [Test]
    public void Update_ForgettingFactorBelowOne_TracksChangedWeights()
    {
        double[] before = [1, -2, 0.5, 0, 3];
        double[] after = [-1, 0.5, 2, 1, -3];
        var forgetting = new RlsReadout(Features, 1, new RlsReadoutOptions { ForgettingFactor = 0.95, FitIntercept = false });
        var remembering = new RlsReadout(Features, 1, new RlsReadoutOptions { FitIntercept = false });

        var inputs = ReadoutTestData.Random(1000, Features, seed: 205);
        for (var r = 0; r < 1000; r++)
        {
            var row = inputs.AsSpan(r * Features, Features);
            double[] target = [Dot(r < 500 ? before : after, row)];
            forgetting.Update(row, target);
            remembering.Update(row, target);
        }

        var tracked = Row(forgetting.ToSolution().GetWeights());
        var blended = Row(remembering.ToSolution().GetWeights());
        Assert.Multiple(() =>
        {
            Assert.That(tracked, Is.EqualTo(after).Within(TrackingTolerance));
            Assert.That(MaxDifference(blended, after), Is.GreaterThan(0.1), "without forgetting the old weights linger");
        });
    }

    [Test]
    public void Update_ManyRowsWithForgetting_KeepsInverseCorrelationExactlySymmetric()
    {
        var rls = new RlsReadout(Features, 1, new RlsReadoutOptions { ForgettingFactor = 0.99 });
        var inputs = ReadoutTestData.Random(500, Features, seed: 207);
        for (var r = 0; r < 500; r++)
        {
            rls.Update(inputs.AsSpan(r * Features, Features), [r % 7]);
        }

        var p = rls.InverseCorrelation.ToArray();
        const int Width = Features + 1;
        for (var i = 0; i < Width; i++)
        {
            for (var j = 0; j < i; j++)
            {
                Assert.That(p[i * Width + j], Is.EqualTo(p[j * Width + i]), $"P[{i}, {j}]");
            }
        }
    }

    [Test]
    public void Update_AfterWarmUp_AllocatesNothing()
    {
        var rls = new RlsReadout(Features, Targets);
        double[] x = [0.1, 0.2, -0.3, 0.4, 0.5];
        double[] y = [1, -1];
        rls.Update(x, y);

        var allocated = Allocations.Fewest(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                rls.Update(x, y);
            }
        });

        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void ToSolution_PredictsLikeTheReadout()
    {
        var (x, y) = RidgeCvTests.NoisyProblem(50, seed: 209, features: Features, targets: Targets);
        var rls = new RlsReadout(Features, Targets);
        Feed(rls, x, y);
        double[] row = [0.3, -0.2, 1, 0, 0.7];
        var direct = new double[Targets];
        var snapshot = new double[Targets];

        rls.Predict(row, direct);
        rls.ToSolution().Predict(row, snapshot);

        Assert.That(snapshot, Is.EqualTo(direct).Within(1e-14));
    }

    [Test]
    public void ToSolution_WithForgetting_ReportsDecayedPenalty()
    {
        var rls = new RlsReadout(2, 1, new RlsReadoutOptions { ForgettingFactor = 0.5, InitialCovarianceScale = 4 });
        for (var i = 0; i < 3; i++)
        {
            rls.Update([i, 1], [i]);
        }

        Assert.That(rls.ToSolution().L2Regularization, Is.EqualTo(0.125 / 4).Within(1e-15));
    }

    internal static void Feed(RlsReadout rls, double[,] x, double[,] y)
    {
        var row = new double[x.GetLength(1)];
        var target = new double[y.GetLength(1)];
        for (var r = 0; r < x.GetLength(0); r++)
        {
            for (var d = 0; d < row.Length; d++)
            {
                row[d] = x[r, d];
            }

            for (var t = 0; t < target.Length; t++)
            {
                target[t] = y[r, t];
            }

            rls.Update(row, target);
        }
    }

    private static double Dot(double[] a, ReadOnlySpan<double> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static double[] Row(double[,] matrix) =>
        Enumerable.Range(0, matrix.GetLength(1)).Select(c => matrix[0, c]).ToArray();

    private static double MaxDifference(double[] a, double[] b) => a.Zip(b, (p, q) => Math.Abs(p - q)).Max();
}
