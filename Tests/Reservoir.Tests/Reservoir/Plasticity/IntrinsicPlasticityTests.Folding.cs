using NUnit.Framework;
using Reservoir.Plasticity;
using Reservoir.Pipelines;
using Reservoir.Tests.Pipelines.ModelFiles;

namespace Reservoir.Tests.Plasticity;

public sealed partial class IntrinsicPlasticityTests
{
    /// <summary>The step written out with the gains and biases applied explicitly: x = (1−α)⊙x + α⊙tanh(a⊙z + b), clockwork modules holding.</summary>
    private static double[,] ExplicitRun(EchoStateReservoir reservoir, UnitGains gains, double[,] inputs)
    {
        var n = reservoir.UnitCount;
        var w = reservoir.RecurrentWeights.ToDense();
        var win = reservoir.GetInputWeights();
        var bias = reservoir.Bias.ToArray();
        var leak = reservoir.LeakRates.ToArray();
        var periods = reservoir.ClockworkPeriods;
        var starts = reservoir.ClockworkModuleStarts;
        var steps = inputs.GetLength(0);
        var states = new double[steps + 1, n];
        for (var t = 1; t <= steps; t++)
        {
            for (var i = 0; i < n; i++)
            {
                var module = periods.IsEmpty ? -1 : Enumerable.Range(0, periods.Length).First(m => i < starts[m + 1]);
                if (module >= 0 && (t - 1) % periods[module] != 0)
                {
                    states[t, i] = states[t - 1, i];
                    continue;
                }

                var z = bias[i];
                for (var d = 0; d < win.GetLength(1); d++)
                {
                    z += win[i, d] * inputs[t - 1, d];
                }

                for (var j = 0; j < n; j++)
                {
                    z += w[i, j] * states[t - 1, j];
                }

                foreach (var skip in reservoir.SkipWeights)
                {
                    if (t - skip.Delay >= 0)
                    {
                        for (var j = 0; j < n; j++)
                        {
                            z += skip.Weights[i, j] * states[t - skip.Delay, j];
                        }
                    }
                }

                var y = Math.Tanh(gains.Gains[i] * z + gains.Biases[i]);
                states[t, i] = (1 - leak[i]) * states[t - 1, i] + leak[i] * y;
            }
        }

        var result = new double[steps, n];
        Array.Copy(states, n, result, 0, steps * n);
        return result;
    }

    [Test]
    public void Fold_LearnedGains_StatesEqualExplicitGainLoop()
    {
        var reservoir = new EchoStateReservoir(Leaky());
        var inputs = Inputs();
        var gains = IntrinsicPlasticity.LearnGains(reservoir, [inputs], Training with { Epochs = 2 });

        var folded = IntrinsicPlasticity.Fold(reservoir, gains);

        Assert.That(gains.Gains.Count(g => Math.Abs(g - 1) > 0.05), Is.GreaterThan(reservoir.UnitCount / 2), "gains moved");
        Assert.That(TestData.MaxAbsDifference(folded.Run(inputs), ExplicitRun(reservoir, gains, inputs)),
            Is.LessThanOrEqualTo(FoldTolerance));
    }

    [Test]
    public void Train_LeakySkipClockworkReservoir_EqualsFoldOfLearnedGains()
    {
        var reservoir = new EchoStateReservoir(Leaky());
        var inputs = Inputs();

        var trained = IntrinsicPlasticity.Train(reservoir, inputs, Training with { Epochs = 2 });
        var gains = IntrinsicPlasticity.LearnGains(reservoir, [inputs], Training with { Epochs = 2 });

        Assert.That(trained.Run(inputs), Is.EqualTo(IntrinsicPlasticity.Fold(reservoir, gains).Run(inputs)));
        Assert.That(trained.Options, Is.Null);
        Assert.That(trained.LeakRates.ToArray(), Is.EqualTo(reservoir.LeakRates.ToArray()));
        Assert.That(trained.ClockworkPeriods, Is.EqualTo(reservoir.ClockworkPeriods));
    }

    [Test]
    public void Train_SameInputs_BitIdenticalReservoirs()
    {
        var reservoir = new EchoStateReservoir(Leaky());
        var inputs = Inputs();

        var first = IntrinsicPlasticity.LearnGains(reservoir, [inputs], Training with { Epochs = 2 });
        var second = IntrinsicPlasticity.LearnGains(reservoir, [inputs], Training with { Epochs = 2 });

        Assert.That(second.Gains, Is.EqualTo(first.Gains));
        Assert.That(second.Biases, Is.EqualTo(first.Biases));
    }

    [Test]
    public void Train_DifferentInputs_DifferentGains()
    {
        var reservoir = new EchoStateReservoir(Leaky());

        var first = IntrinsicPlasticity.LearnGains(reservoir, [Inputs(5)], Training with { Epochs = 1 });
        var second = IntrinsicPlasticity.LearnGains(reservoir, [Inputs(6)], Training with { Epochs = 1 });

        Assert.That(second.Gains, Is.Not.EqualTo(first.Gains));
    }

    [Test]
    public void Train_SaveAndLoad_LoadedRunsBitIdentically()
    {
        var trained = IntrinsicPlasticity.Train(new EchoStateReservoir(Leaky()), Inputs(), Training with { Epochs = 2 });

        var file = ModelFileTestData.WriteFile("EchoStateReservoir", w => w.WriteReservoir(trained));
        var loaded = ModelFileTestData.ReadFile(file, "EchoStateReservoir", r => r.ReadReservoir());

        Assert.That(loaded.Run(Inputs(9)), Is.EqualTo(trained.Run(Inputs(9))));
        Assert.That(loaded.Bias.ToArray(), Is.EqualTo(trained.Bias.ToArray()));
    }

    [Test]
    public void Train_NoisySinglePrecisionReservoir_KeepsNoiseSeedAndPrecision()
    {
        var reservoir = new EchoStateReservoir(Drawn() with { StateNoise = 1e-3, Precision = Precision.Single });

        var trained = IntrinsicPlasticity.Train(reservoir, Inputs(), Training with { Epochs = 1 });

        Assert.That(trained.StateNoise, Is.EqualTo(reservoir.StateNoise));
        Assert.That(trained.NoiseSeed, Is.EqualTo(reservoir.NoiseSeed));
        Assert.That(trained.Precision, Is.EqualTo(Precision.Single));
    }
}
