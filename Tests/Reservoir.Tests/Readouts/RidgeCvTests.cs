using System.Collections.Immutable;
using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra;
using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

[TestFixture]
public sealed partial class RidgeCvTests
{
    /// <summary>The curve from streamed statistics must match the one from raw rows to this relative error.</summary>
    private const double CurveRelativeTolerance = 1e-8;

    private const double SolutionTolerance = 1e-10;

    private const int Features = 8;
    private const int Targets = 2;
    private const int RowsPerFold = 25;
    private const int FoldCount = 4;

    private static readonly ImmutableArray<double> TestGrid = [.. LogGrid(-3, 4, 4)];

    [TestCase(true)]
    [TestCase(false)]
    public void Fit_TimeBlockedKFold_CurveMatchesBruteForceOnRawRows(bool fitIntercept)
    {
        var (x, y) = NoisyProblem(FoldCount * RowsPerFold, seed: 101);
        var folds = Folds(x, y, FoldCount);

        var result = new RidgeCv(new RidgeCvOptions { L2Grid = TestGrid, FitIntercept = fitIntercept }).Fit(folds);

        Assert.That(result.Curve, Has.Count.EqualTo(TestGrid.Length));
        for (var g = 0; g < TestGrid.Length; g++)
        {
            var expected = BruteForceHeldOutMse(x, y, FoldCount, TestGrid[g], fitIntercept);
            Assert.That(result.Curve[g].L2Regularization, Is.EqualTo(TestGrid[g]));
            Assert.That(result.Curve[g].ValidationError, Is.EqualTo(expected).Within(CurveRelativeTolerance * expected), $"λ = {TestGrid[g]}");
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Fit_TimeBlockedKFold_ChoosesBruteForceArgminInsideTheGrid(bool fitIntercept)
    {
        var (x, y) = NoisyProblem(FoldCount * RowsPerFold, seed: 101);
        var bruteForce = TestGrid.Select(l => BruteForceHeldOutMse(x, y, FoldCount, l, fitIntercept)).ToArray();
        var argmin = Array.IndexOf(bruteForce, bruteForce.Min());

        var result = new RidgeCv(new RidgeCvOptions { L2Grid = TestGrid, FitIntercept = fitIntercept }).Fit(Folds(x, y, FoldCount));

        Assert.Multiple(() =>
        {
            // The problem is built so that the curve has an interior minimum: neither no nor maximal shrinkage is best.
            Assert.That(argmin, Is.GreaterThan(0).And.LessThan(TestGrid.Length - 1), "interior minimum");
            Assert.That(result.BestL2Regularization, Is.EqualTo(TestGrid[argmin]));
            Assert.That(result.Method, Is.EqualTo(RidgeCvMethod.TimeBlockedKFold));
        });
    }

    [TestCase(RidgeCvMethod.TimeBlockedKFold, true)]
    [TestCase(RidgeCvMethod.GeneralizedCrossValidation, false)]
    public void Fit_AnyMethod_SolutionIsRidgeOnAllRowsWithBestLambda(RidgeCvMethod method, bool fitIntercept)
    {
        var (x, y) = NoisyProblem(FoldCount * RowsPerFold, seed: 103);

        var result = new RidgeCv(new RidgeCvOptions { L2Grid = TestGrid, Method = method, FitIntercept = fitIntercept })
            .Fit(Folds(x, y, FoldCount));
        var expected = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = result.BestL2Regularization, FitIntercept = fitIntercept })
            .Fit(x, y);

        Assert.Multiple(() =>
        {
            Assert.That(result.Solution.L2Regularization, Is.EqualTo(result.BestL2Regularization));
            Assert.That(result.Solution.GetWeights(), Is.EqualTo(expected.GetWeights()).Within(SolutionTolerance));
            Assert.That(result.Solution.GetIntercept(), Is.EqualTo(expected.GetIntercept()).Within(SolutionTolerance));
        });
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Fit_GeneralizedCrossValidation_MatchesHatMatrixOnRawRows(bool fitIntercept)
    {
        const int Rows = 14;
        var (x, y) = NoisyProblem(Rows, seed: 107, features: 3);
        ImmutableArray<double> grid = [1e-6, 0.01, 0.3, 1, 5, 40];

        // Split unevenly: GCV must see only the merged statistics.
        var result = new RidgeCv(new RidgeCvOptions { L2Grid = grid, Method = RidgeCvMethod.GeneralizedCrossValidation, FitIntercept = fitIntercept })
            .Fit(new[] { Accumulate(x, y, 0, 5), Accumulate(x, y, 5, Rows) });

        for (var g = 0; g < grid.Length; g++)
        {
            var expected = HatMatrixGcv(x, y, grid[g], fitIntercept);
            Assert.That(result.Curve[g].ValidationError, Is.EqualTo(expected).Within(CurveRelativeTolerance * expected), $"λ = {grid[g]}");
        }

        var best = grid.Select(l => HatMatrixGcv(x, y, l, fitIntercept)).ToArray();
        Assert.That(result.BestL2Regularization, Is.EqualTo(grid[Array.IndexOf(best, best.Min())]));
    }

    [Test]
    public void Fit_GeneralizedCrossValidationDegreesOfFreedomReachRows_ScoreIsInfinite()
    {
        // Three rows, two features plus intercept: at λ = 0 the fit interpolates and df = n.
        var x = new double[,] { { 1, 0 }, { 0, 1 }, { 1, 1 } };
        var y = new double[,] { { 1 }, { 2 }, { 4 } };
        var options = new RidgeCvOptions { L2Grid = [0, 1], Method = RidgeCvMethod.GeneralizedCrossValidation };

        var result = new RidgeCv(options).Fit(new[] { Accumulate(x, y, 0, 3) });

        Assert.Multiple(() =>
        {
            Assert.That(result.Curve[0].ValidationError, Is.EqualTo(double.PositiveInfinity));
            Assert.That(result.BestL2Regularization, Is.EqualTo(1));
        });
    }

    [TestCase(RidgeCvMethod.TimeBlockedKFold)]
    [TestCase(RidgeCvMethod.GeneralizedCrossValidation)]
    public void Fit_EqualErrorsEverywhere_PicksLargestLambda(RidgeCvMethod method)
    {
        // A constant target with an intercept: W = 0 and the error is 0 for every λ.
        var (x, _) = NoisyProblem(40, seed: 109);
        var y = new double[40, Targets];
        for (var r = 0; r < 40; r++)
        {
            y[r, 0] = 3;
            y[r, 1] = -1;
        }

        var result = new RidgeCv(new RidgeCvOptions { L2Grid = [0.1, 10, 1], Method = method }).Fit(Folds(x, y, 2));

        Assert.That(result.BestL2Regularization, Is.EqualTo(10));
    }

    [Test]
    public void Fit_UnsortedGrid_CurveIsAscending()
    {
        var (x, y) = NoisyProblem(60, seed: 111);

        var result = new RidgeCv(new RidgeCvOptions { L2Grid = [10, 0.1, 1] }).Fit(Folds(x, y, 3));

        Assert.That(result.Curve.Select(p => p.L2Regularization), Is.EqualTo(new[] { 0.1, 1, 10 }));
    }

    [Test]
    public void Fit_EmptyFoldAmongOthers_IsSkipped()
    {
        var (x, y) = NoisyProblem(60, seed: 113);
        var folds = Folds(x, y, 3);
        var withEmpty = new List<GramAccumulator>(folds) { new(Features, Targets) };
        var cv = new RidgeCv(new RidgeCvOptions { L2Grid = TestGrid });

        var expected = cv.Fit(folds);
        var actual = cv.Fit(withEmpty);

        Assert.That(actual.Curve.Select(p => p.ValidationError), Is.EqualTo(expected.Curve.Select(p => p.ValidationError)));
    }

    [Test]
    public void Fit_Folds_AreNotChanged()
    {
        var (x, y) = NoisyProblem(60, seed: 115);
        var folds = Folds(x, y, 3);
        var counts = folds.Select(f => f.Count).ToArray();
        var means = folds.Select(f => f.GetFeatureMeans()).ToArray();

        _ = new RidgeCv().Fit(folds);

        Assert.Multiple(() =>
        {
            Assert.That(folds.Select(f => f.Count), Is.EqualTo(counts));
            Assert.That(folds.Select(f => f.GetFeatureMeans()), Is.EqualTo(means));
        });
    }

    [Test]
    public void DefaultL2Grid_HalfDecadesFromMinus12To2_Has29Values()
    {
        var grid = RidgeCv.DefaultL2Grid;

        Assert.Multiple(() =>
        {
            Assert.That(grid, Has.Length.EqualTo(29));
            Assert.That(grid[0], Is.EqualTo(1e-12).Within(1e-12).Percent);
            Assert.That(grid[^1], Is.EqualTo(1e2).Within(1e-12).Percent);
            for (var i = 1; i < grid.Length; i++)
            {
                Assert.That(grid[i] / grid[i - 1], Is.EqualTo(Math.Sqrt(10)).Within(1e-12).Percent, $"step {i}");
            }
        });
    }

    [Test]
    public void Constructor_NullOptions_UsesDefaults()
    {
        var cv = new RidgeCv();

        Assert.Multiple(() =>
        {
            Assert.That(cv.Options.L2Grid, Is.EqualTo(RidgeCv.DefaultL2Grid));
            Assert.That(cv.Options.Method, Is.EqualTo(RidgeCvMethod.TimeBlockedKFold));
            Assert.That(cv.Options.FitIntercept, Is.True);
        });
    }

    [Test]
    public void Constructor_GridChangedAfterwards_KeepsItsCopy()
    {
        // The array stays the caller's: the options wrap it without a copy.
        var grid = new[] { 1.0, 2.0 };
        var cv = new RidgeCv(new RidgeCvOptions { L2Grid = ImmutableCollectionsMarshal.AsImmutableArray(grid) });

        grid[0] = 100;

        Assert.That(cv.Options.L2Grid, Is.EqualTo(new[] { 1.0, 2.0 }));
    }

    /// <summary>y = X·w + noise with the noise as large as the signal, so that shrinkage helps but not without limit.</summary>
    internal static (double[,] X, double[,] Y) NoisyProblem(int rows, int seed, int features = Features, int targets = Targets)
    {
        var raw = ReadoutTestData.Random(rows, features, seed, offset: 0.3);
        var noise = ReadoutTestData.Random(rows, targets, seed + 1, scale: 1.2);
        var weights = ReadoutTestData.Random(targets, features, seed + 2, scale: 0.8);
        var x = new double[rows, features];
        var y = new double[rows, targets];
        for (var r = 0; r < rows; r++)
        {
            for (var d = 0; d < features; d++)
            {
                // Correlated columns, so that ridge shrinkage has something to do.
                x[r, d] = raw[r * features + d] + 0.5 * raw[r * features + (d + 1) % features];
            }

            for (var t = 0; t < targets; t++)
            {
                var sum = 0.5 * t + noise[r * targets + t];
                for (var d = 0; d < features; d++)
                {
                    sum += weights[t * features + d] * x[r, d];
                }

                y[r, t] = sum;
            }
        }

        return (x, y);
    }

    [Test]
    public void Fit_ChosenLambdaTooSmallForCholesky_SolvesThroughTheEigendecomposition()
    {
        // Two identical features: the Cholesky pivots of XᵀX + λI at λ = 1e-14 are rounding noise, but the
        // eigendecomposition that scored λ gives the minimum-norm-like solution w = (1, 1).
        const int rows = 60;
        var x = new double[rows, 2];
        var y = new double[rows, 1];
        for (var r = 0; r < rows; r++)
        {
            x[r, 0] = x[r, 1] = Math.Sin(0.37 * r);
            y[r, 0] = 2 * x[r, 0] + 1;
        }

        var options = new RidgeCvOptions { L2Grid = [1e-14] };
        Assert.Throws<ArgumentException>(() => new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 1e-14 }).Fit(x, y));

        var result = new RidgeCv(options).Fit(new[] { Accumulate(x, y, 0, 30), Accumulate(x, y, 30, rows) });

        Assert.That(result.BestL2Regularization, Is.EqualTo(1e-14));
        Assert.That(result.Solution.GetWeights()[0, 0], Is.EqualTo(1.0).Within(1e-6));
        Assert.That(result.Solution.GetWeights()[0, 1], Is.EqualTo(1.0).Within(1e-6));
        Assert.That(result.Solution.GetIntercept()[0], Is.EqualTo(1.0).Within(1e-6));
    }

    internal static GramAccumulator Accumulate(double[,] x, double[,] y, int from, int to)
    {
        var gram = new GramAccumulator(x.GetLength(1), y.GetLength(1));
        var (features, targets) = (Rows(x, from, to), Rows(y, from, to));
        gram.Accumulate(features, targets, to - from);
        return gram;
    }

    /// <summary>Contiguous, equal blocks of rows.</summary>
    internal static GramAccumulator[] Folds(double[,] x, double[,] y, int count)
    {
        var size = x.GetLength(0) / count;
        return Enumerable.Range(0, count).Select(i => Accumulate(x, y, i * size, (i + 1) * size)).ToArray();
    }

    private static double[] LogGrid(int fromDecade, int toDecade, int perDecade) =>
        Enumerable.Range(0, (toDecade - fromDecade) * perDecade + 1)
            .Select(i => Math.Pow(10, fromDecade + (double)i / perDecade)).ToArray();

    private static double[] Rows(double[,] matrix, int from, int to)
    {
        var columns = matrix.GetLength(1);
        var values = new double[(to - from) * columns];
        for (var r = from; r < to; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                values[(r - from) * columns + c] = matrix[r, c];
            }
        }

        return values;
    }

    private static double[,] SelectRows(double[,] matrix, int[] rows)
    {
        var result = new double[rows.Length, matrix.GetLength(1)];
        for (var i = 0; i < rows.Length; i++)
        {
            for (var c = 0; c < matrix.GetLength(1); c++)
            {
                result[i, c] = matrix[rows[i], c];
            }
        }

        return result;
    }

    /// <summary>Fits RidgeReadout on the raw rows of the other blocks, predicts each held-out row, pools the squared errors.</summary>
    private static double BruteForceHeldOutMse(double[,] x, double[,] y, int foldCount, double lambda, bool fitIntercept)
    {
        var rows = x.GetLength(0);
        var size = rows / foldCount;
        var readout = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = lambda, FitIntercept = fitIntercept });
        var sum = 0.0;
        for (var v = 0; v < foldCount; v++)
        {
            var heldOut = Enumerable.Range(v * size, size).ToArray();
            var training = Enumerable.Range(0, rows).Where(r => r < v * size || r >= (v + 1) * size).ToArray();
            var solution = readout.Fit(SelectRows(x, training), SelectRows(y, training));
            var prediction = solution.Predict(SelectRows(x, heldOut));
            for (var i = 0; i < heldOut.Length; i++)
            {
                for (var t = 0; t < y.GetLength(1); t++)
                {
                    var error = y[heldOut[i], t] - prediction[i, t];
                    sum += error * error;
                }
            }
        }

        return sum / (size * foldCount * y.GetLength(1));
    }

    /// <summary>n·RSS/(n − tr H)² with H = Z(ZᵀZ + P)⁻¹Zᵀ built densely; Z = [1, X] and P = diag(0, λ, …) with an intercept.</summary>
    private static double HatMatrixGcv(double[,] x, double[,] y, double lambda, bool fitIntercept)
    {
        var rows = x.GetLength(0);
        var offset = fitIntercept ? 1 : 0;
        var z = Matrix<double>.Build.Dense(rows, x.GetLength(1) + offset, (r, c) => c < offset ? 1 : x[r, c - offset]);
        var penalty = Matrix<double>.Build.DenseDiagonal(z.ColumnCount, z.ColumnCount, i => i < offset ? 0 : lambda);
        var hat = z * (z.TransposeThisAndMultiply(z) + penalty).Inverse() * z.Transpose();
        var residual = (Matrix<double>.Build.DenseIdentity(rows) - hat) * Matrix<double>.Build.DenseOfArray(y);
        var rss = residual.Enumerate().Sum(v => v * v) / y.GetLength(1);
        var remaining = rows - hat.Trace();
        return rows * rss / (remaining * remaining);
    }
}
