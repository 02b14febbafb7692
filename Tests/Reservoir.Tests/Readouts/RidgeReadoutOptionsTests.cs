using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

[TestFixture]
public sealed class RidgeReadoutOptionsTests
{
    /// <summary>The penalty the options document as their default (see <see cref="RidgeReadoutOptions.L2Regularization"/>).</summary>
    private const double DocumentedDefaultPenalty = 1e-6;

    private const double RelativeTolerance = 1e-10;

    // One feature with a large offset and a small spread: Σ(x − x̄)² = 5e-6, so a penalty of 1e-6 moves the centred slope by
    // about 17 % and a missing or penalised intercept moves everything; Σx² ≈ 16, so without an intercept 1e-6 moves the
    // slope by about 6e-8 relative, still far above the tolerance.
    private static readonly double[] X = [1.9985, 1.9995, 2.0005, 2.0015];
    private static readonly double[] Y = [0.1, 0.35, 0.4, 0.7];

    [Test]
    public void Fit_NullOrNewOptions_SolvesWithTheDocumentedPenaltyAndAnUnpenalisedIntercept()
    {
        var (slope, intercept) = ClosedForm(DocumentedDefaultPenalty, fitIntercept: true);

        foreach (var readout in new[] { new RidgeReadout(), new RidgeReadout(new RidgeReadoutOptions()) })
        {
            var solution = readout.Fit(Column(X), Column(Y));

            Assert.Multiple(() =>
            {
                Assert.That(solution.L2Regularization, Is.EqualTo(DocumentedDefaultPenalty));
                Assert.That(solution.GetWeights()[0, 0], Is.EqualTo(slope).Within(RelativeTolerance * Math.Abs(slope)));
                Assert.That(solution.GetIntercept()[0], Is.EqualTo(intercept).Within(RelativeTolerance * Math.Abs(intercept)));
            });
        }
    }

    [TestCase(0.0, true)]
    [TestCase(1e-5, true)]
    [TestCase(0.5, true)]
    [TestCase(1e-6, false)]
    [TestCase(0.5, false)]
    public void Fit_OptionsChangedWithWith_SolvesWithTheChangedValues(double penalty, bool fitIntercept)
    {
        var defaults = new RidgeReadoutOptions();
        var options = defaults with { L2Regularization = penalty, FitIntercept = fitIntercept };
        var (slope, intercept) = ClosedForm(penalty, fitIntercept);

        var solution = new RidgeReadout(options).Fit(Column(X), Column(Y));

        Assert.Multiple(() =>
        {
            Assert.That(solution.L2Regularization, Is.EqualTo(penalty));
            Assert.That(solution.GetWeights()[0, 0], Is.EqualTo(slope).Within(RelativeTolerance * Math.Abs(slope)));
            Assert.That(solution.GetIntercept()[0], Is.EqualTo(intercept).Within(RelativeTolerance * Math.Max(1, Math.Abs(intercept))));
            Assert.That(new RidgeReadout(defaults).Fit(Column(X), Column(Y)).L2Regularization, Is.EqualTo(DocumentedDefaultPenalty),
                "the options the copy was made from still describe the default readout");
        });
    }

    /// <summary>Ridge on one feature written out: slope = Sxy / (Sxx + λ), on centred sums when an intercept is fitted.</summary>
    private static (double Slope, double Intercept) ClosedForm(double penalty, bool fitIntercept)
    {
        var meanX = fitIntercept ? X.Average() : 0;
        var meanY = fitIntercept ? Y.Average() : 0;
        double sxx = 0, sxy = 0;
        for (var i = 0; i < X.Length; i++)
        {
            sxx += (X[i] - meanX) * (X[i] - meanX);
            sxy += (X[i] - meanX) * (Y[i] - meanY);
        }

        var slope = sxy / (sxx + penalty);
        return (slope, fitIntercept ? meanY - slope * meanX : 0);
    }

    private static double[,] Column(double[] values)
    {
        var column = new double[values.Length, 1];
        for (var i = 0; i < values.Length; i++)
        {
            column[i, 0] = values[i];
        }

        return column;
    }
}
