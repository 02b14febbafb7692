using NUnit.Framework;

namespace Reservoir.Tests;

public sealed partial class EchoStateReservoirTests
{
    private static ReservoirOptions SigmoidOptions() => Small() with
    {
        Activation = Activation.Sigmoid,
        LeakRates = LeakRateDistribution.Uniform(0.2, 0.9),
    };

    [Test]
    public void Step_Sigmoid_EqualsHandComputedLeakyUpdate()
    {
        var reservoir = new EchoStateReservoir(SigmoidOptions());
        var state = reservoir.CreateState();
        var w = reservoir.RecurrentWeights.ToDense();
        var win = reservoir.GetInputWeights();
        var bias = reservoir.Bias.ToArray();
        var alpha = reservoir.LeakRates.ToArray();
        var inputs = TestData.Uniform(6, 2, 19);
        var x = new double[reservoir.UnitCount];

        for (var t = 0; t < 6; t++)
        {
            reservoir.Step(state, TestData.Row(inputs, t));
            var next = new double[x.Length];
            for (var i = 0; i < x.Length; i++)
            {
                var pre = bias[i] + win[i, 0] * inputs[t, 0] + win[i, 1] * inputs[t, 1];
                for (var j = 0; j < x.Length; j++)
                {
                    pre += w[i, j] * x[j];
                }

                next[i] = (1 - alpha[i]) * x[i] + alpha[i] / (1 + Math.Exp(-pre));
            }

            x = next;
            Assert.That(state.Values.ToArray(), Is.EqualTo(x).Within(1e-13), $"step {t}");
        }

        Assert.That(x, Has.All.InRange(0.0, 1.0), "sigmoid outputs and their leaky averages stay in (0, 1)");
    }

    [TestCase(Precision.Double)]
    [TestCase(Precision.Single)]
    public void Run_SigmoidManySequences_BitIdenticalToOneByOne(Precision precision)
    {
        var reservoir = new EchoStateReservoir(SigmoidOptions() with { Precision = precision });
        var sequences = Enumerable.Range(0, 9).Select(i => TestData.Uniform(40 + 5 * i, 2, 30 + i)).ToList();

        var together = reservoir.Run(sequences, washoutSteps: 3);

        for (var i = 0; i < sequences.Count; i++)
        {
            Assert.That(together[i], Is.EqualTo(reservoir.Run(reservoir.CreateState(), sequences[i], 3)), $"sequence {i}");
        }
    }

    [Test]
    public void Run_SigmoidSingle_WithinToleranceOfDouble()
    {
        var options = SigmoidOptions() with { UnitCount = 200, SpectralRadius = 0.9 };
        var inputs = TestData.Uniform(500, 2, 23);
        var single = new EchoStateReservoir(options with { Precision = Precision.Single });
        var reference = new EchoStateReservoir(options);

        var difference = TestData.MaxAbsDifference(single.Run(inputs), reference.Run(inputs));

        TestContext.Out.WriteLine($"max |x_Single - x_Double| = {difference:E2}");
        Assert.That(difference, Is.GreaterThan(0).And.LessThanOrEqualTo(SingleStateTolerance));
    }
}
