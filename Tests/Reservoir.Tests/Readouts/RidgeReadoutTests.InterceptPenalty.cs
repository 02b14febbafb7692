using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

/// <summary>RegularizeIntercept: λ on the intercept too, as in (X'ᵀX' + λI) [b, W]ᵀ = X'ᵀY with x' = [1, x].</summary>
public sealed partial class RidgeReadoutTests
{
    /// <summary>The penalised fit agrees with a dense solve of the augmented (D + 1)-system to this, relative to its largest value.</summary>
    private const double AugmentedSolveTolerance = 1e-10;

    /// <summary>With λ = 1e-9 the penalised fit is within this (relative) of the unpenalised one on well-conditioned data.</summary>
    private const double SmallLambdaTolerance = 1e-6;

    [Test]
    public void Fit_RegularizeIntercept_MatchesDenseAugmentedSolve(
        [Values(1, 7, 13)] int features,
        [Values(1, 3)] int targets,
        [Values(1e-3, 0.5, 40.0)] double lambda,
        [Values(false, true)] bool consume,
        [Values(false, true)] bool useNative)
    {
        var native = useNative ? NativeOrIgnore() : null;
        var rows = 3 * features + 29;
        var x = ReadoutTestData.Random(rows, features, seed: 5 * features + rows, offset: 1.7);
        var y = ReadoutTestData.Random(rows, targets, seed: targets + 23, offset: -2.5);
        var gram = new GramAccumulator(features, targets, native);
        var first = rows / 3;
        gram.Accumulate(x.AsSpan(0, first * features), y.AsSpan(0, first * targets), first);
        gram.Accumulate(x.AsSpan(first * features), y.AsSpan(first * targets), rows - first);
        var readout = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = lambda, RegularizeIntercept = true });

        var solution = consume ? readout.FitAndConsume(gram) : readout.Fit(gram);

        var expected = AugmentedRidge(x, y, rows, features, targets, lambda);
        var actual = new double[(features + 1) * targets];
        var weights = solution.GetWeights();
        var intercept = solution.GetIntercept();
        for (var t = 0; t < targets; t++)
        {
            actual[t] = intercept[t];
            for (var i = 0; i < features; i++)
            {
                actual[(i + 1) * targets + t] = weights[t, i];
            }
        }

        var scale = ReadoutTestData.MaxAbs(expected);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.That(Math.Abs(actual[i] - expected[i]), Is.LessThanOrEqualTo(AugmentedSolveTolerance * scale),
                $"coefficient {i} (row {i / targets} of [b; W], target {i % targets})");
        }

        Assert.That(solution.RegularizeIntercept, Is.True);
        Assert.That(solution.L2Regularization, Is.EqualTo(lambda));
    }

    [Test]
    public void Fit_RegularizeInterceptLargeMean_InterceptDiffersFromCentredFit()
    {
        // The centred fit is shift-invariant; the penalised one pulls b toward 0, so the two differ when the targets have a mean.
        const int rows = 60;
        var x = ReadoutTestData.ToMatrix(ReadoutTestData.Random(rows, 4, seed: 31, offset: 0.5), rows, 4);
        var y = ReadoutTestData.ToMatrix(ReadoutTestData.Random(rows, 1, seed: 32, offset: 10), rows, 1);
        var centred = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 5 }).Fit(x, y);
        var penalised = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 5, RegularizeIntercept = true }).Fit(x, y);

        Assert.That(Math.Abs(penalised.GetIntercept()[0] - centred.GetIntercept()[0]), Is.GreaterThan(1e-3));
        Assert.That(centred.RegularizeIntercept, Is.False);
    }

    [Test]
    public void Fit_RegularizeInterceptLambdaZero_BitIdenticalToUnpenalisedFit()
    {
        var x = ReadoutTestData.ToMatrix(ReadoutTestData.Random(50, 6, seed: 41, offset: 2), 50, 6);
        var y = ReadoutTestData.ToMatrix(ReadoutTestData.Random(50, 2, seed: 42, offset: -1), 50, 2);

        var plain = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 0 }).Fit(x, y);
        var penalised = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 0, RegularizeIntercept = true }).Fit(x, y);

        Assert.That(Bits(penalised.GetWeights()), Is.EqualTo(Bits(plain.GetWeights())));
        Assert.That(Bits(penalised.GetIntercept()), Is.EqualTo(Bits(plain.GetIntercept())));
    }

    [Test]
    public void Fit_RegularizeInterceptLambdaTowardZero_ApproachesUnpenalisedFit()
    {
        var x = ReadoutTestData.ToMatrix(ReadoutTestData.Random(80, 5, seed: 51, offset: 1), 80, 5);
        var y = ReadoutTestData.ToMatrix(ReadoutTestData.Random(80, 2, seed: 52, offset: 3), 80, 2);
        var plain = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 1e-9 }).Fit(x, y);
        var penalised = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 1e-9, RegularizeIntercept = true }).Fit(x, y);

        var expected = plain.GetWeights().Cast<double>().Concat(plain.GetIntercept()).ToArray();
        var actual = penalised.GetWeights().Cast<double>().Concat(penalised.GetIntercept()).ToArray();
        var scale = ReadoutTestData.MaxAbs(expected);
        Assert.That(actual, Is.EqualTo(expected).Within(SmallLambdaTolerance * scale));
    }

    [Test]
    public void Constructor_RegularizeInterceptWithoutFitIntercept_ThrowsNamingTheOption()
    {
        var options = new RidgeReadoutOptions { FitIntercept = false, RegularizeIntercept = true };

        var e = Assert.Throws<ArgumentException>(() => _ = new RidgeReadout(options));

        Assert.That(e!.ParamName, Is.EqualTo("RegularizeIntercept"));
        Assert.That(e.Message, Does.Contain("RegularizeIntercept is true but FitIntercept is false"));
    }

    [Test]
    public void Options_Default_DoesNotRegularizeIntercept()
    {
        Assert.That(new RidgeReadoutOptions().RegularizeIntercept, Is.False);
        Assert.That(ReadoutDefaults.RegularizeIntercept, Is.False);
    }

    /// <summary>Solves (X'ᵀX' + λI) B = X'ᵀY, x' = [1, x], by Gaussian elimination with partial pivoting; B is (D + 1) × K row-major, row 0 the intercept.</summary>
    private static double[] AugmentedRidge(double[] x, double[] y, int rows, int features, int targets, double lambda)
    {
        var size = features + 1;
        var a = new double[size, size];
        var b = new double[size, targets];
        for (var r = 0; r < rows; r++)
        {
            for (var i = 0; i < size; i++)
            {
                var xi = i == 0 ? 1.0 : x[r * features + i - 1];
                for (var j = 0; j < size; j++)
                {
                    a[i, j] += xi * (j == 0 ? 1.0 : x[r * features + j - 1]);
                }

                for (var t = 0; t < targets; t++)
                {
                    b[i, t] += xi * y[r * targets + t];
                }
            }
        }

        for (var i = 0; i < size; i++)
        {
            a[i, i] += lambda;
        }

        for (var c = 0; c < size; c++)
        {
            var pivot = c;
            for (var r = c + 1; r < size; r++)
            {
                if (Math.Abs(a[r, c]) > Math.Abs(a[pivot, c]))
                {
                    pivot = r;
                }
            }

            for (var j = 0; j < size; j++)
            {
                (a[c, j], a[pivot, j]) = (a[pivot, j], a[c, j]);
            }

            for (var t = 0; t < targets; t++)
            {
                (b[c, t], b[pivot, t]) = (b[pivot, t], b[c, t]);
            }

            for (var r = c + 1; r < size; r++)
            {
                var factor = a[r, c] / a[c, c];
                for (var j = c; j < size; j++)
                {
                    a[r, j] -= factor * a[c, j];
                }

                for (var t = 0; t < targets; t++)
                {
                    b[r, t] -= factor * b[c, t];
                }
            }
        }

        var result = new double[size * targets];
        for (var i = size - 1; i >= 0; i--)
        {
            for (var t = 0; t < targets; t++)
            {
                var sum = b[i, t];
                for (var j = i + 1; j < size; j++)
                {
                    sum -= a[i, j] * result[j * targets + t];
                }

                result[i * targets + t] = sum / a[i, i];
            }
        }

        return result;
    }
}
