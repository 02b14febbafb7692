using NUnit.Framework;

namespace Reservoir.Tests;

[TestFixture]
public sealed partial class EchoStateReservoirTests
{
    private static ReservoirOptions Small(int seed = 7) => new()
    {
        UnitCount = 60,
        Seed = seed,
        InputDimension = 2,
        SpectralRadius = 0.9,
        RecurrentConnectivity = 0.2,
        InputConnectivity = 0.5,
        LeakRates = 0.5,
    };

    [Test]
    public void Constructor_SameSeed_IdenticalWeightsAndStates()
    {
        var a = new EchoStateReservoir(Small());
        var b = new EchoStateReservoir(Small());
        var inputs = TestData.Uniform(50, 2, 1);

        Assert.That(b.RecurrentWeights.ToDense(), Is.EqualTo(a.RecurrentWeights.ToDense()));
        Assert.That(b.GetInputWeights(), Is.EqualTo(a.GetInputWeights()));
        Assert.That(b.Bias.ToArray(), Is.EqualTo(a.Bias.ToArray()));
        Assert.That(b.Run(inputs), Is.EqualTo(a.Run(inputs)));
    }

    [Test]
    public void Constructor_DifferentSeed_DifferentWeights()
    {
        var a = new EchoStateReservoir(Small(1));
        var b = new EchoStateReservoir(Small(2));

        Assert.That(b.RecurrentWeights.ToDense(), Is.Not.EqualTo(a.RecurrentWeights.ToDense()));
        Assert.That(b.GetInputWeights(), Is.Not.EqualTo(a.GetInputWeights()));
    }

    [Test]
    public void Constructor_InputScalingChanged_RecurrentWeightsUnchanged()
    {
        var a = new EchoStateReservoir(Small());
        var b = new EchoStateReservoir(Small() with { InputScaling = 0.1, BiasScaling = 0.3 });

        Assert.That(b.RecurrentWeights.ToDense(), Is.EqualTo(a.RecurrentWeights.ToDense()));
        var winA = a.GetInputWeights();
        var winB = b.GetInputWeights();
        for (var i = 0; i < a.UnitCount; i++)
        {
            Assert.That(winB[i, 0], Is.EqualTo(0.1 * winA[i, 0]).Within(1e-15));
        }
    }

    [Test]
    public void Constructor_SubStreamsIndependent_ChangingOneMatrixLeavesOthers()
    {
        var baseline = new EchoStateReservoir(Small());
        var otherRadius = new EchoStateReservoir(Small() with { SpectralRadius = 0.5 });
        var withSkip = new EchoStateReservoir(Small() with { SkipConnections = [new SkipConnection { Delay = 3 }] });
        var withFeedback = new EchoStateReservoir(Small() with { FeedbackDimension = 1 });
        var otherLeak = new EchoStateReservoir(Small() with { LeakRates = LeakRateDistribution.Uniform(0.1, 0.9) });

        Assert.That(otherRadius.GetInputWeights(), Is.EqualTo(baseline.GetInputWeights()));
        Assert.That(otherRadius.Bias.ToArray(), Is.EqualTo(baseline.Bias.ToArray()));
        Assert.That(withSkip.RecurrentWeights.ToDense(), Is.EqualTo(baseline.RecurrentWeights.ToDense()));
        Assert.That(withFeedback.GetInputWeights(), Is.EqualTo(baseline.GetInputWeights()));
        Assert.That(otherLeak.RecurrentWeights.ToDense(), Is.EqualTo(baseline.RecurrentWeights.ToDense()));
    }

    [TestCase(1.25, 7)]
    [TestCase(0.5, 8)]
    public void Constructor_SpectralRadius_DenseEigendecompositionOfTheWeightsMatchesTarget(double target, int seed)
    {
        var reservoir = new EchoStateReservoir(Small(seed) with { SpectralRadius = target });

        // Measured independently of the Krylov–Schur routine that rescaled the weights: all eigenvalues of the dense W.
        var eigenvalues = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(reservoir.RecurrentWeights.ToDense()).Evd().EigenValues;

        Assert.That(eigenvalues.Max(c => c.Magnitude), Is.EqualTo(target).Within(1e-9 * target));
    }

    [Test]
    public void Constructor_RecurrentInDegree_EveryRowHasExactlyThatMany()
    {
        var reservoir = new EchoStateReservoir(Small() with { RecurrentInDegree = 5 });
        var perRow = new int[reservoir.UnitCount];
        foreach (var (row, _, _) in reservoir.RecurrentWeights.NonZeros())
        {
            perRow[row]++;
        }

        Assert.That(perRow, Is.All.EqualTo(5));
    }

    [Test]
    public void Constructor_RecurrentConnectivity_DensityNearTarget()
    {
        var reservoir = new EchoStateReservoir(new ReservoirOptions { UnitCount = 400, Seed = 3, RecurrentConnectivity = 0.05 });
        var density = reservoir.RecurrentWeights.NonZeroCount / (400.0 * 400.0);

        Assert.That(density, Is.EqualTo(0.05).Within(0.005));
    }

    [TestCase(WeightDistribution.Bernoulli)]
    [TestCase(WeightDistribution.Uniform)]
    [TestCase(WeightDistribution.Normal)]
    public void Constructor_InputWeightDistribution_ValuesHaveThatShape(WeightDistribution distribution)
    {
        var reservoir = new EchoStateReservoir(new ReservoirOptions
        {
            UnitCount = 500, Seed = 1, InputConnectivity = 1, InputScaling = 2, InputWeightDistribution = distribution,
        });
        var values = Enumerable.Range(0, 500).Select(i => reservoir.GetInputWeights()[i, 0]).ToArray();

        switch (distribution)
        {
            case WeightDistribution.Bernoulli:
                Assert.That(values.Select(Math.Abs), Is.All.EqualTo(2.0));
                break;
            case WeightDistribution.Uniform:
                Assert.That(values, Is.All.InRange(-2.0, 2.0));
                Assert.That(values.Max() - values.Min(), Is.GreaterThan(3.8));
                break;
            default:
                Assert.That(values.Select(Math.Abs).Max(), Is.GreaterThan(4.0), "a normal sample of 500 exceeds 2σ");
                break;
        }
    }

    [Test]
    public void Constructor_SimpleCycle_OneWeightPerRowOnTheCycle()
    {
        var reservoir = new EchoStateReservoir(new ReservoirOptions
        {
            UnitCount = 20, Seed = 1, SpectralRadius = 0.8, Topology = ReservoirTopology.SimpleCycle,
        });
        var w = reservoir.RecurrentWeights;

        Assert.That(w.NonZeroCount, Is.EqualTo(20));
        Assert.That(w[0, 19], Is.EqualTo(0.8));
        for (var i = 1; i < 20; i++)
        {
            Assert.That(w[i, i - 1], Is.EqualTo(0.8));
        }

        Assert.That(reservoir.SpectralRadius, Is.EqualTo(0.8).Within(1e-9));
    }

    [Test]
    public void Constructor_BiasScalingZero_NoBias()
    {
        var reservoir = new EchoStateReservoir(Small() with { BiasScaling = 0 });

        Assert.That(reservoir.Bias.ToArray(), Is.All.EqualTo(0.0));
    }

    [Test]
    public void Constructor_InputScalingPerInput_ScalesEachColumn()
    {
        var uniform = new EchoStateReservoir(Small());
        var perInput = new EchoStateReservoir(Small() with { InputScalingPerInput = [1.0, 3.0] });
        var a = uniform.GetInputWeights();
        var b = perInput.GetInputWeights();
        for (var i = 0; i < uniform.UnitCount; i++)
        {
            Assert.That(b[i, 0], Is.EqualTo(a[i, 0]));
            Assert.That(b[i, 1], Is.EqualTo(3 * a[i, 1]).Within(1e-15));
        }
    }

    [Test]
    public void FromWeights_ExplicitWeights_ReproducesTheUpdateExactly()
    {
        var n = 4;
        var w = new double[,] { { 0, 0.5, 0, 0 }, { 0, 0, -0.3, 0 }, { 0.2, 0, 0, 0.1 }, { 0, 0, 0.4, 0 } };
        var win = new double[,] { { 1 }, { -1 }, { 0.5 }, { 0 } };
        var bias = new[] { 0.1, 0, -0.1, 0.2 };
        var alpha = new[] { 1.0, 0.5, 0.25, 0.1 };
        var reservoir = EchoStateReservoir.FromWeights(new ReservoirWeights
        {
            Recurrent = SparseWeights.FromDense(w), Input = SparseWeights.FromDense(win), Bias = [.. bias], LeakRates = [.. alpha],
        });
        var inputs = TestData.Uniform(10, 1, 3);

        var states = reservoir.Run(inputs);

        var x = new double[n];
        for (var t = 0; t < 10; t++)
        {
            var next = new double[n];
            for (var i = 0; i < n; i++)
            {
                var pre = bias[i] + win[i, 0] * inputs[t, 0];
                for (var j = 0; j < n; j++)
                {
                    pre += w[i, j] * x[j];
                }

                next[i] = (1 - alpha[i]) * x[i] + alpha[i] * Math.Tanh(pre);
            }

            x = next;
            Assert.That(TestData.Row(states, t), Is.EqualTo(x).Within(1e-14), $"step {t}");
        }
    }
}
