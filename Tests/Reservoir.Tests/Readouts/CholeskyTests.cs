using MathNet.Numerics.LinearAlgebra;
using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

[TestFixture]
public sealed class CholeskyTests
{
    private const double Tolerance = 1e-10;

    private static double[] RandomSpd(int d, int seed)
    {
        var random = new Random(seed);
        var g = Matrix<double>.Build.Dense(d + 5, d, (_, _) => 2 * random.NextDouble() - 1);
        var a = g.TransposeThisAndMultiply(g) + Matrix<double>.Build.DenseIdentity(d) * 0.1;
        return a.ToRowMajorArray();
    }

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(63)]
    [TestCase(64)]
    [TestCase(65)]
    [TestCase(200)]
    [TestCase(333)]
    public void FactorAndSolve_RandomSpd_MatchesMathNet(int d)
    {
        var a = RandomSpd(d, d);
        var reference = Matrix<double>.Build.Dense(d, d, (i, j) => a[i * d + j]);
        var random = new Random(1);
        const int k = 3;
        var b = Enumerable.Range(0, d * k).Select(_ => random.NextDouble()).ToArray();
        var expected = reference.Cholesky().Solve(Matrix<double>.Build.Dense(d, k, (i, j) => b[i * k + j]));

        var factor = (double[])a.Clone();
        Assert.That(Cholesky.Factor(factor, d), Is.EqualTo(-1));
        Cholesky.Solve(factor, d, b, k);

        var lower = reference.Cholesky().Factor;
        for (var i = 0; i < d; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                Assert.That(factor[i * d + j], Is.EqualTo(lower[i, j]).Within(Tolerance * (1 + Math.Abs(lower[i, j]))), $"L[{i},{j}]");
            }

            for (var c = 0; c < k; c++)
            {
                Assert.That(b[i * k + c], Is.EqualTo(expected[i, c]).Within(Tolerance * (1 + Math.Abs(expected[i, c]))));
            }
        }
    }

    [Test]
    public void Factor_SingularMatrix_ReportsThePivot()
    {
        // Rows 0 and 1 are equal: the second pivot is zero.
        double[] a = [1, 1, 0, 1, 1, 0, 0, 0, 1];

        Assert.That(Cholesky.Factor(a, 3), Is.EqualTo(1));
    }

    [Test]
    public void Factor_NaN_ReportsThePivot()
    {
        double[] a = [double.NaN];

        Assert.That(Cholesky.Factor(a, 1), Is.EqualTo(0));
    }
}
