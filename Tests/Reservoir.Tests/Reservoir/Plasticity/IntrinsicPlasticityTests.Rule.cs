using NUnit.Framework;
using Reservoir.Plasticity;

namespace Reservoir.Tests.Plasticity;

public sealed partial class IntrinsicPlasticityTests
{
    private const double RuleTolerance = 1e-12;

    [Test]
    public void LearnGains_OneLearningStep_MatchesRuleOnReservoirStates()
    {
        // Learning only at the last step leaves a = 1 and b = 0 until then, so y there is the reservoir's own
        // activation, recovered from its leaky update: y = (x[T] − (1 − α)·x[T−1]) / α.
        var reservoir = new EchoStateReservoir(Leaky());
        var inputs = Inputs();
        var options = Training with { Epochs = 1, WashoutSteps = Steps - 1, TargetMean = 0.1, TargetStdDev = 0.3 };

        var gains = IntrinsicPlasticity.LearnGains(reservoir, [inputs], options);

        var states = reservoir.Run(inputs);
        var mu = options.TargetMean!.Value;
        var variance = options.TargetStdDev!.Value * options.TargetStdDev!.Value;
        var eta = options.LearningRate;
        var starts = reservoir.ClockworkModuleStarts;
        var learned = 0;
        for (var i = 0; i < reservoir.UnitCount; i++)
        {
            var module = starts.IndexOf(starts.First(s => s > i)) - 1;
            if ((Steps - 1) % reservoir.ClockworkPeriods[module] != 0)
            {
                Assert.That((gains.Gains[i], gains.Biases[i]), Is.EqualTo((1.0, 0.0)), $"unit {i} holds at the last step");
                continue;
            }

            var alpha = reservoir.LeakRates[i];
            var y = (states[Steps - 1, i] - (1 - alpha) * states[Steps - 2, i]) / alpha;
            var deltaBias = -eta * (-mu / variance + y / variance * (2 * variance + 1 - y * y + mu * y));
            var z = Atanh(y);
            Assert.That(gains.Biases[i], Is.EqualTo(deltaBias).Within(RuleTolerance), $"unit {i} bias");
            Assert.That(gains.Gains[i], Is.EqualTo(1 + eta + deltaBias * z).Within(1e-9), $"unit {i} gain");
            learned++;
        }

        Assert.That(learned, Is.EqualTo(60), "the period-1 module learns at the last step, the period-2 module holds");
    }

    private static double Atanh(double y) => 0.5 * Math.Log((1 + y) / (1 - y));
}
