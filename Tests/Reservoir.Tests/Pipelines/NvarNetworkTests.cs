using NUnit.Framework;
using Reservoir.Datasets;
using Reservoir.Nvar;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Tests.Pipelines;

/// <summary>Fit and prediction of <see cref="NvarNetwork"/>, the NVAR features with a ridge readout.</summary>
[TestFixture]
public sealed class NvarNetworkTests
{
    /// <summary>
    /// Bound on the column-averaged one-step-ahead test NRMSE on Lorenz-63 (dt = 0.025, k = 2, s = 1, quadratic, λ = 2.5e-6 as in
    /// Gauthier et al. 2021; 2000 training steps, 1000 test steps, seed 42). Measured 9.1e-5; the bound leaves a factor of about 3.
    /// </summary>
    private const double LorenzOneStepNrmseBound = 3e-4;

    private const double Tolerance = 1e-10;

    private static readonly NvarNetworkOptions LorenzOptions = new()
    {
        Features = new NvarOptions { InputDimension = 3, DelayCount = 2, DelayStride = 1, PolynomialOrder = 2 },
        Readout = new RidgeReadoutOptions { L2Regularization = 2.5e-6 },
    };

    [Test]
    public void Fit_LorenzOneStepAhead_NrmseBelowBound()
    {
        var series = Lorenz63.Generate(3001, seed: 42, timeStep: 0.025);
        var (trainInputs, trainTargets) = Shifted(series, 0, 2000);
        var (testInputs, testTargets) = Shifted(series, 2000, 1000);

        var network = NvarNetwork.Fit(LorenzOptions, trainInputs, trainTargets);
        var prediction = network.Predict(testInputs);

        var truth = Rows(testTargets, network.WarmupSteps, 1000 - network.WarmupSteps);
        var nrmse = Metrics.Nrmse(truth, prediction);
        Assert.Multiple(() =>
        {
            Assert.That(network.Features.FeatureCount, Is.EqualTo(27));
            Assert.That(prediction.GetLength(0), Is.EqualTo(999));
            Assert.That(nrmse, Is.LessThan(LorenzOneStepNrmseBound));
        });
    }

    [Test]
    public void Fit_ExactQuadraticTarget_Recovered()
    {
        // y(t) = 2·u(t) − u(t−1)·u(t) + 0.5 is inside the span of the features, so a tiny λ recovers it.
        var inputs = NvarFeaturesTestsRamp(200);
        var targets = new double[200, 1];
        for (var t = 1; t < 200; t++)
        {
            targets[t, 0] = 2 * inputs[t, 0] - inputs[t - 1, 0] * inputs[t, 0] + 0.5;
        }

        targets[0, 0] = double.MaxValue / 2; // a warm-up row: never used
        var options = new NvarNetworkOptions
        {
            Features = new NvarOptions { InputDimension = 1, DelayCount = 2 },
            Readout = new RidgeReadoutOptions { L2Regularization = 1e-12 },
        };

        var network = NvarNetwork.Fit(options, inputs, targets);

        var prediction = network.Predict(inputs);
        Assert.Multiple(() =>
        {
            for (var r = 0; r < prediction.GetLength(0); r++)
            {
                Assert.That(prediction[r, 0], Is.EqualTo(targets[r + 1, 0]).Within(1e-6), $"row {r}");
            }
        });
    }

    [Test]
    public void Fit_TwoSequences_EqualsFitOnTheirFeatureRows()
    {
        var series = Lorenz63.Generate(401, seed: 3, timeStep: 0.025);
        var (a, aTargets) = Shifted(series, 0, 150);
        var (b, bTargets) = Shifted(series, 200, 200);

        var network = NvarNetwork.Fit(LorenzOptions, [a, b], [aTargets, bTargets]);

        var features = new NvarFeatures(LorenzOptions.Features);
        var gram = new GramAccumulator(features.FeatureCount, 3);
        foreach (var (inputs, targets) in new[] { (a, aTargets), (b, bTargets) })
        {
            var rows = features.Run(inputs);
            var kept = Rows(targets, 1, rows.GetLength(0));
            gram.Accumulate(Flatten(rows), Flatten(kept), rows.GetLength(0));
        }

        var expected = new RidgeReadout(LorenzOptions.Readout).Fit(gram);
        Assert.That(network.Readout.GetWeights(), Is.EqualTo(expected.GetWeights()).AsCollection.Within(Tolerance));
    }

    [Test]
    public void Fit_TargetLengthDiffers_ThrowsNamingSequence()
    {
        var exception = Assert.Throws<ArgumentException>(() =>
            NvarNetwork.Fit(LorenzOptions, [new double[10, 3], new double[10, 3]], [new double[10, 1], new double[9, 1]]));

        Assert.That(exception!.ParamName, Is.EqualTo("targets[1]"));
    }

    [Test]
    public void Fit_InputTooShort_ThrowsNamingSequence()
    {
        var exception = Assert.Throws<ArgumentException>(() =>
            NvarNetwork.Fit(LorenzOptions, [new double[10, 3], new double[1, 3]], [new double[10, 1], new double[1, 1]]));

        Assert.That(exception!.ParamName, Is.EqualTo("inputs[1]"));
    }

    [Test]
    public void Fit_SequenceCountsDiffer_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() =>
            NvarNetwork.Fit(LorenzOptions, [new double[10, 3]], [new double[10, 1], new double[10, 1]]));

        Assert.That(exception!.ParamName, Is.EqualTo("targets"));
    }

    [Test]
    public void Fit_BadFeatureOption_ThrowsNamingOption()
    {
        var options = LorenzOptions with { Features = LorenzOptions.Features with { DelayStride = 0 } };

        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => NvarNetwork.Fit(options, new double[10, 3], new double[10, 3]));

        Assert.That(exception!.ParamName, Is.EqualTo("DelayStride"));
    }

    [Test]
    public void Fit_NonFiniteTargetAfterWarmup_ThrowsNamingSequence()
    {
        var targets = new double[10, 1];
        targets[5, 0] = double.NaN;

        var exception = Assert.Throws<ArgumentException>(() => NvarNetwork.Fit(LorenzOptions, new double[10, 3], targets));

        Assert.That(exception!.ParamName, Is.EqualTo("targets[0]"));
    }

    /// <summary>Inputs rows start … start + count − 1 and targets the rows one step later.</summary>
    private static (double[,] Inputs, double[,] Targets) Shifted(double[,] series, int start, int count) =>
        (Rows(series, start, count), Rows(series, start + 1, count));

    private static double[,] Rows(double[,] values, int start, int count)
    {
        var result = new double[count, values.GetLength(1)];
        for (var t = 0; t < count; t++)
        {
            for (var c = 0; c < values.GetLength(1); c++)
            {
                result[t, c] = values[start + t, c];
            }
        }

        return result;
    }

    private static double[] Flatten(double[,] values) => values.Cast<double>().ToArray();

    private static double[,] NvarFeaturesTestsRamp(int steps)
    {
        var result = new double[steps, 1];
        for (var t = 0; t < steps; t++)
        {
            result[t, 0] = Math.Sin(0.37 * t) + 0.3 * Math.Cos(1.1 * t);
        }

        return result;
    }
}
